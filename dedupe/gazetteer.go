package dedupe

import (
	"strings"
	"sync"

	"github.com/dossier/dossier"
)

// Word lists the name parser needs. They are hand-written because no
// maintained Go library carries them: the prefecture-level cities people put
// in front of a company name, the legal forms of the Company Law and the
// industry words of registered names (行业表述), split into the morphemes
// people combine ("网络" + "科技", "投资" + "管理").

// cityShorts are prefecture-level cities and a few well-known county-level
// ones, in the short form company names use (深圳, not 深圳市).
const cityShorts = `石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 吉林 四平 辽源 通化 白山 松原 白城 延边 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 昆山 江阴 常熟 张家港 宜兴 太仓 溧阳 丹阳 靖江 如皋 邳州
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 慈溪 余姚 诸暨 温岭 乐清 瑞安 海宁 桐乡 永康 东阳 嵊州
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮 福清 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 莱芜 滕州 寿光 诸城 胶州 即墨
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 顺德 南海
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山
贵阳 六盘水 遵义 安顺 毕节 铜仁 黔东南 黔南 黔西南 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆
拉萨 日喀则 昌都 林芝 山南 那曲 阿里 西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南 西宁 海东 海西 银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子
香港 澳门 台湾 台北 中国 中华 全国 华东 华南 华北 华中 西南 西北 东北`

// wordLike are places whose short name is also an everyday word or a
// common trade name (阿里巴巴, 黄山, 安康, 中山): without 市 or 县 after
// them they are read as part of the trade name.
const wordLike = `阿里 黄山 白银 红河 大理 金昌 文山 山南 海东 海西 中卫 朝阳 白山 四平 通化 伊春 黑河 昌都 那曲 吉安 宜春
长治 大同 安康 安顺 中山 普洱 保山 德宏 三明 新余 延安 天水 平凉 定西 白城 永康 东阳 瑞安 乐清 常德 临沧 和田 昌吉 哈密
汉中 商洛 宣城 六安 安庆 华东 华南 华北 华中 西南 西北 东北 中华 全国 南海 北海 顺德 来宾 玉林 百色 吉林 长春 江门 阳江`

// regionSuffixes end the full form of a place name: 深圳市, 高唐县, 顺德区.
var regionSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "新区", "开发区", "省", "市", "县", "区", "州", "盟", "旗", "镇"}

// legalForms are the organisation forms at the end of a registered name,
// longest first so that 股份有限公司 wins over 有限公司.
var legalForms = []string{
	"有限责任公司", "股份有限公司", "集团有限公司", "股份合作公司", "有限公司", "股份公司", "责任公司",
	"合伙企业", "有限合伙", "普通合伙", "进出口公司", "总公司", "公司", "集团", "控股",
	"企业", "工作室", "事务所", "研究院", "研究所", "合作社", "商行", "商店", "门市部", "经营部", "营业部",
	"个体工商户", "厂", "店", "中心", "餐厅", "酒家", "馆",
	"inc", "ltd", "llc", "corp", "co", "gmbh", "plc", "limited", "company", "corporation", "incorporated",
}

// branchMarkers end the name of a branch (分支机构) after the parent's name.
var branchMarkers = []string{"分公司", "分厂", "分店", "营业部", "办事处", "分部", "分行", "支行", "分中心", "经营部"}

// industryWords are the morphemes of the industry part (行业表述); a name's
// industry part is a run of them before the legal form.
const industryWords = `科技 技术 信息 网络 电子 商务 电子商务 电商 贸易 商贸 工贸 经贸 科贸 实业 投资 管理 咨询 服务 建材 广告 文化 传播 传媒
食品 服饰 服装 房地产 地产 开发 物流 建筑 工程 餐饮 生物 机电 设备 劳务 装饰 装修 纺织 纺织品 物业 家具 汽车 销售 置业 环保 智能
医药 医疗 器械 企业 矿业 机械 化工 农业 酒店 酒业 进出口 教育 培训 包装 运输 纸业 电气 租赁 经纪 安装 金属 制品 超市 策划 能源 新能源
材料 新材料 光电 通信 通讯 软件 数据 数码 自动化 仪器 仪表 五金 塑料 塑胶 橡胶 钢铁 钢材 印刷 照明 电器 家居 园林 绿化 景观 设计
营销 品牌 艺术 影视 娱乐 旅游 旅行社 体育 健康 养老 药业 药房 大药房 制药 农产品 农牧 畜牧 养殖 种植 水产 茶业 茶叶 果业 粮油 木业
石材 陶瓷 玻璃 化妆品 日用品 用品 礼品 工艺品 工艺 玩具 鞋业 皮革 箱包 针织 印染 制衣 家纺 电力 电源 电池 光伏 燃气 石油 石化 化学
涂料 环境 节能 水务 净化 检测 认证 人力资源 劳务派遣 保安 安防 消防 保洁 家政 快递 供应链 货运 航运 船务 仓储 冷链 汽配 配件
零部件 模具 精密 钣金 铸造 机床 工业 制造 加工 发展 建设 市政 交通 水利 半导体 集成电路 微电子 音响 乐器 珠宝 首饰 黄金 眼镜 摄影
会展 展览 公关 顾问 财务 会计 税务 知识产权 代理 中介 拍卖 担保 融资 金融 保险 证券 基金 资产 资本 创业 孵化 产业 规划 测绘 勘察
地质 煤业 煤炭 互联网 云计算 人工智能 机器人 航空 船舶 生态 农资 饲料 肥业 化肥 种业 苗木 花卉 蔬菜 水果 肉类 乳业 饮料 酒类
烟酒 百货 日化 商业 连锁 零售 批发 物资 轻工 重工 钢结构 结构 门窗 幕墙 防水 保温 暖通 空调 制冷 电梯 起重 输送 泵业 阀门 管道
管业 线缆 电缆 电线 开关 变压器 电机 马达 轴承 齿轮 液压 气动 紧固件 标准件 铝业 铜业 铝材 型材 不锈钢 特钢 冶金 矿产 建工 路桥
土石方 劳务分包 混凝土 水泥 砂石 预拌 商砼 汽车销售 汽车服务 维修 修理 清洗 美容 美发 美业 养生 保健 康复 诊所 门诊 口腔 眼科
生物技术 基因 检验 试剂 动物 宠物 兽药 渔业 林业 牧业 乳品 粮食 米业 面业 调味品 酿造 食用油 糖业 咖啡 烘焙 糕点 餐具 厨具
卫浴 洁具 灯饰 家电 厨卫 床上用品 鞋服 服装服饰 纺织服装 时装 内衣 袜业 毛纺 棉纺 丝绸 化纤 无纺布 布业 线业 纽扣 拉链
国际 现代 新型 复合 综合 自动 控制 制作 事务 房产 货物 装潢 纸箱 纸品 纸制品 原料 燃料 热力 电脑 农林 保健 保健品 植物 计算机
安全 石业 门业 印务 汽运 汽贸 彩印 吊装 农机 皮具 家用 冷暖 冷气 流体 真空 防爆 粉末 耐火 光学 橡塑 消毒 生鲜 二手车 记账 交流
文艺 表演 绣花 轧钢 道路 公路 公寓 器材 通用 外包 回收 再生 资源 发行 图书 停车场 寄售 供水 家庭 居民 休闲 农庄 生活 污水 处理
装卸 搬运 煤化 产品 生物质 纤维 市场 贷款 小额 整理 土地 园艺 畜禽 新材 电热 石膏 洗涤 有机肥 化妆 输出 速运 电影院 种子 炉料 修配
系统 系统集成 数字 大数据 信息化 医院 职业 技能 云服务 物联网 区块链`

type lexicon struct {
	regions  map[string]bool // full and short names
	wordLike map[string]bool
	industry map[string]bool
	maxInd   int // longest industry word, in runes
	maxReg   int
}

var lex = sync.OnceValue(func() *lexicon {
	l := &lexicon{regions: map[string]bool{}, industry: map[string]bool{}, wordLike: map[string]bool{}}
	for _, w := range strings.Fields(wordLike) {
		l.wordLike[w] = true
	}
	addRegion := func(s string) {
		l.regions[s] = true
		l.maxReg = max(l.maxReg, len([]rune(s)))
	}
	for _, p := range dossier.Provinces() {
		addRegion(p.Name)
		addRegion(p.Short)
		for _, c := range p.Cities {
			addRegion(c)
			addRegion(dossier.CityShort(c))
		}
	}
	for _, c := range strings.Fields(cityShorts) {
		addRegion(c)
	}
	for _, w := range strings.Fields(industryWords) {
		l.industry[w] = true
		l.maxInd = max(l.maxInd, len([]rune(w)))
	}
	return l
})
