package demo

// Tables that make companies look real: trade-name characters, the words
// names use per industry, what each industry does, where companies are.
// All text uses half-width punctuation: dossier.CleanText folds full-width
// ASCII, so only half-width text is canonical.

// syllable is a character with its pinyin, for trade names and e-mail
// addresses built from them.
type syllable struct{ zh, py string }

// tradeChars are characters common in Chinese trade names (字号). None of them
// begins an industry word or a region name, so a name splits one way only.
var tradeChars = []syllable{
	{"华", "hua"}, {"信", "xin"}, {"达", "da"}, {"恒", "heng"}, {"泰", "tai"}, {"创", "chuang"}, {"瑞", "rui"},
	{"德", "de"}, {"鑫", "xin"}, {"盛", "sheng"}, {"宏", "hong"}, {"通", "tong"}, {"源", "yuan"}, {"隆", "long"},
	{"昌", "chang"}, {"兴", "xing"}, {"益", "yi"}, {"丰", "feng"}, {"成", "cheng"}, {"安", "an"}, {"康", "kang"},
	{"博", "bo"}, {"远", "yuan"}, {"中", "zhong"}, {"天", "tian"}, {"金", "jin"}, {"海", "hai"}, {"新", "xin"},
	{"联", "lian"}, {"鼎", "ding"}, {"嘉", "jia"}, {"诚", "cheng"}, {"永", "yong"}, {"宇", "yu"}, {"凯", "kai"},
	{"汇", "hui"}, {"捷", "jie"}, {"力", "li"}, {"威", "wei"}, {"邦", "bang"}, {"正", "zheng"}, {"和", "he"},
	{"润", "run"}, {"明", "ming"}, {"美", "mei"}, {"伟", "wei"}, {"峰", "feng"}, {"众", "zhong"}, {"光", "guang"},
	{"晟", "sheng"}, {"睿", "rui"}, {"腾", "teng"}, {"飞", "fei"}, {"悦", "yue"}, {"星", "xing"}, {"辰", "chen"},
	{"启", "qi"}, {"航", "hang"}, {"锦", "jin"}, {"利", "li"}, {"佳", "jia"}, {"弘", "hong"}, {"荣", "rong"},
	{"祥", "xiang"}, {"福", "fu"}, {"万", "wan"}, {"顺", "shun"}, {"宝", "bao"}, {"东", "dong"}, {"方", "fang"},
	{"合", "he"}, {"尚", "shang"}, {"高", "gao"}, {"亿", "yi"}, {"洋", "yang"}, {"聚", "ju"}, {"慧", "hui"},
	{"融", "rong"}, {"迅", "xun"}, {"驰", "chi"}, {"卓", "zhuo"}, {"越", "yue"}, {"振", "zhen"}, {"旭", "xu"},
	{"晶", "jing"}, {"普", "pu"}, {"维", "wei"}, {"立", "li"}, {"元", "yuan"}, {"久", "jiu"}, {"盈", "ying"},
	{"银", "yin"}, {"富", "fu"}, {"鸿", "hong"}, {"云", "yun"}, {"铭", "ming"}, {"奥", "ao"}, {"拓", "tuo"},
	{"赛", "sai"}, {"英", "ying"},
}

// word is an industry word of a company name with its English form.
type word struct{ zh, en string }

// industryData is what the generator knows about one sub-industry: how
// often it occurs among customers, the words its company names use and what
// such companies do.
type industryData struct {
	path     string
	weight   int
	words    []word
	business []string
}

var industryTable = []industryData{
	{"制造业-机械设备", 40, []word{{"机械", "machinery"}, {"重工", "heavy industry"}, {"装备", "equipment"}, {"精密机械", "precision machinery"}},
		[]string{"数控机床及零部件的研发、生产和销售", "工程机械整机制造与售后服务", "自动化生产线设计与集成"}},
	{"制造业-汽车零部件", 30, []word{{"汽车部件", "auto parts"}, {"汽配", "auto parts"}, {"精工", "precision"}},
		[]string{"汽车底盘及制动系统零部件制造", "汽车内饰件研发与生产", "新能源汽车电机壳体加工"}},
	{"制造业-电子设备", 30, []word{{"电子", "electronics"}, {"光电", "optoelectronics"}, {"微电子", "microelectronics"}},
		[]string{"消费电子结构件及模组制造", "PCB电路板设计与贴片加工", "LED显示屏研发与生产"}},
	{"制造业-食品饮料", 20, []word{{"食品", "foods"}, {"饮品", "beverages"}, {"乳业", "dairy"}},
		[]string{"休闲食品生产与全国分销", "茶饮料及果汁饮料生产", "乳制品加工与冷链配送"}},
	{"制造业-化工", 15, []word{{"化工", "chemical"}, {"新材料", "new materials"}, {"涂料", "coatings"}},
		[]string{"精细化工产品研发与生产", "工业涂料及胶粘剂制造", "高分子新材料研发与销售"}},
	{"制造业-医药", 12, []word{{"医药", "pharma"}, {"制药", "pharmaceutical"}, {"生物", "biotech"}},
		[]string{"化学原料药及制剂生产", "中成药研发与生产", "医疗器械耗材生产"}},
	{"制造业-纺织服装", 8, []word{{"纺织", "textile"}, {"服饰", "apparel"}},
		[]string{"针织面料生产与印染", "品牌服装设计与生产"}},
	{"制造业-金属制品", 8, []word{{"金属制品", "metal products"}, {"五金", "hardware"}},
		[]string{"不锈钢制品加工", "五金工具及配件制造"}},
	{"制造业-电气机械", 10, []word{{"电气", "electric"}, {"电器", "appliances"}},
		[]string{"高低压成套开关设备制造", "小家电研发与生产"}},
	{"制造业-家具家居", 6, []word{{"家居", "home"}, {"家具", "furniture"}},
		[]string{"定制家具设计与生产", "办公家具生产与销售"}},
	{"制造业-塑料橡胶", 5, []word{{"塑业", "plastics"}, {"橡塑", "rubber and plastics"}},
		[]string{"注塑件及模具加工", "橡胶密封件生产"}},
	{"制造业-仪器仪表", 5, []word{{"仪器", "instruments"}, {"仪表", "meters"}},
		[]string{"工业自动化仪表研发与制造", "实验室分析仪器生产"}},
	{"制造业-建材", 5, []word{{"建材", "building materials"}, {"陶瓷", "ceramics"}},
		[]string{"新型墙体材料生产", "建筑陶瓷生产与销售"}},
	{"制造业-新能源设备", 10, []word{{"新能源", "new energy"}, {"能源科技", "energy tech"}},
		[]string{"光伏组件研发与制造", "储能电池系统集成"}},
	{"信息技术-软件开发", 40, []word{{"软件", "software"}, {"信息技术", "information technology"}, {"网络科技", "network technology"}},
		[]string{"企业管理软件开发与实施", "行业应用软件定制开发", "SaaS产品研发与运营"}},
	{"信息技术-互联网平台", 15, []word{{"网络", "internet"}, {"数字科技", "digital technology"}},
		[]string{"本地生活服务平台运营", "B2B行业交易平台运营"}},
	{"信息技术-系统集成", 20, []word{{"智能科技", "intelligent technology"}, {"系统工程", "systems engineering"}},
		[]string{"智慧园区系统集成", "IT基础设施建设与运维服务"}},
	{"信息技术-电信服务", 8, []word{{"通信", "communications"}, {"通讯", "telecom"}},
		[]string{"通信网络工程施工与维护", "企业专线及宽带接入服务"}},
	{"信息技术-数据服务", 12, []word{{"数据科技", "data technology"}, {"大数据", "big data"}},
		[]string{"数据治理与分析服务", "数据中心托管与云服务"}},
	{"批发和零售业-商贸批发", 25, []word{{"贸易", "trading"}, {"商贸", "commerce"}, {"实业", "industrial"}},
		[]string{"工业原材料批发与进出口", "日用百货批发与分销"}},
	{"批发和零售业-零售连锁", 15, []word{{"商业", "retail"}, {"超市", "supermarket"}},
		[]string{"连锁超市经营", "品牌专卖店连锁经营"}},
	{"批发和零售业-电子商务", 15, []word{{"电子商务", "e-commerce"}, {"电商", "e-commerce"}},
		[]string{"跨境电商平台运营", "天猫京东店铺代运营"}},
	{"批发和零售业-医药流通", 8, []word{{"医药", "pharma"}, {"药业", "pharma"}},
		[]string{"药品及医疗器械批发配送", "连锁药房经营"}},
	{"批发和零售业-汽车销售", 6, []word{{"汽车销售服务", "auto sales and service"}},
		[]string{"品牌汽车4S店销售与售后服务"}},
	{"建筑业-房屋建筑", 15, []word{{"建设", "construction"}, {"建工", "construction engineering"}},
		[]string{"房屋建筑工程总承包", "装配式建筑施工"}},
	{"建筑业-土木工程", 10, []word{{"路桥", "road and bridge"}, {"市政工程", "municipal engineering"}},
		[]string{"市政道路及桥梁施工", "水利工程施工"}},
	{"建筑业-建筑安装", 6, []word{{"机电安装", "MEP installation"}, {"安装工程", "installation"}},
		[]string{"建筑机电安装工程", "消防工程设计与施工"}},
	{"建筑业-装饰装修", 8, []word{{"装饰", "decoration"}, {"装饰工程", "decoration engineering"}},
		[]string{"公共建筑装饰装修工程", "办公空间设计与装修"}},
	{"交通运输-道路运输", 10, []word{{"运输", "transport"}, {"汽运", "road transport"}},
		[]string{"公路整车及零担运输", "危险品运输服务"}},
	{"交通运输-仓储物流", 20, []word{{"物流", "logistics"}, {"供应链", "supply chain"}, {"仓储", "warehousing"}},
		[]string{"第三方仓储与配送服务", "冷链物流仓储与运输", "供应链管理与物流外包"}},
	{"交通运输-航空运输", 2, []word{{"航空货运", "air cargo"}},
		[]string{"航空货运代理服务"}},
	{"交通运输-水上运输", 3, []word{{"航运", "shipping"}, {"船务", "shipping agency"}},
		[]string{"内河及沿海货物运输", "国际货运代理与船务代理"}},
	{"交通运输-快递邮政", 5, []word{{"速运", "express"}, {"快递", "courier"}},
		[]string{"同城及省内快递服务"}},
	{"住宿和餐饮业-酒店住宿", 6, []word{{"酒店管理", "hotel management"}, {"酒店", "hotel"}},
		[]string{"商务酒店连锁经营"}},
	{"住宿和餐饮业-餐饮连锁", 8, []word{{"餐饮管理", "catering management"}, {"餐饮", "catering"}},
		[]string{"中式快餐连锁经营", "团餐及食堂承包服务"}},
	{"金融业-银行", 3, []word{{"村镇银行", "rural bank"}},
		[]string{"存贷款及结算业务"}},
	{"金融业-证券基金", 4, []word{{"投资管理", "investment management"}, {"资产管理", "asset management"}},
		[]string{"私募股权投资管理", "资产管理与财富管理服务"}},
	{"金融业-保险", 4, []word{{"保险代理", "insurance agency"}, {"保险经纪", "insurance brokerage"}},
		[]string{"财产险及人身险代理销售"}},
	{"金融业-融资租赁", 4, []word{{"融资租赁", "financial leasing"}},
		[]string{"设备融资租赁服务"}},
	{"房地产业-房地产开发", 8, []word{{"置业", "property"}, {"房地产开发", "real estate development"}},
		[]string{"住宅及商业地产开发"}},
	{"房地产业-物业管理", 6, []word{{"物业服务", "property services"}, {"物业管理", "property management"}},
		[]string{"住宅及写字楼物业管理"}},
	{"商务服务-企业管理咨询", 10, []word{{"企业管理咨询", "management consulting"}, {"咨询", "consulting"}},
		[]string{"企业战略与管理咨询", "财税咨询与代理记账"}},
	{"商务服务-广告营销", 8, []word{{"广告", "advertising"}, {"文化传播", "communications"}},
		[]string{"数字营销与广告投放", "品牌策划与活动执行"}},
	{"商务服务-人力资源服务", 6, []word{{"人力资源", "human resources"}},
		[]string{"人力资源外包与招聘服务"}},
	{"商务服务-设备租赁", 4, []word{{"设备租赁", "equipment leasing"}},
		[]string{"工程机械设备租赁"}},
	{"科技服务-研发服务", 6, []word{{"生物科技", "biotechnology"}, {"技术研究", "technology research"}},
		[]string{"医药研发外包服务", "工业技术研发与转化"}},
	{"科技服务-检验检测", 6, []word{{"检测技术", "testing"}, {"认证", "certification"}},
		[]string{"产品质量检测与认证服务", "环境检测服务"}},
	{"科技服务-工程设计", 5, []word{{"工程设计", "engineering design"}, {"设计院", "design institute"}},
		[]string{"建筑工程设计与咨询"}},
	{"科技服务-科技推广", 3, []word{{"科技", "technology"}},
		[]string{"科技成果转化与技术推广服务"}},
	{"能源供应-电力生产", 4, []word{{"电力", "power"}, {"热电", "thermal power"}},
		[]string{"光伏电站投资与运营", "热电联产"}},
	{"能源供应-燃气供应", 3, []word{{"燃气", "gas"}},
		[]string{"城市管道燃气经营"}},
	{"能源供应-水务", 2, []word{{"水务", "water"}},
		[]string{"城市供水及污水处理"}},
	{"医疗卫生-综合医院", 3, []word{{"医院管理", "hospital management"}},
		[]string{"民营综合医院运营"}},
	{"医疗卫生-专科医疗", 4, []word{{"医疗管理", "healthcare management"}, {"口腔", "dental"}},
		[]string{"口腔及眼科连锁诊所", "医学影像中心运营"}},
	{"医疗卫生-养老服务", 2, []word{{"健康管理", "health management"}, {"养老服务", "elderly care"}},
		[]string{"社区养老及康复服务"}},
	{"教育-职业培训", 5, []word{{"教育科技", "education technology"}, {"职业培训", "vocational training"}},
		[]string{"职业技能培训", "企业内训及管理培训"}},
	{"教育-在线教育", 3, []word{{"在线教育", "online education"}, {"教育咨询", "education consulting"}},
		[]string{"K12在线辅导平台运营", "职业资格在线课程"}},
	{"农林牧渔业-种植业", 2, []word{{"农业", "agriculture"}, {"农业科技", "agritech"}},
		[]string{"蔬菜水果种植与销售"}},
	{"农林牧渔业-畜牧业", 2, []word{{"牧业", "livestock"}, {"养殖", "farming"}},
		[]string{"生猪养殖与屠宰加工"}},
	{"采矿业-煤炭开采", 2, []word{{"矿业", "mining"}, {"煤业", "coal"}},
		[]string{"煤炭开采与洗选"}},
	{"采矿业-金属矿采选", 1, []word{{"矿产", "minerals"}},
		[]string{"有色金属矿采选"}},
	{"文体娱乐-文化传媒", 4, []word{{"文化传媒", "media"}, {"影视", "film and television"}},
		[]string{"影视内容制作与发行", "新媒体内容运营"}},
	{"文体娱乐-体育健身", 2, []word{{"体育", "sports"}, {"健身", "fitness"}},
		[]string{"连锁健身房运营"}},
	{"水利环境-环境治理", 4, []word{{"环保科技", "environmental technology"}, {"环境工程", "environmental engineering"}},
		[]string{"工业废水处理工程", "固废处理与资源化利用"}},
	{"水利环境-园林绿化", 2, []word{{"园林", "landscaping"}, {"生态", "ecology"}},
		[]string{"市政园林绿化工程"}},
}

// provinceData adds what a company's location needs to the domain's province
// table: how common companies are there, and the province's administrative
// division code (the first two digits of the credit code's division part).
var provinceData = map[string]struct {
	weight int
	code   string
}{
	"北京市": {70, "11"}, "天津市": {25, "12"}, "河北省": {25, "13"}, "山西省": {10, "14"}, "内蒙古自治区": {8, "15"},
	"辽宁省": {20, "21"}, "吉林省": {8, "22"}, "黑龙江省": {8, "23"},
	"上海市": {70, "31"}, "江苏省": {110, "32"}, "浙江省": {100, "33"}, "安徽省": {30, "34"}, "福建省": {40, "35"},
	"江西省": {15, "36"}, "山东省": {70, "37"},
	"河南省": {40, "41"}, "湖北省": {40, "42"}, "湖南省": {30, "43"},
	"广东省": {130, "44"}, "广西壮族自治区": {12, "45"}, "海南省": {5, "46"},
	"重庆市": {25, "50"}, "四川省": {40, "51"}, "贵州省": {10, "52"}, "云南省": {12, "53"}, "西藏自治区": {1, "54"},
	"陕西省": {20, "61"}, "甘肃省": {5, "62"}, "青海省": {2, "63"}, "宁夏回族自治区": {3, "64"}, "新疆维吾尔自治区": {6, "65"},
}

// Legal forms and how often a company of each size class uses them.
const (
	formLLC   = "有限公司"
	formLLC2  = "有限责任公司"
	formJoint = "股份有限公司"
)

// Address parts: a development zone and a road, as most business addresses.
var (
	addressZones = []string{"高新区", "经济开发区", "工业园区", "软件园", "科技园", "新区", "保税区", "中心城区"}
	addressRoads = []string{"建设路", "人民路", "科技路", "创业大道", "工业大道", "中山路", "解放路", "长江路",
		"黄河路", "学府路", "迎宾大道", "金融街", "滨江大道", "光明路", "和平路", "新华路"}
)
