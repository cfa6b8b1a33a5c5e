package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Deterministic synthetic CRM data. Every worker uses the same seeds, so all
// drivers insert byte-identical rows and run identical query sequences.

var (
	industries = []string{"制造业", "信息技术", "金融服务", "医疗健康", "教育培训", "零售批发", "物流运输",
		"房地产", "能源化工", "农业食品", "文化传媒", "建筑工程", "汽车配件", "电子元器件", "生物医药",
		"环保科技", "餐饮酒店", "纺织服装", "机械设备", "专业服务"}
	provinces = []struct {
		name   string
		cities []string
	}{
		{"广东省", []string{"广州市", "深圳市", "东莞市", "佛山市"}},
		{"浙江省", []string{"杭州市", "宁波市", "温州市"}},
		{"江苏省", []string{"南京市", "苏州市", "无锡市", "常州市"}},
		{"山东省", []string{"济南市", "青岛市", "烟台市"}},
		{"四川省", []string{"成都市", "绵阳市"}},
		{"湖北省", []string{"武汉市", "宜昌市"}},
		{"福建省", []string{"福州市", "厦门市", "泉州市"}},
		{"河南省", []string{"郑州市", "洛阳市"}},
		{"北京市", []string{"北京市"}},
		{"上海市", []string{"上海市"}},
	}
	stages     = []string{"线索", "初次接触", "需求确认", "方案报价", "商务谈判", "赢单", "输单"}
	grades     = []string{"A", "B", "C", "D"}
	owners     = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷"}
	channels   = []string{"电话", "微信", "邮件", "上门拜访", "展会", "视频会议"}
	factSrcs   = []string{"官网", "企查查", "天眼查", "展会名录", "销售录入"}
	brandChars = []rune("华盛泰恒达信安顺宏鑫瑞兴隆昌海天博远嘉创联合新星金宇明科通源")
	suffixes   = []string{"有限公司", "股份有限公司", "科技有限公司", "集团有限公司"}
	summaries  = []string{"客户对新版报价有疑问", "约定下周三上门演示", "已发送产品资料", "对方采购负责人变更",
		"需求确认完毕待出方案", "客户预算下调百分之二十", "续约意向明确", "竞品价格更低需跟进",
		"技术对接会议顺利", "催收第二期款项"}
	creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	baseTime       = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
)

const spanDays = 900 // dates fall in 2023-01-01 .. 2025-06-19

type customer struct {
	id                                                              int64
	name, creditCode, industry, province, city, stage, grade, owner string
	employees, revenue, expectedAmount                              int64
	updatedAt                                                       string
}

type interaction struct {
	customerID             int64
	date, channel, summary string
}

type fact struct {
	customerID                                     int64
	channel, sourceDetail, collectedAt, valuesJSON string
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func randDate(r *rand.Rand) string {
	return baseTime.AddDate(0, 0, r.IntN(spanDays)).Format("2006-01-02")
}

func randTimestamp(r *rand.Rand) string {
	return baseTime.Add(time.Duration(r.Int64N(spanDays*86400)) * time.Second).Format("2006-01-02 15:04:05")
}

func genCustomer(r *rand.Rand, id int64) customer {
	p := pick(r, provinces)
	city := pick(r, p.cities)
	ind := pick(r, industries)
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(city, "市"))
	b.WriteRune(pick(r, brandChars))
	b.WriteRune(pick(r, brandChars))
	b.WriteString(ind)
	b.WriteString(pick(r, suffixes))
	cc := make([]byte, 18)
	for i := range cc {
		cc[i] = creditAlphabet[r.IntN(len(creditAlphabet))]
	}
	emp := int64(5 + r.ExpFloat64()*300)
	return customer{
		id: id, name: b.String(), creditCode: string(cc), industry: ind,
		province: p.name, city: city, stage: pick(r, stages), grade: pick(r, grades),
		employees: emp, revenue: emp * (20 + r.Int64N(200)), expectedAmount: 10000 * (1 + r.Int64N(500)),
		owner: pick(r, owners), updatedAt: randTimestamp(r),
	}
}

func genInteraction(r *rand.Rand, nCustomers int) interaction {
	return interaction{
		customerID: 1 + r.Int64N(int64(nCustomers)),
		date:       randDate(r),
		channel:    pick(r, channels),
		summary:    pick(r, summaries) + "，" + pick(r, owners) + "负责",
	}
}

func genFact(r *rand.Rand, nCustomers int) fact {
	return fact{
		customerID:   1 + r.Int64N(int64(nCustomers)),
		channel:      pick(r, factSrcs),
		sourceDetail: fmt.Sprintf("批次%03d第%d页", r.IntN(1000), 1+r.IntN(50)),
		collectedAt:  randTimestamp(r),
		valuesJSON:   fmt.Sprintf(`{"employees":%d,"revenue":%d,"phone":"138%08d"}`, r.IntN(5000), r.IntN(1000000), r.IntN(100000000)),
	}
}
