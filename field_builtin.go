package dossier

// Option sets shared by several fields.
var (
	StageOptions = []Option{
		{Value: "prospect", LabelZH: "潜在", LabelEN: "Prospect", Synonyms: []string{"潜在客户", "意向"}},
		{Value: "won", LabelZH: "成交", LabelEN: "Won", Synonyms: []string{"已成交", "合作中", "成交客户", "customer"}},
		{Value: "churned", LabelZH: "流失", LabelEN: "Churned", Synonyms: []string{"已流失", "流失客户", "lost"}},
	}
	CustomerTypeOptions = []Option{
		{Value: "ka", LabelZH: "KA大客户", LabelEN: "Key account", Synonyms: []string{"KA", "大客户"}},
		{Value: "smb", LabelZH: "中小企业", LabelEN: "SMB", Synonyms: []string{"SMB", "中小客户"}},
		{Value: "individual", LabelZH: "个人", LabelEN: "Individual", Synonyms: []string{"个人客户"}},
	}
	GradeOptions = []Option{
		{Value: "key", LabelZH: "重点", LabelEN: "Key", Synonyms: []string{"重点客户"}},
		{Value: "potential", LabelZH: "潜在", LabelEN: "Potential", Synonyms: []string{"潜在客户"}},
		{Value: "ordinary", LabelZH: "普通", LabelEN: "Ordinary", Synonyms: []string{"普通客户", "一般"}},
	}
	StrategicValueOptions = []Option{
		{Value: "benchmark", LabelZH: "行业标杆", LabelEN: "Industry benchmark", Synonyms: []string{"头部企业", "行业标杆/头部企业", "标杆"}},
		{Value: "regional_leader", LabelZH: "区域龙头", LabelEN: "Regional leader", Synonyms: []string{"区域龙头企业", "龙头"}},
		{Value: "ordinary", LabelZH: "普通", LabelEN: "Ordinary", Synonyms: []string{"普通企业", "一般"}},
	}
	ContactRoleOptions = []Option{
		{Value: "decision_maker", LabelZH: "决策人", LabelEN: "Decision maker", Synonyms: []string{"决策者", "拍板人"}},
		{Value: "technical", LabelZH: "技术对接人", LabelEN: "Technical contact", Synonyms: []string{"技术负责人", "技术"}},
		{Value: "procurement", LabelZH: "采购负责人", LabelEN: "Procurement lead", Synonyms: []string{"采购", "采购经理"}},
		{Value: "influencer", LabelZH: "影响者", LabelEN: "Influencer", Synonyms: []string{"影响人"}},
		{Value: "user", LabelZH: "使用者", LabelEN: "User", Synonyms: []string{"使用人", "用户"}},
	}
	ChannelOptions = []Option{
		{Value: "phone", LabelZH: "电话", LabelEN: "Phone", Synonyms: []string{"电话沟通", "致电"}},
		{Value: "meeting", LabelZH: "面谈", LabelEN: "Meeting", Synonyms: []string{"拜访", "上门", "当面"}},
		{Value: "email", LabelZH: "邮件", LabelEN: "Email", Synonyms: []string{"电子邮件", "e-mail"}},
		{Value: "online", LabelZH: "线上会议", LabelEN: "Online meeting", Synonyms: []string{"线上", "视频会议", "腾讯会议", "钉钉"}},
	}
	FeedbackOptions = []Option{
		{Value: "positive", LabelZH: "积极", LabelEN: "Positive", Synonyms: []string{"正面", "满意", "良好"}},
		{Value: "neutral", LabelZH: "中性", LabelEN: "Neutral", Synonyms: []string{"一般", "观望"}},
		{Value: "negative", LabelZH: "消极", LabelEN: "Negative", Synonyms: []string{"负面", "不满意", "拒绝"}},
	}
	PriorityOptions = []Option{
		{Value: "high", LabelZH: "高", LabelEN: "High", Synonyms: []string{"高优先级", "1周内跟进"}},
		{Value: "medium", LabelZH: "中", LabelEN: "Medium", Synonyms: []string{"中优先级", "2周内跟进"}},
		{Value: "low", LabelZH: "低", LabelEN: "Low", Synonyms: []string{"低优先级", "1个月内跟进"}},
	}
)

// BuiltinFields returns the fields of SPEC R2 and DESIGN.md's field keys. The
// keys are a stable surface; labels and order may change.
func BuiltinFields() []Field {
	fs := []Field{
		// 基础信息
		{Key: "name", LabelZH: "客户名称", LabelEN: "Customer name", Category: CatBasic, Type: TypeText, Required: true, KeyFact: true,
			Aliases: []string{"公司名称", "企业名称", "客户全称", "企业全称", "公司全称", "单位名称", "company", "customer"}},
		{Key: "credit_code", LabelZH: "统一社会信用代码", LabelEN: "Unified social credit code", Category: CatBasic, Type: TypeCreditCode, KeyFact: true,
			Aliases: []string{"信用代码", "社会信用代码", "税号", "uscc"}},
		{Key: "industry", LabelZH: "所属行业", LabelEN: "Industry", Category: CatBasic, Type: TypeText, Required: true,
			Aliases: []string{"行业", "行业分类"}},
		{Key: "customer_type", LabelZH: "客户类型", LabelEN: "Customer type", Category: CatBasic, Type: TypeEnum, Options: CustomerTypeOptions},
		{Key: "stage", LabelZH: "合作阶段", LabelEN: "Lifecycle stage", Category: CatBasic, Type: TypeEnum, Options: StageOptions,
			Aliases: []string{"客户阶段", "生命周期阶段", "阶段"}},
		{Key: "province", LabelZH: "省份", LabelEN: "Province", Category: CatBasic, Type: TypeText, Aliases: []string{"省", "地区"}},
		{Key: "city", LabelZH: "城市", LabelEN: "City", Category: CatBasic, Type: TypeText, Aliases: []string{"市", "所在城市"}},
		{Key: "address", LabelZH: "地址", LabelEN: "Address", Category: CatBasic, Type: TypeText, Aliases: []string{"公司地址", "注册地址"}},
		{Key: "employees", LabelZH: "员工人数", LabelEN: "Employees", Category: CatBasic, Type: TypeNumber, KeyFact: true, Aliases: []string{"人数", "员工数", "企业规模"}},
		{Key: "revenue", LabelZH: "年营收", LabelEN: "Annual revenue", Category: CatBasic, Type: TypeMoney, KeyFact: true, Aliases: []string{"年营业额", "营业收入", "营收"}},
		{Key: "founded", LabelZH: "成立时间", LabelEN: "Founded", Category: CatBasic, Type: TypeDate, Aliases: []string{"成立日期"}},
		{Key: "registered_capital", LabelZH: "注册资本", LabelEN: "Registered capital", Category: CatBasic, Type: TypeMoney},
		{Key: "main_business", LabelZH: "主营业务", LabelEN: "Main business", Category: CatBasic, Type: TypeText, Aliases: []string{"经营范围"}},
		{Key: "branches", LabelZH: "分支机构分布", LabelEN: "Branch distribution", Category: CatBasic, Type: TypeText, Aliases: []string{"分支机构"}},
		{Key: "strategic_value", LabelZH: "战略价值", LabelEN: "Strategic value", Category: CatBasic, Type: TypeEnum, Options: StrategicValueOptions},
		{Key: "owner", LabelZH: "负责人", LabelEN: "Owner", Category: CatBasic, Type: TypeText, Aliases: []string{"客户经理", "销售负责人", "跟进人"}},
		{Key: "team", LabelZH: "所属团队", LabelEN: "Team", Category: CatBasic, Type: TypeText, Aliases: []string{"团队"}},

		// 联系人
		{Key: "contact_name", LabelZH: "联系人", LabelEN: "Contact", Entity: EntityContact, Category: CatContact, Type: TypeText, Required: true,
			Aliases: []string{"联系人姓名", "姓名"}},
		{Key: "contact_title", LabelZH: "职务", LabelEN: "Title", Entity: EntityContact, Category: CatContact, Type: TypeText, Aliases: []string{"职位", "联系人职务"}},
		{Key: "contact_role", LabelZH: "决策角色", LabelEN: "Decision role", Entity: EntityContact, Category: CatContact, Type: TypeEnum, Options: ContactRoleOptions,
			Aliases: []string{"决策链角色", "角色"}},
		{Key: "contact_phone", LabelZH: "电话", LabelEN: "Phone", Entity: EntityContact, Category: CatContact, Type: TypePhone,
			Aliases: []string{"手机", "手机号", "联系电话", "电话号码", "mobile"}},
		{Key: "contact_email", LabelZH: "邮箱", LabelEN: "Email", Entity: EntityContact, Category: CatContact, Type: TypeEmail, Aliases: []string{"电子邮箱", "邮件地址", "e-mail"}},

		// 业务背景
		{Key: "industry_rank", LabelZH: "行业排名", LabelEN: "Industry rank", Category: CatBackground, Type: TypeText},
		{Key: "market_share", LabelZH: "市场份额", LabelEN: "Market share", Category: CatBackground, Type: TypePercent},
		{Key: "core_advantages", LabelZH: "核心优势", LabelEN: "Core advantages", Category: CatBackground, Type: TypeTags},
		{Key: "main_competitors", LabelZH: "主要竞争对手", LabelEN: "Main competitors", Category: CatBackground, Type: TypeTags, Aliases: []string{"竞争对手"}},
		{Key: "revenue_history", LabelZH: "近三年营收", LabelEN: "Revenue, last three years", Category: CatBackground, Type: TypeText},
		{Key: "profit_growth", LabelZH: "利润增长率", LabelEN: "Profit growth rate", Category: CatBackground, Type: TypePercent},
		{Key: "customer_groups", LabelZH: "主要客户群体", LabelEN: "Main customer groups", Category: CatBackground, Type: TypeText},
		{Key: "partners", LabelZH: "上下游合作伙伴", LabelEN: "Upstream and downstream partners", Category: CatBackground, Type: TypeText},
		{Key: "strategic_goals", LabelZH: "发展目标", LabelEN: "Strategic goals", Category: CatBackground, Type: TypeText, Aliases: []string{"战略目标"}},

		// 需求特征 (the core need of the collection form; detailed needs are records of their own)
		{Key: "need_type", LabelZH: "需求类型", LabelEN: "Need type", Category: CatNeed, Type: TypeText, Required: true, Aliases: []string{"核心需求", "产品需求"}},
		{Key: "need_description", LabelZH: "需求描述", LabelEN: "Need description", Category: CatNeed, Type: TypeText},
		{Key: "budget", LabelZH: "预算范围", LabelEN: "Budget range", Category: CatNeed, Type: TypeRange, KeyFact: true, Aliases: []string{"预算"}},
		{Key: "purchase_timeline", LabelZH: "采购时间节点", LabelEN: "Purchase timeline", Category: CatNeed, Type: TypeTimeline, Aliases: []string{"采购时间"}},
		{Key: "expected_amount", LabelZH: "预估采购金额", LabelEN: "Expected purchase amount", Category: CatNeed, Type: TypeMoney, Aliases: []string{"预计采购金额"}},
		{Key: "pain_points", LabelZH: "核心痛点", LabelEN: "Pain points", Category: CatNeed, Type: TypeText, Aliases: []string{"痛点"}},
		{Key: "decision_process", LabelZH: "决策流程", LabelEN: "Decision process", Category: CatNeed, Type: TypeText, KeyFact: true},
		{Key: "decision_factors", LabelZH: "决策因素", LabelEN: "Decision factors", Category: CatNeed, Type: TypeTags},

		// 合作历史与风险因素
		{Key: "last_contact_date", LabelZH: "最近沟通时间", LabelEN: "Last contact", Entity: EntityInteraction, Category: CatHistory, Type: TypeDate, Aliases: []string{"最后沟通时间", "沟通时间"}},
		{Key: "last_contact_channel", LabelZH: "沟通方式", LabelEN: "Contact channel", Entity: EntityInteraction, Category: CatHistory, Type: TypeEnum, Options: ChannelOptions},
		{Key: "last_contact_summary", LabelZH: "沟通内容摘要", LabelEN: "Contact summary", Entity: EntityInteraction, Category: CatHistory, Type: TypeText, Aliases: []string{"沟通内容"}},
		{Key: "feedback", LabelZH: "客户反馈", LabelEN: "Feedback", Entity: EntityInteraction, Category: CatHistory, Type: TypeText, Aliases: []string{"反馈"}},
		{Key: "satisfaction", LabelZH: "满意度", LabelEN: "Satisfaction", Category: CatHistory, Type: TypeRating},
		{Key: "debt_ratio", LabelZH: "负债率", LabelEN: "Debt ratio", Category: CatHistory, Type: TypePercent, KeyFact: true, Aliases: []string{"资产负债率"}},
		{Key: "overdue_receivables", LabelZH: "逾期应收账款", LabelEN: "Overdue receivables", Category: CatHistory, Type: TypeMoney, KeyFact: true, Aliases: []string{"逾期账款"}},
		{Key: "churn_reason", LabelZH: "流失原因", LabelEN: "Churn reason", Category: CatHistory, Type: TypeText},
		// Win/loss against our competitors (R26/R27): to whom a churned customer went, from whom a won one came.
		{Key: "lost_to", LabelZH: "流失去向", LabelEN: "Lost to competitor", Category: CatHistory, Type: TypeText, Aliases: []string{"流失至竞品", "转投竞品"}},
		{Key: "won_from", LabelZH: "原合作竞品", LabelEN: "Won from competitor", Category: CatHistory, Type: TypeText, Aliases: []string{"赢自竞品", "原供应商"}},
		// Business-registry signals (企查查/天眼查): numbers of records, third-party facts feeding the financial risk rules.
		{Key: "dishonest_debtor", LabelZH: "失信被执行人", LabelEN: "Dishonest judgment debtor records", Category: CatHistory, Type: TypeNumber, Aliases: []string{"失信记录"}},
		{Key: "abnormal_operations", LabelZH: "经营异常", LabelEN: "Abnormal operation records", Category: CatHistory, Type: TypeNumber, Aliases: []string{"经营异常记录"}},
		{Key: "administrative_penalties", LabelZH: "行政处罚", LabelEN: "Administrative penalties", Category: CatHistory, Type: TypeNumber, Aliases: []string{"行政处罚记录"}},
		{Key: "equity_freezes", LabelZH: "股权冻结", LabelEN: "Equity freezes", Category: CatHistory, Type: TypeNumber, Aliases: []string{"股权冻结记录"}},

		// 分析结果
		{Key: "grade", LabelZH: "客户等级", LabelEN: "Grade", Category: CatAnalysis, Type: TypeEnum, Options: GradeOptions},
		{Key: "need_match", LabelZH: "需求匹配度", LabelEN: "Need match", Category: CatAnalysis, Type: TypeRating},
		{Key: "likelihood", LabelZH: "合作可能性", LabelEN: "Cooperation likelihood", Category: CatAnalysis, Type: TypeRating, Aliases: []string{"合作意向"}},
		{Key: "follow_up_priority", LabelZH: "跟进优先级", LabelEN: "Follow-up priority", Category: CatAnalysis, Type: TypeEnum, Options: PriorityOptions},
	}
	for i := range fs {
		fs[i].Builtin = true
		fs[i].Position = (i + 1) * 10
		if fs[i].Entity == "" {
			fs[i].Entity = EntityCustomer
		}
	}
	return fs
}
