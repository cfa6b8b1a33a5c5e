package rules

import "github.com/dossier/dossier"

// Tags the defaults produce, named for the strategies that look for them.
const (
	TagNoContact3m   = "行为-近3个月无沟通-需重点跟进"
	TagPriceSensitve = "需求-降低采购成本-决策人关注性价比"
	TagChurnRisk     = "风险-高流失风险"
)

// Default returns the seeds' rules (000–003), shipped as editable settings
// so that they work on day one:
//   - tags: no interaction in 3 months (002), industry hierarchy, customer
//     type and stage (R20), price-sensitive and churn-risk profiles;
//   - risks: overdue receivables and debt ratio over 70% (000), the
//     business-registry signals 失信被执行人 / 股权冻结 / 经营异常 / 行政处罚,
//     a decision chain without a decision maker, negative feedback, low
//     satisfaction, and an industry watch list;
//   - seed 001's ICP; the tier cadences and resources of R15 (002); the five
//     strategies of R17 (000, 003).
func Default() Set {
	return Set{
		Value: ValueRules{
			Scale: `(revenue ?? 0) >= 5e8 || strategic_value == "benchmark" ? "high" : ` +
				`(revenue ?? 0) >= 1e8 || strategic_value == "regional_leader" || (employees ?? 0) >= 1000 ? "medium" : "low"`,
			Growth: `(expected_amount ?? budget_mid ?? 0) >= 5e5 || (profit_growth ?? 0) >= 20 ? "high" : ` +
				`(expected_amount ?? budget_mid ?? 0) >= 2e5 || (profit_growth ?? 0) > 0 || len(need_types_last_year) > 0 ? "medium" : "low"`,
			Stickiness: `(satisfaction ?? 0) >= 4 && stage == "won" ? "high" : ` +
				`(satisfaction ?? 0) >= 3 || interactions_per_month >= 1 ? "medium" : "low"`,
			Overall: `count([scale, growth, stickiness], # == "high") >= 2 ? "high" : ` +
				`count([scale, growth, stickiness], # == "low") >= 2 ? "low" : "medium"`,
		},
		Suggestions: Suggestions{
			NeedMatch: `len(need_types) == 0 ? 1 : explicit_needs == 0 ? 2 : max_need_rank >= 16 ? 5 : max_need_rank >= 9 ? 4 : 3`,
			Likelihood: `contacts_last_3_months >= 3 && negative_feedback_3m == 0 ? 5 : ` +
				`contacts_last_3_months >= 1 ? (has_decision_maker ? 4 : 3) : ` +
				`months_since_last_contact != nil && months_since_last_contact <= 6 ? 2 : 1`,
		},
		Risks:      defaultRisks(),
		Grade:      `value == "high" && (likelihood ?? likelihood_suggestion) >= 4 ? "key" : len(need_types) > 0 && (likelihood ?? likelihood_suggestion) >= 2 ? "potential" : "ordinary"`,
		Tiers:      defaultTiers(),
		Tags:       defaultTags(),
		ICPs:       []ICP{SeedICP()},
		Strategies: defaultStrategies(),
	}
}

func defaultRisks() []RiskRule {
	return []RiskRule{
		{ID: "debt-ratio", Category: dossier.RiskFinancial, Level: dossier.LevelHigh,
			When: `debt_ratio != nil && debt_ratio > 70`, Trigger: `sprintf("负债率 %v%% > 70%%", debt_ratio)`},
		{ID: "overdue-receivables-high", Category: dossier.RiskFinancial, Level: dossier.LevelHigh,
			When: `overdue_receivables != nil && overdue_receivables >= 1000000`, Trigger: `"逾期应收账款 " + wan(overdue_receivables) + " ≥ 100万"`},
		{ID: "overdue-receivables", Category: dossier.RiskFinancial, Level: dossier.LevelMedium,
			When: `overdue_receivables != nil && overdue_receivables > 0 && overdue_receivables < 1000000`, Trigger: `"逾期应收账款 " + wan(overdue_receivables)`},
		{ID: "dishonest-debtor", Category: dossier.RiskFinancial, Level: dossier.LevelHigh,
			When: `(dishonest_debtor ?? 0) > 0`, Trigger: `sprintf("失信被执行人记录 %v 条", dishonest_debtor)`},
		{ID: "equity-freeze", Category: dossier.RiskFinancial, Level: dossier.LevelHigh,
			When: `(equity_freezes ?? 0) > 0`, Trigger: `sprintf("股权冻结 %v 条", equity_freezes)`},
		{ID: "abnormal-operations", Category: dossier.RiskFinancial, Level: dossier.LevelMedium,
			When: `(abnormal_operations ?? 0) > 0`, Trigger: `sprintf("经营异常 %v 条", abnormal_operations)`},
		{ID: "administrative-penalties", Category: dossier.RiskFinancial, Level: dossier.LevelLow,
			When: `(administrative_penalties ?? 0) > 0`, Trigger: `sprintf("行政处罚 %v 条", administrative_penalties)`},
		{ID: "no-decision-maker", Category: dossier.RiskCooperation, Level: dossier.LevelMedium,
			When: `contacts > 0 && !has_decision_maker`, Trigger: `sprintf("决策链缺少决策人(%v 位联系人)", contacts)`},
		{ID: "negative-feedback", Category: dossier.RiskCooperation, Level: dossier.LevelMedium,
			When: `negative_feedback_3m >= 2`, Trigger: `sprintf("近3个月负面反馈 %v 次", negative_feedback_3m)`},
		{ID: "low-satisfaction", Category: dossier.RiskCooperation, Level: dossier.LevelHigh,
			When: `satisfaction != nil && satisfaction <= 2 && stage == "won"`, Trigger: `sprintf("满意度 %v/5 ≤ 2", satisfaction)`},
		{ID: "industry-watch", Category: dossier.RiskIndustry, Level: dossier.LevelLow,
			When: `industry_top in ["房地产业", "教育"]`, Trigger: `"行业政策关注: " + industry_top`},
	}
}

func defaultTiers() TierRules {
	return TierRules{
		Tier: `priority`,
		Plans: map[string]Plan{
			dossier.LevelHigh:   {Cadence: "weekly", Days: 7, Resources: "高级客户经理 + 项目团队(销售+技术+售后),定制化方案"},
			dossier.LevelMedium: {Cadence: "biweekly", Days: 14, Resources: "销售代表,标准化资料与行业案例"},
			dossier.LevelLow:    {Cadence: "monthly", Days: 30, Resources: "销售代表,线上/电话跟进"},
		},
		PoolAfterDays: 30,
	}
}

func defaultTags() []TagRule {
	return []TagRule{
		{ID: "no-contact-3m", Tag: TagNoContact3m, When: `contacts_last_3_months == 0`},
		{ID: "industry", When: `industry_top != ""`,
			Value: `"行业-" + industry_top + (industry_sub != "" ? "-细分领域-" + industry_sub : "")`},
		{ID: "customer-type", When: `customer_type in ["ka", "smb"]`, Value: `"类型-" + upper(customer_type)`},
		{ID: "stage", When: `stage != ""`,
			Value: `"阶段-" + (stage == "prospect" ? "潜在" : stage == "won" ? "成交" : stage == "churned" ? "流失" : stage)`},
		{ID: "price-sensitive", Tag: TagPriceSensitve,
			When: `any(decision_factors, # contains "价格" || # contains "性价比" || # contains "成本")`},
		{ID: "churn-risk", Tag: TagChurnRisk,
			When: `stage == "won" && (risk_level == "high" || (months_since_last_contact ?? 99) >= 6)`},
		{ID: "stable", Tag: "风险-稳定", When: `stage == "won" && risk_level in ["none", "low"] && contacts_last_3_months > 0`},
	}
}

// SeedICP is seed 001's ideal customer: manufacturing, 500–2000 employees,
// revenue 1–5亿, a warehousing or digitalisation need in the last year.
func SeedICP() ICP {
	return ICP{Name: "制造业中型企业(种子001)", Criteria: []Criterion{
		{Name: "行业: 制造业", When: `industry_top == "制造业"`},
		{Name: "员工 500–2000 人", When: `employees != nil && employees >= 500 && employees <= 2000`},
		{Name: "年营收 1–5亿", When: `revenue != nil && revenue >= 1e8 && revenue <= 5e8`},
		{Name: "近一年有仓储扩容或数字化需求", When: `any(need_types_last_year, # contains "仓储" || # contains "数字化" || # contains "WMS")`},
	}}
}

func defaultStrategies() []StrategyRule {
	return []StrategyRule{
		{ID: "dedicated-team", Name: "专属服务团队", When: `value == "high"`, Actions: []dossier.Action{
			{Title: "组建专属服务团队(销售+技术+售后)", DueDays: 7},
			{Title: "2周内提交定制化方案", DueDays: 14},
		}},
		{ID: "simplified-process", Name: "简化合作流程", When: `risk_level in ["none", "low"] && tier != "low"`},
		{ID: "staged-pilot", Name: "分阶段试点,设置风控节点", When: `risk_level == "high"`, Actions: []dossier.Action{
			{Title: "3个工作日内完成决策链调研", DueDays: 3},
			{Title: "设计试点范围与分期付款节点", DueDays: 14},
		}},
		{ID: "supervisor-churn", Name: "主管跟进,制定专项挽留方案", When: `"` + TagChurnRisk + `" in tags`, Actions: []dossier.Action{
			{Title: "主管1周内拜访并制定挽留方案", DueDays: 7},
		}},
		{ID: "discount-bundle", Name: "折扣套餐", When: `"` + TagPriceSensitve + `" in tags`, Actions: []dossier.Action{
			{Title: "准备组合折扣方案", DueDays: 10},
		}},
	}
}
