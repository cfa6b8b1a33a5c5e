package dossier

import (
	"strconv"
	"strings"
)

// KindProjects is the import kind of cooperation projects (SPEC R2.5: 合作
// 项目名称、周期、金额、满意度评分).
const KindProjects = "projects"

// ProjectStatusOptions are the states of a cooperation project.
var ProjectStatusOptions = []Option{
	{Value: "negotiating", LabelZH: "洽谈中", LabelEN: "Negotiating", Synonyms: []string{"商务洽谈", "未签约", "negotiation"}},
	{Value: "ongoing", LabelZH: "进行中", LabelEN: "Ongoing", Synonyms: []string{"执行中", "实施中", "在建", "active", "in progress"}},
	{Value: "completed", LabelZH: "已完成", LabelEN: "Completed", Synonyms: []string{"完成", "已结项", "结项", "已交付", "done", "finished"}},
	{Value: "paused", LabelZH: "暂停", LabelEN: "Paused", Synonyms: []string{"已暂停", "搁置", "on hold"}},
	{Value: "cancelled", LabelZH: "已终止", LabelEN: "Cancelled", Synonyms: []string{"终止", "取消", "已取消", "canceled"}},
}

// ProjectFields are the columns of a projects sheet. They are not in the
// customer registry: a customer has many projects, each a record of its own
// (like contacts and interactions), and the collection form stays one row
// per customer. The types reuse the registry's parsers.
var ProjectFields = []Field{
	{Key: "project_name", LabelZH: "项目名称", LabelEN: "Project", Type: TypeText, Required: true,
		Aliases: []string{"合作项目名称", "合作项目", "项目", "project", "project name"}},
	{Key: "project_status", LabelZH: "项目状态", LabelEN: "Status", Type: TypeEnum, Options: ProjectStatusOptions,
		Aliases: []string{"状态", "status"}},
	{Key: "project_amount", LabelZH: "项目金额", LabelEN: "Amount", Type: TypeMoney,
		Aliases: []string{"金额", "合同金额", "合作金额", "amount"}},
	{Key: "project_start", LabelZH: "开始日期", LabelEN: "Start", Type: TypeDate,
		Aliases: []string{"开始时间", "起始日期", "签约日期", "start", "start date"}},
	{Key: "project_end", LabelZH: "结束日期", LabelEN: "End", Type: TypeDate,
		Aliases: []string{"结束时间", "完成日期", "end", "end date"}},
	{Key: "project_satisfaction", LabelZH: "满意度评分", LabelEN: "Satisfaction", Type: TypeRating,
		Aliases: []string{"满意度", "满意度(1-5分)", "satisfaction"}},
}

// projectColumn maps a header cell of a projects sheet to a ProjectFields
// key, or to "id", "name" or "credit_code" for the customer it names.
func projectColumn(reg *Registry, header string) string {
	h := strings.ToLower(strings.TrimSuffix(CleanText(header), "*"))
	for _, f := range ProjectFields {
		if h == strings.ToLower(f.Key) || h == strings.ToLower(f.LabelZH) || h == strings.ToLower(f.LabelEN) {
			return f.Key
		}
		for _, a := range f.Aliases {
			if h == strings.ToLower(a) {
				return f.Key
			}
		}
	}
	switch k := interactionColumns[h]; k {
	case "id", "name":
		return k
	}
	if f, ok := reg.Lookup(h); ok && (f.Key == "name" || f.Key == "credit_code") {
		return f.Key
	}
	return ""
}

// projectRows returns the normaliser of project rows: a row needs a customer
// (id, credit code or name) and a project name; other bad values are
// reported with row, column and reason, and left out.
func projectRows(header, keys []string) rowFunc {
	reg := NewRegistry(nil)
	fields := map[string]Field{}
	for _, f := range ProjectFields {
		fields[f.Key] = f
	}
	return func(row []string, line int, issues *[]ImportIssue) (ImportRecord, bool) {
		rec := ImportRecord{Row: line, Kind: KindProjects, cells: row, Project: map[string]string{},
			Entry: Entry{Customer: map[string]string{}, Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}}
		reject := func(r *Reason) (ImportRecord, bool) {
			*issues = append(*issues, rowIssue(line, r, row))
			return ImportRecord{}, false
		}
		for i, k := range keys {
			if k == "" || i >= len(row) || CleanText(row[i]) == "" {
				continue
			}
			if k == "id" {
				id, err := strconv.ParseInt(CleanText(row[i]), 10, 64)
				if err != nil || id <= 0 {
					return reject(reasonf("bad_customer_id", "customer id %q is not a number", row[i]))
				}
				rec.CustomerID = id
				continue
			}
			f, isProject := fields[k]
			if !isProject {
				f, _ = reg.Field(k)
			}
			v, _, err := f.Canonical(row[i])
			if err != nil {
				*issues = append(*issues, valueIssue(line, CleanText(header[i]), row[i], err, row))
				continue
			}
			if isProject {
				rec.Project[k] = v
			} else {
				rec.Entry.Customer[k] = v
			}
		}
		p := rec.Project
		switch {
		case rec.CustomerID == 0 && rec.Entry.Customer["name"] == "" && rec.Entry.Customer["credit_code"] == "":
			return reject(reasonf("no_customer_ref", "no customer (name, credit code or id)"))
		case p["project_name"] == "":
			return reject(reasonf("no_project_name", "no project name"))
		case p["project_start"] != "" && p["project_end"] != "" && p["project_end"] < p["project_start"]:
			*issues = append(*issues, valueIssue(line, "project_end", p["project_end"],
				reasonf("ends_before_start", "ends before it starts (%s)", p["project_start"]), row))
			delete(p, "project_end")
		}
		return rec, true
	}
}

// ProjectFromRecord builds the project a record describes.
func ProjectFromRecord(customerID int64, v map[string]string, src Source) Project {
	p := Project{CustomerID: customerID, Name: v["project_name"], Status: v["project_status"],
		Start: v["project_start"], End: v["project_end"], Source: src}
	p.Amount, _ = strconv.ParseInt(v["project_amount"], 10, 64)
	p.Satisfaction, _ = strconv.Atoi(v["project_satisfaction"])
	return p
}
