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
