package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/xlsx"
)

// runExport writes the customers matching --filter to a CSV or XLSX file
// that import reads back unchanged.
func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags("export")
	db := dbFlag(fs, e)
	expr := fs.String("filter", "", `a segment filter, e.g. "industry = 制造业 AND grade = 重点 AND revenue >= 1亿"`)
	segment := fs.String("segment", "", "only the customers of a saved segment (dossier segment list)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !isTable(pos[0]) {
		return usagef("export needs one .csv or .xlsx file")
	}
	store, f, err := openWithFilter(ctx, *db, *segment, *expr)
	if err != nil {
		return err
	}
	defer store.Close()
	w, file, err := createTable(pos[0], "客户")
	if err != nil {
		return err
	}
	defer file.Close()
	var rw dossier.RowWriter = w
	if report := progress(e); report != nil {
		count := f
		count.Limit = 1
		_, total, _ := store.FindCustomers(ctx, count) // for the percentage only
		rw = &progressWriter{RowWriter: w, every: 1000, report: func(n int) {
			if total > 0 {
				fmt.Fprintf(e.stderr, "\rexporting: %d of %d customers (%d%%)", n, total, n*100/total)
			} else {
				fmt.Fprintf(e.stderr, "\rexporting: %d customers", n)
			}
		}}
	}
	n, err := dossier.Export(ctx, store, rw, f)
	if rw != dossier.RowWriter(w) {
		fmt.Fprint(e.stderr, "\r\033[K") // clear the progress line
	}
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %d customers to %s\n", n, pos[0])
	return store.RecordAudit(ctx, &dossier.AuditEntry{User: cliUser(e), Action: dossier.AuditExport,
		Detail: fmt.Sprintf("%d customers to %s", n, pos[0])})
}

// openWithFilter opens the store and checks a --filter expression against its
// registry: a bad expression is wrong usage (exit 2), with its position. A
// --segment adds its saved expression.
func openWithFilter(ctx context.Context, db, segment, expr string) (*sqldb.DB, dossier.CustomerFilter, error) {
	f := dossier.CustomerFilter{Expr: expr}
	store, reg, err := openRegistry(ctx, db)
	if err != nil {
		return nil, f, err
	}
	if _, err := filter.Parse(expr, reg); err != nil {
		store.Close()
		return nil, f, usagef("--filter: %s", err.(*dossier.Error).Message)
	}
	if segment != "" {
		seg, err := store.FindSegment(ctx, segment)
		if err != nil {
			store.Close()
			return nil, f, err
		}
		f.Expr = joinFilters(seg.Expression, f.Expr)
	}
	return store, f, nil
}

// templateExample is seed 002's example row of the collection form.
var templateExample = map[string]string{
	"name": "科技有限公司", "industry": "信息技术-软件开发", "employees": "300", // the seed writes 员工100-500人; employees is a number
	"contact_name": "*先生", "contact_title": "市场部经理",
	"need_type": "企业级数据分析系统", "need_description": "需要支持多数据源整合,实时可视化报表", "budget": "30-50万",
	"last_contact_date": "2024-03-15", "last_contact_channel": "面谈",
	"last_contact_summary": "客户对系统响应速度有较高要求,希望提供试用版", "feedback": "积极,要求提供3家同行合作案例",
	"grade": "潜在", "follow_up_priority": "中", "need_match": "4", "likelihood": "3",
}

// runTemplate writes the collection template workbook.
func runTemplate(ctx context.Context, e *env, args []string) error {
	fs := newFlags("template")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.ToLower(filepath.Ext(pos[0])) != ".xlsx" {
		return usagef("template needs one .xlsx file")
	}
	store, reg, err := openRegistry(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	f, err := os.Create(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	if err := xlsx.Template(f, reg.Active(), templateExample); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the collection template to %s\n", pos[0])
	return nil
}

// progressWriter reports every `every` data rows written (the header is not
// counted).
type progressWriter struct {
	dossier.RowWriter
	every, rows int
	header      bool
	report      func(rows int)
}

func (p *progressWriter) Write(rec []string) error {
	if err := p.RowWriter.Write(rec); err != nil {
		return err
	}
	if !p.header {
		p.header = true
		return nil
	}
	if p.rows++; p.rows%p.every == 0 {
		p.report(p.rows)
	}
	return nil
}
