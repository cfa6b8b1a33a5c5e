package demo

// Tables for people: names, titles by decision role, preferences.

// surnames are the common Chinese surnames, most frequent first; pickSkewed
// draws the first ones more often, as in real life.
var surnames = []syllable{
	{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"},
	{"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"},
	{"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"高", "gao"}, {"林", "lin"}, {"罗", "luo"}, {"郑", "zheng"},
	{"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"},
	{"邓", "deng"}, {"曹", "cao"}, {"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"},
	{"袁", "yuan"}, {"潘", "pan"}, {"于", "yu"}, {"蒋", "jiang"}, {"蔡", "cai"}, {"余", "yu"}, {"杜", "du"},
	{"叶", "ye"}, {"程", "cheng"}, {"苏", "su"}, {"魏", "wei"}, {"吕", "lv"}, {"丁", "ding"}, {"任", "ren"},
	{"沈", "shen"}, {"姚", "yao"}, {"卢", "lu"}, {"姜", "jiang"}, {"崔", "cui"}, {"钟", "zhong"}, {"谭", "tan"},
	{"陆", "lu"}, {"汪", "wang"}, {"范", "fan"}, {"金", "jin"}, {"石", "shi"}, {"廖", "liao"}, {"贾", "jia"},
	{"夏", "xia"}, {"韦", "wei"}, {"方", "fang"}, {"白", "bai"}, {"邹", "zou"}, {"孟", "meng"}, {"熊", "xiong"},
	{"秦", "qin"}, {"邱", "qiu"}, {"江", "jiang"}, {"尹", "yin"}, {"薛", "xue"}, {"段", "duan"}, {"雷", "lei"},
}

// givenChars are characters of given names; a given name has one or two.
var givenChars = []syllable{
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"}, {"强", "qiang"},
	{"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"}, {"娟", "juan"},
	{"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀", "xiu"}, {"霞", "xia"}, {"平", "ping"}, {"刚", "gang"},
	{"桂", "gui"}, {"文", "wen"}, {"华", "hua"}, {"建", "jian"}, {"国", "guo"}, {"海", "hai"}, {"鹏", "peng"},
	{"宇", "yu"}, {"浩", "hao"}, {"晨", "chen"}, {"欣", "xin"}, {"婷", "ting"}, {"雪", "xue"}, {"琳", "lin"},
	{"颖", "ying"}, {"峰", "feng"}, {"斌", "bin"}, {"辉", "hui"}, {"波", "bo"}, {"志", "zhi"}, {"红", "hong"},
	{"俊", "jun"}, {"雯", "wen"}, {"凯", "kai"}, {"帆", "fan"}, {"博", "bo"}, {"佳", "jia"}, {"晓", "xiao"},
	{"东", "dong"}, {"慧", "hui"}, {"玲", "ling"}, {"健", "jian"}, {"亮", "liang"}, {"璐", "lu"}, {"倩", "qian"},
	{"林", "lin"}, {"萍", "ping"}, {"荣", "rong"}, {"新", "xin"}, {"春", "chun"}, {"梅", "mei"}, {"成", "cheng"},
}

// Decision roles (dossier.ContactRoleOptions) and the titles people in them
// hold.
const (
	roleDecision    = "decision_maker"
	roleTechnical   = "technical"
	roleProcurement = "procurement"
	roleInfluencer  = "influencer"
	roleUser        = "user"
)

var roleTitles = map[string][]string{
	roleDecision:    {"总经理", "董事长", "副总经理", "总裁", "执行董事"},
	roleTechnical:   {"技术总监", "IT经理", "信息中心主任", "首席技术官", "技术负责人", "研发经理"},
	roleProcurement: {"采购经理", "采购总监", "采购主管", "供应链经理"},
	roleInfluencer:  {"财务总监", "运营总监", "生产总监", "市场总监", "行政经理"},
	roleUser:        {"仓库主管", "销售经理", "数据分析师", "生产主管", "客服主管", "人事专员"},
}

// otherRoles are drawn for contacts beyond the core decision chain.
var otherRoles = []string{roleDecision, roleTechnical, roleTechnical, roleProcurement, roleProcurement,
	roleInfluencer, roleInfluencer, roleUser, roleUser}

var contactPreferences = []string{"偏好微信沟通", "上午不便接听电话", "关注性价比", "重视售后服务响应",
	"喜欢看行业案例", "需要提前预约拜访", "习惯邮件确认", "关注数据安全", "决策谨慎,需多轮论证"}

// personalMail are the free mail providers small companies' staff use.
var personalMail = []string{"163.com", "qq.com", "126.com", "139.com"}

// Sales teams and the provinces each covers; owners are drawn from the team
// that covers a customer's province.
var teams = []struct {
	name    string
	regions []string // region groups, or provinces listed by name
}{
	{"华东一组", []string{"上海市", "江苏省", "浙江省"}},
	{"华东二组", []string{"安徽省", "福建省", "江西省", "山东省", "华中"}},
	{"华南组", []string{"华南", "西南"}},
	{"华北组", []string{"华北", "东北", "西北"}},
}

const repsPerTeam = 3
