package intake

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"testimony/vault"
)

// The guided questions offer fixed choices (after HURIDOCS' event formats,
// see DOMAIN.md). The codes are what the envelope stores; the labels are
// what she reads. Nothing here is required.

type choice struct {
	Code  string
	label map[lang]string
}

func c(code, ko, zh, en string) choice {
	return choice{code, map[lang]string{"ko": ko, "zh": zh, "en": en}}
}

var whatChoices = []choice{
	c("sold", "누군가에게 팔렸다", "被卖或被拐卖", "I was sold or trafficked"),
	c("forced-marriage", "원하지 않는 결혼을 해야 했다", "被迫结婚", "I was forced to marry"),
	c("sexual-violence", "성폭력을 당했다", "遭受性暴力", "Sexual violence"),
	c("cybersex", "전화나 기계 화면 앞에서 몸을 보이도록 강요당했다", "被逼着在手机或电脑视频里给人看身体", "Forced to perform sexual acts on camera"),
	c("forced-labour", "억지로 일을 해야 했다", "被迫劳动", "Forced labour"),
	c("repatriated", "붙잡혔거나 조선(북한)으로 돌려보내졌다", "被抓或被遣返回朝鲜", "Arrested, or sent back to North Korea"),
	c("detained-nk", "조선(북한)에서 갇혀 있었다 (집결소, 단련대, 교화소 같은 곳)", "在朝鲜被关押", "Held in detention in North Korea"),
}

var whoChoices = []choice{
	c("broker", "사람을 팔거나 넘긴 사람 (중개인)", "中介或人贩子", "A broker"),
	c("husband", "같이 살게 된 남자('남편')나 그 집 식구", "一起生活的男人（“丈夫”）或他家里的人", "The “husband” or his family"),
	c("police", "중국 공안이나 조선 보안원(안전원)", "中国公安或朝鲜保安员", "Chinese or North Korean police"),
	c("state-security", "보위부나 중국 국가안전 기관", "朝鲜保卫部或中国国家安全部门", "North Korean or Chinese state security"),
}

var sourceChoices = []choice{
	c("self", "내가 직접 겪었거나 보았다", "我亲身经历或亲眼看到", "It happened to me, or I saw it"),
	c("others", "다른 사람에게서 들었다", "我是听别人说的", "I heard it from others"),
}

var elsewhereChoices = []choice{
	c("no", "아니요", "没有", "No"),
	c("yes", "예", "有", "Yes"),
	c("unsure", "잘 모르겠습니다", "不确定", "Not sure"),
}

var contactChoices = []choice{
	c("receipt", "예, 이곳에만 남겨 주세요 (열쇠말로 들어와서 봅니다)", "可以，只留在这里（我用口令回来看）", "Yes, only here (I will come back with my words to read it)"),
	c("none", "아니요, 답을 남기지 마세요", "不用，请不要给我留言", "No, please do not leave me a reply"),
}

var provinceChoices = []choice{
	c("KP-01", "평양", "平壤", "Pyongyang"),
	c("KP-14", "남포", "南浦", "Nampo"),
	c("KP-13", "라선", "罗先", "Rason"),
	c("KP-02", "평안남도", "平安南道", "South Pyongan"),
	c("KP-03", "평안북도", "平安北道", "North Pyongan"),
	c("KP-04", "자강도", "慈江道", "Chagang"),
	c("KP-05", "황해남도", "黄海南道", "South Hwanghae"),
	c("KP-06", "황해북도", "黄海北道", "North Hwanghae"),
	c("KP-07", "강원도", "江原道", "Kangwon"),
	c("KP-08", "함경남도", "咸镜南道", "South Hamgyong"),
	c("KP-09", "함경북도", "咸镜北道", "North Hamgyong"),
	c("KP-10", "량강도 (양강도)", "两江道", "Ryanggang"),
	c("CN-JL", "길림성", "吉林省", "Jilin"),
	c("CN-LN", "료녕성 (요령성)", "辽宁省", "Liaoning"),
	c("CN-HL", "흑룡강성", "黑龙江省", "Heilongjiang"),
	c("CN-NM", "내몽고", "内蒙古", "Inner Mongolia"),
	c("CN-SD", "산동성", "山东省", "Shandong"),
	c("CN-HE", "하북성", "河北省", "Hebei"),
	c("CN-BJ", "북경", "北京", "Beijing"),
	c("CN-TJ", "천진", "天津", "Tianjin"),
	c("CN-SH", "상해", "上海", "Shanghai"),
	c("CN-JS", "강소성", "江苏省", "Jiangsu"),
	c("CN-ZJ", "절강성", "浙江省", "Zhejiang"),
	c("CN-GD", "광동성", "广东省", "Guangdong"),
	c("CN-YN", "운남성", "云南省", "Yunnan"),
	c("CN-other", "중국의 다른 곳", "中国其他地方", "Elsewhere in China"),
	c("other", "다른 나라", "其他国家", "Another country"),
}

func validCode(cs []choice, code string) bool {
	return slices.ContainsFunc(cs, func(c choice) bool { return c.Code == code })
}

// firstYear is the earliest year the form offers: the famine of the 1990s,
// when women began to cross in numbers.
const firstYear = 1990

func years() []int {
	var ys []int
	for y := time.Now().Year(); y >= firstYear; y-- {
		ys = append(ys, y)
	}
	return ys
}

// Option is a choice as a template shows it.
type Option struct{ Code, Label string }

func (l lang) options(cs []choice) []Option {
	out := make([]Option, len(cs))
	for i, c := range cs {
		out[i] = Option{c.Code, c.label[l]}
	}
	return out
}

// useOptions lists the consent uses with their labels.
func (l lang) useOptions() []Option {
	out := make([]Option, len(vault.Uses))
	for i, u := range vault.Uses {
		out[i] = Option{string(u), l.text("use." + string(u))}
	}
	return out
}

// answerFields collects the guided answers as the form fields arrive.
type answerFields struct {
	a       vault.Answers
	consent []vault.Use
}

// set records one small form field, refusing values the form never offers.
func (f *answerFields) set(name, value string) bool {
	switch name {
	case "year":
		if value == "" {
			return true
		}
		y, err := strconv.Atoi(value)
		if err != nil || y < firstYear || y > time.Now().Year() {
			return false
		}
		f.a.Year = y
	case "month":
		if value == "" {
			return true
		}
		m, err := strconv.Atoi(value)
		if err != nil || m < 1 || m > 12 {
			return false
		}
		f.a.Month = m
	case "approximate":
		f.a.Approximate = value == "1"
		return value == "1"
	case "province":
		if value != "" && !validCode(provinceChoices, value) {
			return false
		}
		f.a.Province = value
	case "what":
		if !validCode(whatChoices, value) || slices.Contains(f.a.What, value) {
			return false
		}
		f.a.What = append(f.a.What, value)
	case "who":
		if !validCode(whoChoices, value) || slices.Contains(f.a.Who, value) {
			return false
		}
		f.a.Who = append(f.a.Who, value)
	case "source":
		if value != "" && !validCode(sourceChoices, value) {
			return false
		}
		f.a.Source = value
	case "elsewhere":
		if value != "" && !validCode(elsewhereChoices, value) {
			return false
		}
		f.a.Elsewhere = value
	case "contact":
		if value != "" && !validCode(contactChoices, value) {
			return false
		}
		f.a.Contact = value
	case "consent":
		u := vault.Use(value)
		if !u.Valid() || slices.Contains(f.consent, u) {
			return false
		}
		f.consent = append(f.consent, u)
	default:
		return false
	}
	return true
}

// empty reports whether she answered no guided question.
func (f *answerFields) empty() bool {
	a := f.a
	return a.Year == 0 && a.Month == 0 && !a.Approximate && a.Province == "" && len(a.What) == 0 &&
		len(a.Who) == 0 && a.Source == "" && a.Elsewhere == "" && a.Contact == ""
}

// The guided questions' choices, in the page's language.
func (d pageData) Provinces() []Option  { return d.Lang.options(provinceChoices) }
func (d pageData) What() []Option       { return d.Lang.options(whatChoices) }
func (d pageData) Who() []Option        { return d.Lang.options(whoChoices) }
func (d pageData) Source() []Option     { return d.Lang.options(sourceChoices) }
func (d pageData) Elsewhere() []Option  { return d.Lang.options(elsewhereChoices) }
func (d pageData) Contact() []Option    { return d.Lang.options(contactChoices) }
func (d pageData) UseOptions() []Option { return d.Lang.useOptions() }
func (d pageData) Years() []int         { return years() }
func (d pageData) Months() []int        { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// ProvinceGroup is the provinces of one country, as an optgroup shows them.
type ProvinceGroup struct {
	Label   string
	Options []Option
}

// ProvinceGroups splits the provinces into North Korea's, China's and the
// rest, so that she sees where one country ends and the other begins
// (LANGUAGE-REVIEW.md, Korean row 46). The codes say which is which.
func (d pageData) ProvinceGroups() []ProvinceGroup {
	groups := []ProvinceGroup{{Label: d.T("groupNK")}, {Label: d.T("groupCN")}, {}}
	for _, o := range d.Provinces() {
		switch {
		case strings.HasPrefix(o.Code, "KP-"):
			groups[0].Options = append(groups[0].Options, o)
		case strings.HasPrefix(o.Code, "CN-"):
			groups[1].Options = append(groups[1].Options, o)
		default:
			groups[2].Options = append(groups[2].Options, o)
		}
	}
	return groups
}
