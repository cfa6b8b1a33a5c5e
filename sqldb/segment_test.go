package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func TestSegments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, s := range []dossier.Segment{
			{Name: "重点制造业", Expression: "industry = 制造业 AND grade = 重点", Owner: "li", Shared: true},
			{Name: "my big ones", Expression: "revenue >= 1亿", Owner: "li"},
			{Name: "wang's", Expression: "owner = wang", Owner: "wang"},
		} {
			if err := db.CreateSegment(ctx, &s); err != nil || s.ID == 0 {
				t.Fatalf("%s: %v", s.Name, err)
			}
		}
		err := db.CreateSegment(ctx, &dossier.Segment{Name: "重点制造业", Expression: "grade = 重点"})
		if dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("duplicate name: %v", err)
		}
		err = db.CreateSegment(ctx, &dossier.Segment{Name: "bad", Expression: "grade = 重点 AND revenue > lots"})
		if e, ok := err.(*dossier.Error); !ok || e.Field != "expression" || e.Message[:6] != "at 26:" {
			t.Errorf("bad expression: %v", err)
		}
		if err := db.CreateSegment(ctx, &dossier.Segment{Name: " ", Expression: "grade = 重点"}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("blank name: %v", err)
		}
		names := func(owner string) []string {
			ss, err := db.Segments(ctx, owner)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range ss {
				out = append(out, s.Name)
			}
			return out
		}
		if got := names("wang"); len(got) != 2 || got[0] != "wang's" || got[1] != "重点制造业" {
			t.Errorf("wang sees %v", got)
		}
		if got := names(""); len(got) != 3 {
			t.Errorf("all: %v", got)
		}
		s, err := db.FindSegment(ctx, "重点制造业")
		if err != nil || !s.Shared || s.Owner != "li" || s.Expression != "industry = 制造业 AND grade = 重点" {
			t.Errorf("find: %+v %v", s, err)
		}
		if _, err := db.FindSegment(ctx, "nope"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("missing: %v", err)
		}
	})
}
