package dossier

import (
	"strings"
	"sync"
)

// Industry is one node of the standard industry hierarchy (SPEC R2.1): a
// top-level section after GB/T 4754-2017 or one of its sub-industries. Path
// is what the industry field stores: "制造业" for a section, "制造业-机械设备"
// for a sub-industry. Parent is the section's path, "" for a section.
type Industry struct {
	Path   string `json:"path"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Parent string `json:"parent,omitempty"`
}

// IndustrySep separates the levels of an industry path.
const IndustrySep = "-"

// industrySection is a section of GB/T 4754-2017 under the short display name
// sales teams use, with its official name and sub-industries.
type industrySection struct {
	name, nameEN, official string
	subs                   [][2]string // Chinese, English
}

// industrySections lists the sections that B2B sales meet, in GB/T 4754
// order (A, B, C, …). Public administration and international organisations
// are left out: they are not companies. Sub-industry names are unique across
// sections so that a bare sub-industry name finds its path.
var industrySections = []industrySection{
	{"农林牧渔业", "Agriculture, forestry and fishing", "农、林、牧、渔业", [][2]string{
		{"种植业", "Crop farming"}, {"畜牧业", "Animal husbandry"}, {"渔业", "Fishery"}, {"农业服务", "Agricultural services"}}},
	{"采矿业", "Mining", "采矿业", [][2]string{
		{"煤炭开采", "Coal mining"}, {"油气开采", "Oil and gas extraction"}, {"金属矿采选", "Metal ore mining"}}},
	{"制造业", "Manufacturing", "制造业", [][2]string{
		{"机械设备", "Machinery and equipment"}, {"汽车零部件", "Auto parts"}, {"电子设备", "Electronic equipment"},
		{"食品饮料", "Food and beverages"}, {"化工", "Chemicals"}, {"医药", "Pharmaceuticals"},
		{"纺织服装", "Textiles and apparel"}, {"金属制品", "Metal products"}, {"电气机械", "Electrical machinery"},
		{"家具家居", "Furniture and home goods"}, {"塑料橡胶", "Plastics and rubber"}, {"仪器仪表", "Instruments"},
		{"建材", "Building materials"}, {"新能源设备", "New-energy equipment"}}},
	{"能源供应", "Electricity, heat, gas and water", "电力、热力、燃气及水生产和供应业", [][2]string{
		{"电力生产", "Power generation"}, {"燃气供应", "Gas supply"}, {"水务", "Water supply"}}},
	{"建筑业", "Construction", "建筑业", [][2]string{
		{"房屋建筑", "Building construction"}, {"土木工程", "Civil engineering"}, {"建筑安装", "Building installation"},
		{"装饰装修", "Decoration and fit-out"}}},
	{"批发和零售业", "Wholesale and retail", "批发和零售业", [][2]string{
		{"商贸批发", "Wholesale trade"}, {"零售连锁", "Retail chains"}, {"电子商务", "E-commerce"},
		{"医药流通", "Pharmaceutical distribution"}, {"汽车销售", "Automobile sales"}}},
	{"交通运输", "Transport, storage and postal services", "交通运输、仓储和邮政业", [][2]string{
		{"道路运输", "Road transport"}, {"仓储物流", "Warehousing and logistics"}, {"航空运输", "Air transport"},
		{"水上运输", "Water transport"}, {"快递邮政", "Courier and postal services"}}},
	{"住宿和餐饮业", "Accommodation and catering", "住宿和餐饮业", [][2]string{
		{"酒店住宿", "Hotels"}, {"餐饮连锁", "Restaurant chains"}}},
	{"信息技术", "Information technology", "信息传输、软件和信息技术服务业", [][2]string{
		{"软件开发", "Software development"}, {"互联网平台", "Internet platforms"}, {"系统集成", "Systems integration"},
		{"电信服务", "Telecommunications"}, {"数据服务", "Data services"}}},
	{"金融业", "Finance", "金融业", [][2]string{
		{"银行", "Banking"}, {"证券基金", "Securities and funds"}, {"保险", "Insurance"}, {"融资租赁", "Financial leasing"}}},
	{"房地产业", "Real estate", "房地产业", [][2]string{
		{"房地产开发", "Property development"}, {"物业管理", "Property management"}}},
	{"商务服务", "Leasing and business services", "租赁和商务服务业", [][2]string{
		{"企业管理咨询", "Management consulting"}, {"广告营销", "Advertising and marketing"},
		{"人力资源服务", "Human resources services"}, {"设备租赁", "Equipment leasing"}}},
	{"科技服务", "Scientific research and technical services", "科学研究和技术服务业", [][2]string{
		{"研发服务", "R&D services"}, {"检验检测", "Testing and certification"}, {"工程设计", "Engineering design"},
		{"科技推广", "Technology transfer"}}},
	{"水利环境", "Water, environment and public facilities", "水利、环境和公共设施管理业", [][2]string{
		{"环境治理", "Environmental remediation"}, {"园林绿化", "Landscaping"}}},
	{"教育", "Education", "教育", [][2]string{
		{"职业培训", "Vocational training"}, {"高等教育", "Higher education"}, {"在线教育", "Online education"}}},
	{"医疗卫生", "Health and social work", "卫生和社会工作", [][2]string{
		{"综合医院", "General hospitals"}, {"专科医疗", "Specialist care"}, {"养老服务", "Elderly care"}}},
	{"文体娱乐", "Culture, sports and entertainment", "文化、体育和娱乐业", [][2]string{
		{"文化传媒", "Media"}, {"体育健身", "Sports and fitness"}, {"出版发行", "Publishing"}}},
}

// Industries returns the hierarchy: each section followed by its
// sub-industries, in GB/T 4754 order. The slice is new on every call.
func Industries() []Industry {
	var out []Industry
	for _, s := range industrySections {
		out = append(out, Industry{Path: s.name, NameZH: s.name, NameEN: s.nameEN})
		for _, sub := range s.subs {
			out = append(out, Industry{Path: s.name + IndustrySep + sub[0], NameZH: sub[0], NameEN: sub[1], Parent: s.name})
		}
	}
	return out
}

// FindIndustry finds an industry by its path ("制造业-机械设备"), a
// sub-industry's name ("机械设备"), a section's display name ("信息技术") or
// its official GB/T 4754 name ("信息传输、软件和信息技术服务业"). Spaces around
// the separator are ignored.
func FindIndustry(s string) (Industry, bool) {
	s = strings.TrimSpace(s)
	if top, sub, ok := strings.Cut(s, IndustrySep); ok {
		s = strings.TrimSpace(top) + IndustrySep + strings.TrimSpace(sub)
	}
	ind, ok := industryIndex()[s]
	return ind, ok
}

// industryIndex maps every name FindIndustry accepts to its industry. It is
// built once: analytics group by section on every row.
var industryIndex = sync.OnceValue(func() map[string]Industry {
	idx := map[string]Industry{}
	for _, ind := range Industries() {
		idx[ind.Path] = ind
		idx[ind.NameZH] = ind
	}
	for _, s := range industrySections {
		idx[s.official] = idx[s.name]
	}
	return idx
})

// IndustryTop returns the section of an industry path: "制造业" for
// "制造业-机械设备" and for "制造业". A path it does not know gives the part
// before the first separator, so grouping by section works on any value.
func IndustryTop(path string) string {
	if ind, ok := FindIndustry(path); ok {
		if ind.Parent != "" {
			return ind.Parent
		}
		return ind.Path
	}
	top, _, _ := strings.Cut(strings.TrimSpace(path), IndustrySep)
	return strings.TrimSpace(top)
}
