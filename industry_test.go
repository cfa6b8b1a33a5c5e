package dossier

import (
	"strings"
	"testing"
)

func TestIndustriesShape(t *testing.T) {
	seen := map[string]bool{}
	names := map[string]bool{}
	sections := 0
	for _, ind := range Industries() {
		if seen[ind.Path] {
			t.Errorf("path %q twice", ind.Path)
		}
		seen[ind.Path] = true
		if names[ind.NameZH] {
			t.Errorf("name %q twice: a bare name must find one industry", ind.NameZH)
		}
		names[ind.NameZH] = true
		if ind.NameEN == "" {
			t.Errorf("%q has no English name", ind.Path)
		}
		if strings.Contains(ind.NameZH, IndustrySep) {
			t.Errorf("%q contains the path separator", ind.NameZH)
		}
		if ind.Parent == "" {
			sections++
			continue
		}
		if !seen[ind.Parent] || ind.Path != ind.Parent+IndustrySep+ind.NameZH {
			t.Errorf("%q: parent %q must come first and prefix the path", ind.Path, ind.Parent)
		}
	}
	if sections < 15 {
		t.Errorf("%d sections, want the GB/T 4754 sections B2B sales meet", sections)
	}
	for _, p := range []string{"制造业-机械设备", "制造业-汽车零部件", "信息技术-软件开发", "批发和零售业", "金融业"} {
		if !seen[p] {
			t.Errorf("missing %q", p)
		}
	}
}

func TestFindIndustry(t *testing.T) {
	tests := []struct {
		in, path string
		ok       bool
	}{
		{"制造业-机械设备", "制造业-机械设备", true},
		{" 制造业 - 机械设备 ", "制造业-机械设备", true},
		{"机械设备", "制造业-机械设备", true},
		{"汽车零部件", "制造业-汽车零部件", true},
		{"制造业", "制造业", true},
		{"信息技术", "信息技术", true},
		{"信息传输、软件和信息技术服务业", "信息技术", true},
		{"软件开发", "信息技术-软件开发", true},
		{"制造业-软件开发", "", false},
		{"航天", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := FindIndustry(tt.in)
		if ok != tt.ok || got.Path != tt.path {
			t.Errorf("FindIndustry(%q) = %q, %v; want %q, %v", tt.in, got.Path, ok, tt.path, tt.ok)
		}
	}
}

func TestIndustryTop(t *testing.T) {
	tests := map[string]string{
		"制造业-机械设备": "制造业",
		"制造业":      "制造业",
		"机械设备":     "制造业",
		"信息传输、软件和信息技术服务业": "信息技术",
		"航天-卫星": "航天",
		"":      "",
	}
	for in, want := range tests {
		if got := IndustryTop(in); got != want {
			t.Errorf("IndustryTop(%q) = %q, want %q", in, got, want)
		}
	}
}
