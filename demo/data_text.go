package demo

// Tables of the words people write: products customers need, pain points,
// decision processes, interaction notes, feedback, sources.

// product is something customers need from us: a need type with the
// descriptions and pain points that go with it. focus lists the industry
// sections where the need is common; scale sizes its budget.
type product struct {
	name  string
	desc  []string
	pains []string
	focus []string
	scale float64
}

const productAnalytics = "企业级数据分析系统"

var products = []product{
	{productAnalytics, []string{"搭建统一的经营数据分析平台,实现销售、库存、财务报表自动化", "建设管理驾驶舱,实时查看经营指标"},
		[]string{"报表依赖手工汇总,数据口径不一致", "管理层无法及时看到经营数据"},
		[]string{"制造业", "批发和零售业", "金融业", "交通运输", "信息技术"}, 1},
	{"CRM系统", []string{"统一管理客户资料和销售过程,提升销售转化率", "建设客户服务工单系统,缩短响应时间"},
		[]string{"客户资料分散在销售个人手中", "销售过程不透明,跟进不及时"},
		[]string{"批发和零售业", "商务服务", "信息技术", "金融业", "房地产业", "教育"}, 0.8},
	{"ERP系统", []string{"打通采购、生产、库存和财务流程", "替换老旧进销存系统,支持多组织核算"},
		[]string{"各部门系统割裂,数据重复录入", "库存与财务账目对不上"},
		[]string{"制造业", "批发和零售业", "建筑业"}, 2},
	{"智能仓储管理系统", []string{"新建仓库的库位管理、出入库扫码与库存实时可视", "仓储扩容配套WMS与自动化设备对接"},
		[]string{"库存数据不准,盘点耗时", "仓库扩容后人工作业效率低"},
		[]string{"制造业", "交通运输", "批发和零售业"}, 1.5},
	{"MES生产管理系统", []string{"实现生产计划排程、工单报工和质量追溯"},
		[]string{"生产进度靠人工统计,交期经常延误", "质量问题难以追溯到批次"},
		[]string{"制造业"}, 2},
	{"云服务器", []string{"业务系统迁移上云,降低机房运维成本", "采购弹性云主机支撑业务高峰"},
		[]string{"自建机房老化,运维成本高", "业务高峰期系统经常宕机"},
		[]string{"信息技术", "教育", "文体娱乐"}, 0.6},
	{"年度营销咨询", []string{"制定年度品牌与渠道营销策略", "新品上市整合营销方案"},
		[]string{"获客成本逐年上升", "品牌知名度不足"},
		[]string{"批发和零售业", "住宿和餐饮业", "商务服务", "文体娱乐"}, 0.8},
	{"供应链协同平台", []string{"与供应商和经销商在线协同订单和交付"},
		[]string{"供应商交期不稳定,缺料频繁", "订单信息靠电话和表格传递"},
		[]string{"制造业", "批发和零售业"}, 1.5},
	{"财务共享系统", []string{"建设集团财务共享中心,统一核算与报销"},
		[]string{"报销流程长,分子公司核算口径不一"},
		[]string{"建筑业", "房地产业", "能源供应"}, 1.5},
	{"人力资源管理系统", []string{"覆盖招聘、考勤、薪酬和绩效的一体化人事系统"},
		[]string{"考勤和薪酬核算依赖Excel,差错率高", "门店人员流动大,招聘压力大"},
		[]string{"商务服务", "住宿和餐饮业", "医疗卫生"}, 0.7},
	{"网络安全服务", []string{"等保2.0测评整改及日常安全运维", "建设数据防泄漏与终端安全体系"},
		[]string{"面临等保合规检查压力", "曾发生勒索病毒事件"},
		[]string{"金融业", "医疗卫生", "能源供应", "信息技术"}, 0.8},
	{"数字化转型咨询", []string{"梳理业务流程,制定三年数字化转型规划"},
		[]string{"信息化投入大但效果不明显", "管理依赖经验,缺少数据支撑"},
		[]string{"制造业", "采矿业", "农林牧渔业", "能源供应"}, 1},
	{"协同办公平台", []string{"统一审批、公文和即时通讯"},
		[]string{"审批流程依赖纸质单据,效率低", "异地项目部沟通不畅"},
		[]string{"建筑业", "教育", "医疗卫生", "科技服务", "水利环境"}, 0.5},
}

// Decision processes as customers describe them; internal notes sometimes
// record a different one, which is a conflict worth showing (R7).
var decisionProcesses = []string{
	"业务部门提需求→IT部门评估→采购比价→总经理审批",
	"项目组评估→技术总监确认→财务审批→董事长签字",
	"需求立项→公开招标→评标委员会评审→总经理办公会决议",
	"部门经理提出→分管副总审批→总经理拍板",
	"总经理直接决策",
	"技术部门选型→采购部门谈判→财务部门审核→总裁审批",
}

var decisionFactors = []string{"价格", "质量", "稳定性", "易用性", "售后服务", "品牌", "合作关系", "交付周期"}

// heavySections care about stability first, the others about ease of use
// (SPEC R24's example).
var heavySections = []string{"制造业", "采矿业", "能源供应", "建筑业", "交通运输", "农林牧渔业"}

var strategicGoals = []string{"三年内营收翻番", "推进数字化转型", "拓展%s市场", "新建智能仓储中心", "扩建仓储物流中心",
	"布局海外市场", "上线新产品线", "筹备上市", "扩建生产基地", "优化供应链成本", "提升客户服务体验"}

var coreAdvantages = []string{"技术", "渠道", "品牌", "成本", "服务", "资质"}

var industryRanks = map[string][]string{
	"benchmark":       {"行业前10", "细分领域第1", "全国前20"},
	"regional_leader": {"%s地区前5", "省内前3", "%s地区前10"},
	"ordinary":        {"全国前200", "区域前50", "细分领域前30"},
}

var customerGroups = map[string][]string{
	"制造业":    {"整车厂及一级供应商", "国内外工业客户", "大型连锁商超", "海外品牌商"},
	"信息技术":   {"政府及事业单位", "中大型企业", "中小企业"},
	"批发和零售业": {"个人消费者", "连锁门店", "线上消费者"},
	"建筑业":    {"地方政府及城投公司", "房地产开发商"},
	"交通运输":   {"电商平台", "制造企业", "快消品牌"},
	"":       {"中小企业", "本地企业客户", "个人客户"},
}

// churnReasons with weights: response speed dominates, as in the seed's
// portrait example ("80% of churned customers left over response speed").
var churnReasons = []struct {
	text   string
	weight int
}{{"响应速度慢", 40}, {"价格偏高", 20}, {"被竞品替代", 20}, {"需求变化", 8}, {"服务体验差", 7}, {"预算削减", 5}}

// Where observations come from, per channel.
var (
	registrySources = []string{"企查查", "天眼查", "国家企业信用信息公示系统"}
	customerSources = []string{"需求调研问卷", "首次拜访记录", "商务洽谈纪要", "客户提供资料"}
	internalSources = []string{"CRM历史记录", "销售跟进记录", "客户经理评估"}
	contactSources  = []string{"名片", "首次拜访", "展会名录", "CRM历史记录"}
	projectSources  = []string{"合同台账", "项目管理系统"}
)

// Interaction phases, in the order a relationship goes through them.
const (
	phaseIntro = iota
	phaseSolution
	phaseDeal
	phaseService
	phaseComplaint
	phaseWinBack
)

// noteTemplates are interaction summaries per phase; {p} is the product,
// {c} the contact.
var noteTemplates = [][]struct{ channel, text string }{
	phaseIntro: {
		{"phone", "首次电话沟通,了解客户{p}需求,客户同意安排拜访"},
		{"phone", "电话跟进,{c}表示正在评估{p}方案"},
		{"meeting", "上门拜访{c},介绍公司产品及同行业案例"},
		{"email", "发送公司介绍及{p}产品资料"},
		{"online", "线上会议初步沟通{p}需求,客户关注实施周期"},
	},
	phaseSolution: {
		{"meeting", "为客户演示{p}核心功能,{c}对报表模块兴趣较大"},
		{"online", "线上会议演示{p},技术团队提出接口对接问题"},
		{"email", "发送{p}解决方案及报价单"},
		{"phone", "客户对系统响应速度有较高要求,希望提供试用版"},
		{"meeting", "组织需求调研会,梳理{p}业务流程"},
	},
	phaseDeal: {
		{"meeting", "商务洽谈,客户要求在报价基础上给予折扣"},
		{"phone", "电话沟通合同条款,客户法务正在审核"},
		{"email", "发送修订后的合同及付款方案"},
		{"online", "线上会议确认项目范围与实施计划"},
	},
	phaseService: {
		{"phone", "季度回访,了解{p}使用情况"},
		{"meeting", "上门巡检,收集用户对{p}的改进建议"},
		{"email", "发送系统升级通知及操作手册"},
		{"online", "线上培训新员工使用{p}"},
		{"phone", "客户反馈系统偶发卡顿,已转技术支持处理"},
	},
	phaseComplaint: {
		{"phone", "客户投诉问题响应不及时,要求给出整改方案"},
		{"meeting", "与{c}沟通续约事宜,客户认为价格偏高"},
		{"email", "客户邮件告知正在评估其他供应商"},
	},
	phaseWinBack: {
		{"phone", "回访流失客户,了解更换供应商原因"},
		{"meeting", "拜访{c},介绍新版{p}改进点,尝试恢复合作"},
		{"email", "发送老客户回流优惠方案"},
	},
}

// feedbackTexts by polarity, while selling and after the sale.
var feedbackTexts = map[string][]string{
	"positive": {"认可方案价值,希望尽快推进", "对演示效果满意", "愿意安排高层会面", "同意进入商务谈判"},
	"neutral":  {"需内部讨论后答复", "暂无明确采购计划", "要求补充同行业案例", "预算审批中,等待结果", "会将资料转交技术部门评估"},
	"negative": {"认为报价偏高", "对响应速度不满意", "已有合作供应商,暂不考虑", "对实施周期有顾虑", "表示预算被削减"},
}

var serviceFeedbackTexts = map[string][]string{
	"positive": {"对服务响应表示满意", "系统运行稳定,使用顺畅", "考虑明年扩大使用范围"},
	"neutral":  {"部分功能使用率不高", "希望增加移动端功能", "续费需等预算批复"},
	"negative": {"对响应速度不满意", "问题反复出现,影响业务", "认为续费价格偏高"},
}

// projectSuffixes name a customer's first, second and third project.
var projectSuffixes = [][]string{{"一期项目", "实施项目"}, {"二期扩容项目", "运维服务项目"}, {"年度服务项目"}}
