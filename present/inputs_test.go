package present

import (
	"testing"
	"unicode/utf8"

	"github.com/dossier/dossier"
)

func TestInputs(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	tests := []struct {
		in, lang, want string
	}{
		{"employees=35549, revenue=19750000000, strategic_value=benchmark", "zh", "员工人数 35549 · 年营收 197.5亿 · 战略价值 行业标杆"},
		{"employees=35549, revenue=19750000000, strategic_value=benchmark", "en", "Employees 35549 · Annual revenue 197.5亿 · Strategic value Industry benchmark"},
		{"budget_mid=?, expected_amount=800000, need_types_last_year=[财务共享系统;MES系统], profit_growth=?", "zh",
			"预算中值 未知 · 预估采购金额 80万 · 近一年需求类型 财务共享系统、MES系统 · 利润增长率 未知"},
		{"growth=medium, scale=high, stickiness=low", "zh", "成长潜力 中 · 规模 高 · 粘性 低"},
		{"interactions_per_month=0.5, satisfaction=3, stage=won", "zh", "月均沟通次数 0.5 · 满意度 3 / 5 · 合作阶段 成交"},
		{"has_decision_maker=false, risk_level=none, tier=high", "zh", "有决策人 否 · 风险等级 无 · 分层 高"},
		// A free-text value holding ", " stays whole.
		{"need_description=仓储, 物流, budget_mid=750000", "zh", "需求描述 仓储, 物流 · 预算中值 75万"},
		// A variable nobody labelled keeps its name; what is not an inputs
		// string is returned as it is.
		{"brand_new_var=7", "zh", "brand_new_var 7"},
		{"", "zh", ""},
		{"no inputs here", "zh", "no inputs here"},
	}
	for _, tt := range tests {
		if got := Inputs(reg, tt.in, tt.lang); got != tt.want {
			t.Errorf("Inputs(%q, %s) = %q, want %q", tt.in, tt.lang, got, tt.want)
		}
	}
}

// Inputs reads strings from the store: whatever they hold, it must not
// panic, and it must not lose a value.
func FuzzInputs(f *testing.F) {
	reg := dossier.NewRegistry(nil)
	for _, s := range []string{"revenue=1, stage=won", "a=[x;y], b=?", "x=, y==", "=1", ", a=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Inputs(reg, s, "zh")
		if !utf8.ValidString(s) {
			return
		}
		if out == "" && s != "" {
			t.Fatalf("Inputs(%q) lost everything", s)
		}
	})
}
