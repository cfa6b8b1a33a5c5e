package dossier

import (
	"slices"
	"strings"
	"sync"
)

// Province is one of the 31 provincial-level divisions of mainland China
// (provinces, municipalities, autonomous regions), with the region group
// management reports use and a handful of major cities, capital first.
// Short is the form company names and people use: 广东省 → 广东,
// 广西壮族自治区 → 广西, 北京市 → 北京. A municipality's only city is itself.
type Province struct {
	Name   string   `json:"name"`
	Short  string   `json:"short"`
	Region string   `json:"region"` // 华东, 华北, 华南, 华中, 西南, 西北, 东北
	Cities []string `json:"cities"` // full names: "深圳市"
}

// Regions lists the region groups in the order reports show them.
var Regions = []string{"华东", "华北", "华南", "华中", "西南", "西北", "东北"}

var provinces = []Province{
	// 华北
	{"北京市", "北京", "华北", []string{"北京市"}},
	{"天津市", "天津", "华北", []string{"天津市"}},
	{"河北省", "河北", "华北", []string{"石家庄市", "唐山市", "保定市", "廊坊市", "邯郸市"}},
	{"山西省", "山西", "华北", []string{"太原市", "大同市", "长治市"}},
	{"内蒙古自治区", "内蒙古", "华北", []string{"呼和浩特市", "包头市", "鄂尔多斯市"}},
	// 东北
	{"辽宁省", "辽宁", "东北", []string{"沈阳市", "大连市", "鞍山市"}},
	{"吉林省", "吉林", "东北", []string{"长春市", "吉林市"}},
	{"黑龙江省", "黑龙江", "东北", []string{"哈尔滨市", "大庆市", "齐齐哈尔市"}},
	// 华东
	{"上海市", "上海", "华东", []string{"上海市"}},
	{"江苏省", "江苏", "华东", []string{"南京市", "苏州市", "无锡市", "常州市", "南通市", "徐州市"}},
	{"浙江省", "浙江", "华东", []string{"杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市", "金华市"}},
	{"安徽省", "安徽", "华东", []string{"合肥市", "芜湖市", "马鞍山市"}},
	{"福建省", "福建", "华东", []string{"福州市", "厦门市", "泉州市"}},
	{"江西省", "江西", "华东", []string{"南昌市", "赣州市", "九江市"}},
	{"山东省", "山东", "华东", []string{"济南市", "青岛市", "烟台市", "潍坊市", "临沂市"}},
	// 华中
	{"河南省", "河南", "华中", []string{"郑州市", "洛阳市", "新乡市"}},
	{"湖北省", "湖北", "华中", []string{"武汉市", "宜昌市", "襄阳市"}},
	{"湖南省", "湖南", "华中", []string{"长沙市", "株洲市", "岳阳市"}},
	// 华南
	{"广东省", "广东", "华南", []string{"广州市", "深圳市", "东莞市", "佛山市", "珠海市", "中山市"}},
	{"广西壮族自治区", "广西", "华南", []string{"南宁市", "柳州市", "桂林市"}},
	{"海南省", "海南", "华南", []string{"海口市", "三亚市"}},
	// 西南
	{"重庆市", "重庆", "西南", []string{"重庆市"}},
	{"四川省", "四川", "西南", []string{"成都市", "绵阳市", "宜宾市"}},
	{"贵州省", "贵州", "西南", []string{"贵阳市", "遵义市"}},
	{"云南省", "云南", "西南", []string{"昆明市", "曲靖市", "玉溪市"}},
	{"西藏自治区", "西藏", "西南", []string{"拉萨市"}},
	// 西北
	{"陕西省", "陕西", "西北", []string{"西安市", "宝鸡市", "咸阳市"}},
	{"甘肃省", "甘肃", "西北", []string{"兰州市", "天水市"}},
	{"青海省", "青海", "西北", []string{"西宁市"}},
	{"宁夏回族自治区", "宁夏", "西北", []string{"银川市"}},
	{"新疆维吾尔自治区", "新疆", "西北", []string{"乌鲁木齐市", "克拉玛依市"}},
}

// Provinces returns the 31 provincial-level divisions grouped by region. The
// slice and its city lists are new on every call.
func Provinces() []Province {
	out := make([]Province, len(provinces))
	for i := range provinces {
		out[i] = provinceAt(i)
	}
	return out
}

// provinceAt returns a copy of a province that callers may change freely.
func provinceAt(i int) Province {
	p := provinces[i]
	p.Cities = slices.Clone(p.Cities)
	return p
}

// CityShort returns the short form of a city's name as used in company names:
// 深圳市 → 深圳. Names without a known suffix are returned unchanged.
func CityShort(city string) string {
	city = strings.TrimSpace(city)
	if s, ok := strings.CutSuffix(city, "市"); ok && len([]rune(s)) >= 2 {
		return s
	}
	return city
}

type regionIndex struct {
	province map[string]int // full and short names
	city     map[string]int // full and short city names
}

// regionIdx is built once: imports look a province up on every row.
var regionIdx = sync.OnceValue(func() regionIndex {
	idx := regionIndex{province: map[string]int{}, city: map[string]int{}}
	for i, p := range provinces {
		idx.province[p.Name] = i
		idx.province[p.Short] = i
		for _, c := range p.Cities {
			idx.city[c] = i
			if _, taken := idx.city[CityShort(c)]; !taken {
				idx.city[CityShort(c)] = i
			}
		}
	}
	return idx
})

// FindProvince finds a province by its full name ("广东省") or short form
// ("广东", "内蒙古").
func FindProvince(s string) (Province, bool) {
	i, ok := regionIdx().province[strings.TrimSpace(s)]
	if !ok {
		return Province{}, false
	}
	return provinceAt(i), true
}

// ProvinceOfCity returns the province of one of the listed cities, by full
// name ("深圳市") or short form ("深圳"). A municipality is its own city.
func ProvinceOfCity(city string) (Province, bool) {
	i, ok := regionIdx().city[strings.TrimSpace(city)]
	if !ok {
		return Province{}, false
	}
	return provinceAt(i), true
}
