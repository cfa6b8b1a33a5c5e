package dossier

import (
	"slices"
	"testing"
)

func TestProvincesShape(t *testing.T) {
	ps := Provinces()
	if len(ps) != 31 {
		t.Fatalf("%d provinces, want the 31 mainland divisions", len(ps))
	}
	names := map[string]bool{}
	cities := map[string]string{}
	for _, p := range ps {
		if !slices.Contains(Regions, p.Region) {
			t.Errorf("%s: region %q is not one of %v", p.Name, p.Region, Regions)
		}
		for _, n := range []string{p.Name, p.Short} {
			if names[n] && n != p.Name {
				t.Errorf("name %q used twice", n)
			}
			names[n] = true
		}
		if len(p.Cities) == 0 {
			t.Errorf("%s has no city", p.Name)
		}
		for _, c := range p.Cities {
			if other, ok := cities[c]; ok {
				t.Errorf("city %s in %s and %s", c, other, p.Name)
			}
			cities[c] = p.Name
		}
	}
	for _, r := range Regions {
		if !slices.ContainsFunc(ps, func(p Province) bool { return p.Region == r }) {
			t.Errorf("region %s has no province", r)
		}
	}
}

func TestProvincesReturnsCopies(t *testing.T) {
	Provinces()[0].Cities[0] = "changed"
	if Provinces()[0].Cities[0] == "changed" {
		t.Fatal("Provinces shares its city lists with callers")
	}
}

func TestFindProvince(t *testing.T) {
	tests := map[string]string{
		"广东省": "广东省", "广东": "广东省", " 内蒙古 ": "内蒙古自治区", "广西壮族自治区": "广西壮族自治区",
		"北京": "北京市", "北京市": "北京市", "深圳": "", "": "",
	}
	for in, want := range tests {
		got, ok := FindProvince(in)
		if got.Name != want || ok != (want != "") {
			t.Errorf("FindProvince(%q) = %q, %v; want %q", in, got.Name, ok, want)
		}
	}
}

func TestProvinceOfCity(t *testing.T) {
	tests := map[string]string{
		"深圳市": "广东省", "深圳": "广东省", "苏州": "江苏省", "北京市": "北京市", "上海": "上海市",
		"吉林市": "吉林省", "乌鲁木齐": "新疆维吾尔自治区", "纽约": "",
	}
	for in, want := range tests {
		got, ok := ProvinceOfCity(in)
		if got.Name != want || ok != (want != "") {
			t.Errorf("ProvinceOfCity(%q) = %q, %v; want %q", in, got.Name, ok, want)
		}
	}
}

func TestCityShort(t *testing.T) {
	tests := map[string]string{"深圳市": "深圳", "呼和浩特市": "呼和浩特", "北京市": "北京", "深圳": "深圳", "": ""}
	for in, want := range tests {
		if got := CityShort(in); got != want {
			t.Errorf("CityShort(%q) = %q, want %q", in, got, want)
		}
	}
}
