package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/dossier/dossier"
)

// Our competitors and the market (SPEC R26-R27). Churned customers that left
// for a competitor name it in lost_to; some won customers came from one
// (won_from). Draws come from a stream of their own, so adding win/loss did
// not change any other value of the data set.

// rival is one of our competitors; weight is how often customers go to it.
type rival struct {
	name, positioning, strengths, weaknesses, price string
	weight                                          int
}

var rivals = []rival{
	{"云启软件", "面向中小企业的标准化SaaS", "价格低;上手快", "定制能力弱;不灵活", "low", 40},
	{"数擎科技", "大型企业定制化解决方案", "行业经验深;定制能力强", "实施周期长;价格高", "high", 25},
	{"智联云", "营销与客服一体化平台", "生态丰富;品牌知名度高", "响应速度一般", "mid", 20},
	{"海纳数据", "数据分析与商业智能", "分析功能强", "服务网点少", "mid", 15},
}

// lostShare is the chance that a customer churned for this reason went to a
// competitor: always when it was replaced by one, often over price.
var lostShare = map[string]float64{"被竞品替代": 1, "价格偏高": 0.6, "响应速度慢": 0.3}

func drawRival(r *rand.Rand, cheap bool) string {
	if cheap && chance(r, 0.7) {
		return rivals[0].name
	}
	t := 0
	for _, v := range rivals {
		t += v.weight
	}
	x := r.IntN(t)
	for _, v := range rivals {
		if x -= v.weight; x < 0 {
			return v.name
		}
	}
	return rivals[0].name
}

// setWinLoss adds the competitor a churned customer was lost to, or a won
// customer was won from. A duplicate record tells the same story.
func (g *generator) setWinLoss(o *dossier.Observation, p *profile, reason string) {
	r := newRand(g.cfg.Seed, streamWinLoss, uint64(p.company))
	switch {
	case p.stage == "churned" && chance(r, max(lostShare[reason], 0.1)):
		set(o, "lost_to", drawRival(r, reason == "价格偏高"))
	case p.stage == "won" && chance(r, 0.35):
		set(o, "won_from", drawRival(r, false))
	}
}

var (
	marketRegions    = []string{"华东", "华南", "华北", "华中", "西南", "西北", "东北"}
	marketIndustries = []string{"制造业", "信息技术", "批发和零售业", "建筑业", "交通运输"}
	marketSources    = []string{"艾瑞咨询", "IDC中国", "赛迪顾问", "国家统计局"}
	marketNotes      = []struct{ kind, title, body, source string }{
		{dossier.NotePolicy, "中小企业数字化转型专项行动", "对上云用数赋智的中小企业给予补贴,利好SaaS采购", "工业和信息化部通知"},
		{dossier.NotePolicy, "数据安全法与个人信息保护法配套细则", "客户数据须分级保护,本地化部署需求上升", "国家网信办"},
		{dossier.NotePolicy, "制造业设备更新与技术改造政策", "设备更新贷款贴息,制造业信息化预算增加", "国家发展改革委"},
		{dossier.NoteTechnology, "大模型进入客服与销售场景", "智能客服与销售助手成为采购评估项", "IDC中国"},
		{dossier.NoteTechnology, "国产数据库与信创替代加速", "政府及国企客户要求适配国产软硬件", "赛迪顾问"},
		{dossier.NoteTechnology, "低代码平台普及", "客户期望自行配置表单与流程", "艾瑞咨询"},
	}
)

// Market returns the demo's market: sizes per region and industry for the
// three years before asOf, notes, competitor profiles and their shares; the
// same for the same seed and as-of date.
func Market(seed uint64, asOf time.Time) dossier.MarketBatch {
	if asOf.IsZero() {
		asOf = defaultAsOf
	}
	r := newRand(seed, streamWinLoss, 1<<40)
	var m dossier.MarketBatch
	src := func(detail string, year int) dossier.Source {
		return dossier.Source{Channel: dossier.ChannelThirdParty, Detail: detail,
			CollectedAt: time.Date(year+1, time.Month(between(r, 1, 6)), between(r, 1, 28), 10, 0, 0, 0, time.UTC), CollectedBy: "市场部"}
	}
	last := asOf.Year() - 1
	for _, region := range marketRegions {
		for _, ind := range marketIndustries {
			size := float64(between(r, 20, 400)) * 1e8 // yuan
			growth := 3 + 20*r.Float64()
			for y := last - 2; y <= last; y++ {
				gr := math.Round(growth*10) / 10
				m.Records = append(m.Records, dossier.MarketRecord{Region: region, Industry: ind, Year: y,
					Size: int64(math.Round(size/1e6)) * 1e6, Growth: &gr, Source: src(pick(r, marketSources), y)})
				size *= 1 + growth/100
				growth = max(0, growth+4*r.Float64()-2)
			}
		}
	}
	for _, n := range marketNotes {
		m.Notes = append(m.Notes, dossier.MarketNote{Kind: n.kind, Region: "全国", Title: n.title, Body: n.body,
			Source: dossier.Source{Channel: dossier.ChannelPublic, Detail: n.source,
				CollectedAt: asOf.AddDate(0, -between(r, 1, 18), 0), CollectedBy: "市场部"}})
	}
	for _, v := range rivals {
		m.Competitors = append(m.Competitors, dossier.Competitor{Name: v.name, Positioning: v.positioning,
			Strengths: v.strengths, Weaknesses: v.weaknesses, PriceLevel: v.price,
			Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "竞品分析会议纪要", CollectedAt: asOf.AddDate(0, -2, 0), CollectedBy: "市场部"}})
	}
	for _, region := range marketRegions {
		for y := last - 1; y <= last; y++ {
			for _, v := range rivals {
				share := float64(v.weight) * (0.4 + 0.5*r.Float64()) // the four together stay under 100%
				m.Shares = append(m.Shares, dossier.MarketShare{Competitor: v.name, Region: region, Year: y,
					Share: math.Round(share*10) / 10, Source: src("区域市场调研"+strconv.Itoa(y), y)})
			}
		}
	}
	return m
}
