package dossier

import (
	"slices"
	"strings"
	"testing"
)

func TestKindColumnOverrides(t *testing.T) {
	header := []string{"客户", "姓名", "备注列", "电话"}
	tests := []struct {
		kind    string
		cols    []string
		want    []string
		wantErr string
	}{
		{kind: KindContacts, want: []string{"name", "contact_name", "", "contact_phone"}},
		{kind: KindContacts, cols: []string{"", "", "contact_title", "-"}, want: []string{"name", "contact_name", "contact_title", ""}},
		{kind: KindContacts, cols: []string{"", "", "contact_name"}, wantErr: "both mapped"},
		{kind: KindContacts, cols: []string{"", "", "project_name"}, wantErr: "has no column"},
		{kind: KindProjects, cols: []string{"", "project_name", "project_status", "-"}, want: []string{"name", "project_name", "project_status", ""}},
		{kind: KindInteractions, cols: []string{"revenue"}, wantErr: "has no column"},
	}
	for _, tt := range tests {
		got, err := kindKeys(tt.kind, header, tt.cols)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %v: err %v, want %q", tt.kind, tt.cols, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s %v: %v, %v; want %v", tt.kind, tt.cols, got, err, tt.want)
		}
	}
}

// FuzzKindColumns: any header and any choices give a mapping with each
// key once and only keys the kind has, or an error; never a panic.
func FuzzKindColumns(f *testing.F) {
	f.Add("contacts", "客户,姓名,职务,电话", "|-|contact_title|")
	f.Add("projects", "客户,项目名称,金额", "id|project_name|project_name")
	f.Add("interactions", "a,b", "revenue")
	f.Fuzz(func(t *testing.T, kind, header, cols string) {
		if kind != KindContacts && kind != KindInteractions && kind != KindProjects {
			kind = KindContacts
		}
		h := strings.Split(header, ",")
		keys, err := kindKeys(kind, h, strings.Split(cols, "|"))
		if err != nil {
			return
		}
		allowed := map[string]bool{"": true}
		for _, f := range KindColumns(kind) {
			allowed[f.Key] = true
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if !allowed[k] || (k != "" && seen[k]) {
				t.Fatalf("keys %q for %s: %q not allowed or repeated", keys, kind, k)
			}
			seen[k] = true
		}
	})
}
