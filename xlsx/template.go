package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
)

// FormSheet and HelpSheet are the sheet names of the collection template.
const (
	FormSheet = "客户信息采集表"
	HelpSheet = "说明"
)

// templateRows is how many rows the drop-downs cover.
const templateRows = 1000

// Template writes the collection form as a workbook: the form sheet (a
// header of Chinese labels, "*" on required fields, a drop-down on every
// enumeration, and the example row), then the instruction sheet. The form
// sheet comes first, so importing the file reads it.
func Template(w io.Writer, fields []dossier.Field, example map[string]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", FormSheet); err != nil {
		return err
	}
	for i, fd := range fields {
		if err := templateColumn(f, i+1, fd, example[fd.Key]); err != nil {
			return fmt.Errorf("column %s: %w", fd.Key, err)
		}
	}
	if err := f.SetPanes(FormSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := helpSheet(f, fields); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

func templateColumn(f *excelize.File, col int, fd dossier.Field, example string) error {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return err
	}
	label := fd.LabelZH
	if fd.Required {
		label += "*"
	}
	if err := f.SetCellStr(FormSheet, name+"1", label); err != nil {
		return err
	}
	if example != "" {
		if err := f.SetCellStr(FormSheet, name+"2", example); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(FormSheet, name, name, 16); err != nil {
		return err
	}
	if fd.Type != dossier.TypeEnum || len(fd.Options) == 0 {
		return nil
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", name, name, templateRows))
	var labels []string
	for _, o := range fd.Options {
		labels = append(labels, o.LabelZH)
	}
	if err := dv.SetDropList(labels); err != nil {
		return err
	}
	return f.AddDataValidation(FormSheet, dv)
}

var helpLines = []string{
	"客户信息采集表 填写说明",
	"",
	"1. 每行填写一个客户; 同一客户有多个联系人时, 可写多行, 客户名称相同即可, 导入时会合并为一个客户.",
	"2. 带 * 的列为必填项; 没有客户名称的行不会导入.",
	"3. 带下拉框的列请从下拉选项中选择.",
	"4. 金额可写 元, 万, 亿, 如 \"30万\", 预算可写范围, 如 \"30-50万\", 或 \"面议\".",
	"5. 日期可写 2024-03-15, 2024/3/15 或 2024年3月15日; 采购时间节点可写 \"2024年Q3\" 或 \"待定\".",
	"6. 不确定的信息可写 \"大概\", \"可能\", \"左右\", 导入后标记为待验证.",
	"7. 表中没有的列也会导入, 作为自定义字段保存.",
	"8. 导入命令: dossier import 文件.xlsx --source customer --source-detail \"需求调研\"",
	"",
	"字段",
}

func helpSheet(f *excelize.File, fields []dossier.Field) error {
	if _, err := f.NewSheet(HelpSheet); err != nil {
		return err
	}
	row := 1
	set := func(vals ...string) error {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellStr(HelpSheet, cell, v); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	for _, l := range helpLines {
		if err := set(l); err != nil {
			return err
		}
	}
	for _, fd := range fields {
		req := ""
		if fd.Required {
			req = "必填"
		}
		if err := set(fd.LabelZH, fd.LabelEN, req, typeHint(fd)); err != nil {
			return err
		}
	}
	return f.SetColWidth(HelpSheet, "A", "A", 24)
}

// typeHint says in Chinese what a column takes.
func typeHint(fd dossier.Field) string {
	switch fd.Type {
	case dossier.TypeMoney:
		return "金额, 如 30万"
	case dossier.TypeRange:
		return "金额范围, 如 30-50万 或 面议"
	case dossier.TypeDate:
		return "日期, 如 2024-03-15"
	case dossier.TypeTimeline:
		return "时间节点, 如 2024年Q3 或 待定"
	case dossier.TypeEnum:
		return "从下拉选项中选择"
	case dossier.TypeRating:
		return "1-5 分"
	case dossier.TypePercent:
		return "百分比, 如 15%"
	case dossier.TypeNumber:
		return "数字"
	case dossier.TypePhone:
		return "手机或带区号的座机"
	case dossier.TypeEmail:
		return "邮箱地址"
	case dossier.TypeCreditCode:
		return "18位统一社会信用代码"
	case dossier.TypeTags:
		return "多个值用 ; 或 、 分隔"
	}
	return "文字"
}
