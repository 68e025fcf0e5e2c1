package redact

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Templates, by language. Every fifth is held out from the development
// seed.
var (
	koFirstCtx = tpls(5,
		"남편 {F:는} 술만 마시면 저를 때렸습니다.", "브로커 {F:가} 저를 강 건너로 데려갔어요.",
		"같은 마을에 살던 {F} 언니가 저를 도와주었습니다.", "{F:라는} 사람이 저를 중국 남자에게 팔았습니다.",
		"제 이름은 {F}입니다.", "시어머니 {F:는} 하루 종일 저를 감시했습니다.", "{F} 씨가 숨을 곳을 구해 주었다.",
		"저를 산 남자의 이름은 {F:였}습니다.", "친구 {F:와} 함께 두만강을 건넜습니다.", "중개인 {F:는} 돈을 받고 사라졌습니다.",
		"목사님 {F:는} 우리를 한국으로 보내 주었습니다.", "보위원 {F:가} 저를 심문했습니다.",
		"조선족 아주머니 {F:가} 밥을 주었어요.", "{F} 동무와 같이 일했습니다.", "저를 데려간 사람은 {F:라는} 남자였어요.")
	koFirstPlain = tpls(4,
		"{F:가} 저에게 일자리를 소개해 주었어요.", "{F:는} 매일 술을 마셨습니다.", "그날 {F:를} 처음 만났습니다.",
		"{F:와} 저는 같은 공장에서 일했습니다.", "나중에 {F:가} 찾아왔다.", "{F:는} 저보다 두 살 많았습니다.")
	koLater = tpls(5,
		"{G:는} 나중에 잡혀갔다고 들었다.", "{F:가} 다시 찾아왔습니다.", "{S}씨는 아무 말도 하지 않았다.",
		"{G} 언니는 지금 어디 있는지 모릅니다.", "저는 {G}에게 돈을 주었습니다.", "{F:를} 다시는 보고 싶지 않습니다.",
		"{S} 사장이 문을 잠갔다.", "{G:가} 울면서 전화했어요.", "{S}씨네 집에서 일년을 지냈다.", "{G:와} 연락이 끊겼습니다.")
	zhFirstCtx = tpls(5,
		"我老公{F}经常打我。", "人贩子{F}把我卖到了这里。", "邻居{F}帮我逃了出来。", "有个叫{F}的人说给我介绍工作。",
		"我叫{F}。", "他妈妈{F}不让我出门。", "中介{F}收了我的钱。", "朋友{F}借给我手机。", "牧师{F}带我们去了老挝。",
		"{F}大姐给我饭吃。", "丈夫{F}把我的证件藏起来了。", "买我的男人名叫{F}。")
	zhFirstPlain = tpls(4, "{F}每天喝酒。", "{F}是我在工厂认识的。", "后来{F}也来了。", "{F}给了我一点钱。", "那天{F}来找我。")
	zhLater      = tpls(5, "{F}又来了。", "{S}老板不让我出门。", "老{S}说他不会放我走。", "{F}后来被警察抓了。",
		"我再也不想见到{F}。", "{G}后来回朝鲜了。", "{S}大哥人很好。", "{F}的家在村东头。")
	enFirstCtx = tpls(5,
		"My husband, {F}, beat me whenever he drank.", "The broker {F} took me across the river.", "A woman named {F} helped me.",
		"I was sold to a man called {F}.", "My name is {F}.", "Pastor {F} arranged the trip to Laos.",
		"My friend {F} lent me a phone.", "His mother, {F}, watched me all day.", "The trafficker {F} kept my papers.",
		"A guide called {F} met us at the station.")
	enFirstPlain = tpls(4, "{F} found me a job.", "{F} came to the house every week.", "Later {F} gave me some money.", "{F} knew my family.")
	enLater      = tpls(5, "{F} came back later.", "Mr {S} said nothing.", "{G} was arrested later, I heard.",
		"I never want to see {F} again.", "Mrs {S} locked the door.", "{F} still calls my mother.")

	koPlaceT = tpls(5, "저는 {P}에서 태어났습니다.", "{P}에서 살았습니다.", "우리 집은 {P}에 있었습니다.", "{P:로} 팔려 갔습니다.",
		"고향은 {P}입니다.", "{P} 근처에서 강을 건넜습니다.", "{P}에 있는 집에 갇혀 있었어요.", "{P}에서 장사를 했다.",
		"어머니는 아직 {P}에 계십니다.", "{P}에서 온 사람을 만났다.")
	zhPlaceT = tpls(5, "我老家在{P}。", "我被卖到{P}。", "我们住在{P}。", "后来我逃到了{P}。", "{P}离边境不远。", "我在{P}待了三年。",
		"他带我去了{P}。", "我妈妈还在{P}。")
	enPlaceT = tpls(5, "I was born in {P}.", "I was sold to a man in {P}.", "We lived in {P} for two years.", "I hid in {P}.",
		"{P} is close to the border.", "My mother still lives in {P}.", "They took me to {P}.")

	koDateT  = tpls(4, "{D}에 강을 건넜습니다.", "{D}에 북송되었습니다.", "{D}에 처음 팔려 갔어요.", "{D} 밤에 도망쳤습니다.", "{D}에 아이를 낳았습니다.")
	zhDateT  = tpls(4, "{D}我过了江。", "{D}我被抓了。", "{D}那天我逃跑了。", "我是{D}到的中国。", "{D}我生了孩子。")
	enDateT  = tpls(4, "On {D} I crossed the river.", "I was arrested on {D}.", "{D} was the day I escaped.", "We arrived on {D}.", "My son was born on {D}.")
	enMonthT = tpls(0, "In {D} I crossed the river.", "I was sold in {D}.", "By {D} I had escaped.")

	koDistract = tpls(5, "그때 저는 스물다섯 살이었습니다.", "하루에 12시간씩 일했습니다.", "한 달에 2000위안을 받았습니다.",
		"[로동|노동]을 너무 많이 해서 몸이 아팠다.", "거리에서 장사를 했습니다.", "시장에 나가서 옷을 팔았어요.", "당시에는 너무 무서웠어요.",
		"2015년에 처음 강을 건넜습니다.", "중국 공안에 잡혀서 북송되었습니다.", "보위부에서 조사를 받았다.",
		"우리 마을 사람들은 모두 굶주렸습니다.", "[로동당|노동당]원이었던 아버지는 일찍 돌아가셨다.", "정말로 힘든 시간이었다.",
		"이 이야기를 꼭 하고 싶습니다.", "조선족 아주머니가 밥을 주었다.", "한국에 온 지 3년이 되었습니다.", "전화기를 빼앗겼다.",
		"[녀자|여자]들은 모두 팔려 갔다.", "강제[로동|노동]을 했다.", "오후 3시쯤 집을 나왔다.", "100명쯤 되는 사람들이 있었다.",
		"종교활동을 했다는 이유로 잡혔다.", "어머니가 보고 싶습니다.", "그 집에서 2년 동안 살았습니다.", "동생은 아직 북한에 있습니다.",
		"남편은 저를 사람으로 대하지 않았습니다.", "이웃 사람들은 모른 척했어요.", "장마당에서 국수를 팔았습니다.", "고향 생각이 많이 납니다.",
		"2만 위안에 팔렸다고 들었습니다.", "강을 건널 때 물이 허리까지 왔다.", "[리유|이유]도 모르고 끌려갔다.")
	zhDistract = tpls(5, "那时我才二十岁。", "每天工作十二个小时。", "一个月给我两千块钱。", "在农村干农活。", "去市场卖菜。",
		"我很想念家乡。", "公安把我抓走了。", "他们把我卖了三万元。", "我每天都很害怕。", "2016年我第一次过江。",
		"村里的人都知道我是朝鲜人。", "我在饭店打工。", "后来我有了一个孩子。", "我一直不敢出门。", "老板说我欠他钱。",
		"王国里没有我的地方。", "我们一共有十几个人。", "晚上十点以后不能出去。", "他说我是他花钱买来的。", "我偷偷学了中文。")
	enDistract = tpls(5, "I was 22 years old.", "I worked 12 hours a day.", "They paid 3000 yuan for me.",
		"The police caught me at the station.", "I crossed the Tumen River in 2016.", "In 2018 I reached a safe house.",
		"My mother is still in North Korea.", "There were about 100 women there.", "I was afraid every day.",
		"The market was near the border.", "He said I owed him 20000 yuan.", "I learned some Chinese in secret.",
		"Long ago I had a family.", "He Said nothing at the time.", "May God help the others.", "Song and dance were banned.")
)

// NK provinces and counties for the generator; about a third of the
// counties it uses are made up.
var genNKProvinces = []struct {
	nk, sk, zh, en string
	counties       [][3]string // ko, zh, en
}{
	{"함경북도", "함경북도", "咸镜北道", "North Hamgyong Province", [][3]string{{"회령시", "会宁市", "Hoeryong"}, {"무산군", "茂山郡", "Musan County"}, {"온성군", "稳城郡", "Onsong County"}, {"청진시", "清津市", "Chongjin"}, {"새별군", "庆源郡", "Saebyol County"}, {"경성군", "镜城郡", "Kyongsong County"}, {"부령군", "富宁郡", "Puryong County"}, {"김책시", "金策市", "Kimchaek"}}},
	{"량강도", "양강도", "两江道", "Ryanggang Province", [][3]string{{"혜산시", "惠山市", "Hyesan"}, {"삼지연시", "三池渊市", "Samjiyon"}, {"대홍단군", "大红湍郡", "Taehongdan County"}, {"보천군", "普天郡", "Pochon County"}, {"풍서군", "丰西郡", "Pungso County"}, {"갑산군", "甲山郡", "Kapsan County"}}},
	{"자강도", "자강도", "慈江道", "Chagang Province", [][3]string{{"강계시", "江界市", "Kanggye"}, {"만포시", "满浦市", "Manpo"}, {"희천시", "熙川市", "Huichon"}, {"중강군", "中江郡", "Junggang County"}}},
	{"평안북도", "평안북도", "平安北道", "North Pyongan Province", [][3]string{{"신의주시", "新义州市", "Sinuiju"}, {"의주군", "义州郡", "Uiju County"}, {"삭주군", "朔州郡", "Sakju County"}, {"룡천군", "龙川郡", "Ryongchon County"}}},
	{"함경남도", "함경남도", "咸镜南道", "South Hamgyong Province", [][3]string{{"함흥시", "咸兴市", "Hamhung"}, {"단천시", "端川市", "Tanchon"}, {"북청군", "北青郡", "Pukchong County"}}},
	{"평안남도", "평안남도", "平安南道", "South Pyongan Province", [][3]string{{"평성시", "平城市", "Pyongsong"}, {"순천시", "顺川市", "Sunchon"}, {"안주시", "安州市", "Anju"}}},
	{"황해북도", "황해북도", "黄海北道", "North Hwanghae Province", [][3]string{{"사리원시", "沙里院市", "Sariwon"}, {"황주군", "黄州郡", "Hwangju County"}}},
}

var genPRCProvinces = []struct {
	zh, ko, en string
	cities     [][3]string
}{
	{"吉林省", "길림성", "Jilin Province", [][3]string{{"延吉市", "연길시", "Yanji"}, {"图们市", "도문시", "Tumen"}, {"和龙市", "화룡시", "Helong"}, {"龙井市", "룡정시", "Longjing"}, {"珲春市", "훈춘시", "Hunchun"}, {"敦化市", "돈화시", "Dunhua"}, {"汪清县", "왕청현", "Wangqing County"}, {"长白县", "장백현", "Changbai County"}, {"白山市", "백산시", "Baishan"}}},
	{"辽宁省", "료녕성", "Liaoning Province", [][3]string{{"沈阳市", "심양시", "Shenyang"}, {"丹东市", "단동시", "Dandong"}, {"宽甸县", "관전현", "Kuandian County"}, {"大连市", "대련시", "Dalian"}}},
	{"黑龙江省", "흑룡강성", "Heilongjiang Province", [][3]string{{"牡丹江市", "목단강시", "Mudanjiang"}, {"哈尔滨市", "하얼빈시", "Harbin"}, {"鸡西市", "계서시", "Jixi"}}},
	{"山东省", "산동성", "Shandong Province", [][3]string{{"青岛市", "청도시", "Qingdao"}, {"烟台市", "연대시", "Yantai"}}},
}

var (
	genKoPlaceSyll = strings.Split("송학신흥대평산천수양성봉룡청서남북상하중덕안화금은석포강운삼오칠장원일월광명백향유선연봉계락령", "")
	genZhPlaceChar = strings.Split("光明新兴红旗太平安和东西南北河山石门桥柳松林家庄堡沟岭泉水民丰富永长胜利德福兰依朝阳前后双合义", "")
	genPinyinVill  = strings.Fields("Guangming Xinxing Hongqi Taiping Dongsheng Yongfeng Changsheng Fuxing Heping Minzhu Shuangyang Sanhe Qianjin Xiangyang Liushu Songlin")
)

func (g *gen) stem(pool []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(g.pick(pool))
	}
	return b.String()
}

// placeSlot builds a place chain and its gold entities: every place below
// province level is one entity; the province is not (it is what may be
// published). It returns the slot and a later re-mention, if any.
func (g *gen) placeSlot(d *doc) (first slot, later []slot) {
	var parts []struct {
		text string
		ent  *goldEntity
	}
	add := func(text string, gold bool) *goldEntity {
		var e *goldEntity
		if gold {
			e = &goldEntity{typ: TypePlace}
			d.entities = append(d.entities, e)
		}
		parts = append(parts, struct {
			text string
			ent  *goldEntity
		}{text, e})
		return e
	}
	sep := " "
	switch g.lang {
	case "ko", "ko-nk":
		if g.chance(0.8) {
			pr := genNKProvinces[g.r.IntN(len(genNKProvinces))]
			prov := pr.sk
			if g.nk {
				prov = pr.nk
			}
			county := pr.counties[g.r.IntN(len(pr.counties))][0]
			if g.chance(0.35) {
				county = g.stem(genKoPlaceSyll, 2) + g.pick([]string{"군", "시"})
			}
			village := g.stem(genKoPlaceSyll, 2) + g.pick([]string{"동", "리", "리", map[bool]string{true: "로동자구", false: "노동자구"}[g.nk]})
			form := g.r.IntN(6)
			if form <= 2 {
				add(prov, false)
			}
			var ce, ve *goldEntity
			if form != 4 {
				ce = add(county, true)
			}
			if form != 2 && form != 5 {
				ve = add(village, true)
				if g.chance(0.15) {
					add(fmt.Sprintf("%d인민반", 1+g.r.IntN(40)), true)
				}
			}
			if ce != nil && g.chance(0.4) {
				short := county
				if g.chance(0.5) {
					short = strings.TrimRight(county, "시군")
				}
				later = append(later, mentionSlot(ce, short))
			}
			if ve != nil && g.chance(0.3) {
				later = append(later, mentionSlot(ve, village))
			}
		} else {
			pr := genPRCProvinces[g.r.IntN(len(genPRCProvinces))]
			add(pr.ko, false)
			add(pr.cities[g.r.IntN(len(pr.cities))][1], true)
		}
	case "zh":
		sep = ""
		if g.chance(0.2) {
			pr := genNKProvinces[g.r.IntN(len(genNKProvinces))]
			add("朝鲜", false)
			add(pr.counties[g.r.IntN(len(pr.counties))][1], true)
			break
		}
		pr := genPRCProvinces[g.r.IntN(len(genPRCProvinces))]
		city := pr.cities[g.r.IntN(len(pr.cities))][0]
		if g.chance(0.35) {
			city = g.stem(genZhPlaceChar, 2) + g.pick([]string{"市", "县"})
		}
		town := g.stem(genZhPlaceChar, 2) + g.pick([]string{"镇", "乡"})
		village := g.stem(genZhPlaceChar, 2) + g.pick([]string{"村", "村", "屯"})
		form := g.r.IntN(5)
		if form <= 1 {
			add(pr.zh, false)
		}
		ce := add(city, true)
		if form != 1 && form != 4 {
			add(town, true)
		}
		if form != 3 {
			add(village, true)
		}
		if g.chance(0.3) {
			later = append(later, mentionSlot(ce, city))
		}
	default:
		sep = ", "
		if g.chance(0.6) {
			pr := genNKProvinces[g.r.IntN(len(genNKProvinces))]
			c := pr.counties[g.r.IntN(len(pr.counties))][2]
			form := g.r.IntN(3)
			if form == 0 {
				add(g.romanise(g.stem(genKoPlaceSyll, 2), true)+"-"+g.pick([]string{"ri", "dong"}), true)
			}
			ce := add(c, true)
			if form != 2 {
				add(pr.en, false)
			}
			if g.chance(0.3) {
				later = append(later, mentionSlot(ce, c))
			}
		} else {
			pr := genPRCProvinces[g.r.IntN(len(genPRCProvinces))]
			if g.chance(0.6) {
				add(g.pick(genPinyinVill)+" "+g.pick([]string{"Village", "Town"}), true)
			}
			add(pr.cities[g.r.IntN(len(pr.cities))][2], true)
			if g.chance(0.5) {
				add(pr.en, false)
			}
		}
	}
	tail := parts[len(parts)-1].text
	first = slot{func(b *builder) {
		for i, p := range parts {
			if i > 0 {
				b.text(sep)
			}
			b.mention(p.ent, p.text)
		}
	}, tail}
	return first, later
}

// dateSlot makes a date finer than a year in one of the ways people write
// it.
func (g *gen) dateSlot(d *doc) (slot, bool) {
	y, m, day := 1995+g.r.IntN(29), 1+g.r.IntN(12), 1+g.r.IntN(28)
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	zhNum := func(n int) string {
		d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
		switch {
		case n < 10:
			return d[n]
		case n == 10:
			return "十"
		case n < 20:
			return "十" + d[n-10]
		case n%10 == 0:
			return d[n/10] + "十"
		}
		return d[n/10] + "十" + d[n%10]
	}
	zhYear := func(y int) string {
		var b strings.Builder
		for _, c := range fmt.Sprint(y) {
			b.WriteString(string([]rune("〇一二三四五六七八九")[c-'0']))
		}
		return b.String()
	}
	var s string
	monthOnly := false
	switch g.lang {
	case "ko", "ko-nk":
		forms := []string{
			fmt.Sprintf("%d년 %d월 %d일", y, m, day), fmt.Sprintf("%d.%d.%d", y, m, day), fmt.Sprintf("%d. %d. %d.", y, m, day),
			fmt.Sprintf("%d년 %d월", y, m), fmt.Sprintf("%d월 %d일", m, day), fmt.Sprintf("%d-%02d-%02d", y, m, day),
			fmt.Sprintf("%02d년 %d월 %d일", y%100, m, day),
		}
		if g.nk {
			forms = append(forms, fmt.Sprintf("주체%d년 %d월 %d일", y-1911, m, day), fmt.Sprintf("주체%d(%d)년 %d월 %d일", y-1911, y, m, day))
		}
		s = g.pick(forms)
	case "zh":
		s = g.pick([]string{
			fmt.Sprintf("%d年%d月%d日", y, m, day), fmt.Sprintf("%d年%d月%d号", y, m, day), fmt.Sprintf("%s年%s月%s日", zhYear(y), zhNum(m), zhNum(day)),
			fmt.Sprintf("%d月%d日", m, day), fmt.Sprintf("%d年%d月", y, m), fmt.Sprintf("%d-%02d-%02d", y, m, day), fmt.Sprintf("%d.%d.%d", y, m, day),
		})
	default:
		k := g.r.IntN(6)
		switch k {
		case 0:
			s = fmt.Sprintf("%s %d, %d", months[m-1], day, y)
		case 1:
			s = fmt.Sprintf("%d %s %d", day, months[m-1], y)
		case 2:
			s = fmt.Sprintf("%d-%02d-%02d", y, m, day)
		case 3:
			s = fmt.Sprintf("%s %d", months[m-1], y)
			monthOnly = true
		case 4:
			s = fmt.Sprintf("%02d/%02d/%d", day, m, y)
		default:
			s = fmt.Sprintf("%s %d", months[m-1][:3], day)
		}
	}
	e := &goldEntity{typ: TypeDate}
	d.entities = append(d.entities, e)
	return mentionSlot(e, s), monthOnly
}

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// genPRCID makes a PRC resident ID; valid unless typo.
func genPRCID(r *rand.Rand, typo bool) string {
	area := []string{"220", "210", "230", "110", "370", "310", "440"}[r.IntN(7)] + digits(r, 3)
	y, m, d := 1960+r.IntN(45), 1+r.IntN(12), 1+r.IntN(28)
	d17 := fmt.Sprintf("%s%04d%02d%02d%s", area, y, m, d, digits(r, 3))
	c := prcIDCheckChar(d17)
	if typo {
		c = "10X98765432"[(strings.IndexByte("10X98765432", c)+1+r.IntN(10))%11]
	}
	return d17 + string(c)
}

// genRRN makes a ROK resident registration number: with a valid check
// digit, or (issued since October 2020) a random one.
func genRRN(r *rand.Rand, random bool) string {
	y, m, d := r.IntN(100), 1+r.IntN(12), 1+r.IntN(28)
	g := "12"[r.IntN(2)]
	if y < 20 {
		g = "34"[r.IntN(2)]
	}
	d12 := fmt.Sprintf("%02d%02d%02d%c%s", y, m, d, g, digits(r, 5))
	if random {
		return d12 + digits(r, 1)
	}
	return d12 + string(rrnCheckDigit(d12))
}

// genPhone makes a telephone number the number plan (libphonenumber's
// metadata, the oracle for phone validity) holds valid, written one of
// the ways people write it.
func genPhone(r *rand.Rand) (string, string) {
	for {
		s, region := genPhoneShape(r)
		var d strings.Builder
		for _, c := range s {
			if c >= '0' && c <= '9' {
				d.WriteRune(c)
			}
		}
		num, reg := d.String(), strings.ToUpper(region)
		if strings.Contains(s, "+") {
			num, reg = "+"+num, "ZZ"
		} else if strings.HasPrefix(num, "00") {
			num, reg = "+"+num[2:], "ZZ"
		}
		if n, err := phonenumbers.Parse(num, reg); err == nil && phonenumbers.IsValidNumber(n) {
			return s, region
		}
	}
}

func genPhoneShape(r *rand.Rand) (string, string) {
	switch r.IntN(4) {
	case 0, 1: // PRC mobile
		pre := []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "176", "177", "180", "182", "186", "187", "188", "189", "199"}[r.IntN(23)]
		n := pre + digits(r, 8)
		switch r.IntN(6) {
		case 0:
			return n[:3] + " " + n[3:7] + " " + n[7:], "cn"
		case 1:
			return n[:3] + "-" + n[3:7] + "-" + n[7:], "cn"
		case 2:
			return "+86 " + n[:3] + " " + n[3:7] + " " + n[7:], "cn"
		case 3:
			return "0086" + n, "cn"
		case 4:
			return "+86-" + n, "cn"
		}
		return n, "cn"
	case 2: // ROK mobile
		n := "010" + fmt.Sprint(2000+r.IntN(8000)) + digits(r, 4)
		switch r.IntN(4) {
		case 0:
			return n[:3] + "-" + n[3:7] + "-" + n[7:], "kr"
		case 1:
			return "+82 10-" + n[3:7] + "-" + n[7:], "kr"
		case 2:
			return n[:3] + " " + n[3:7] + " " + n[7:], "kr"
		}
		return n, "kr"
	}
	// DPRK mobile, or a PRC landline in Yanbian or Shenyang.
	if r.IntN(2) == 0 {
		n := "19" + string("1235"[r.IntN(4)]) + digits(r, 7)
		if r.IntN(2) == 0 {
			return "+850 " + n[:3] + " " + n[3:6] + " " + n[6:], "kp"
		}
		return "+850-" + n, "kp"
	}
	if r.IntN(2) == 0 {
		return "0433-" + fmt.Sprint(2+r.IntN(7)) + digits(r, 6), "cn"
	}
	return "024-" + fmt.Sprint(2+r.IntN(7)) + digits(r, 7), "cn"
}

var genWords = strings.Fields("kim sun hui mina star love happy chol yong min xiao li wang mei jun hana rose blue sky")

// identSlot makes an identifier and a sentence for it.
func (g *gen) identSlot(d *doc) (slot, string) {
	r := g.r
	var s, t string
	var typ Type
	k := r.IntN(16)
	ko := g.lang == "ko" || g.lang == "ko-nk"
	zh := g.lang == "zh"
	pick3 := func(a, b, c []string) string {
		switch {
		case ko:
			return g.pick(a)
		case zh:
			return g.pick(b)
		}
		return g.pick(c)
	}
	switch k {
	case 0, 1, 2, 3:
		typ = TypePhone
		s, _ = genPhone(r)
		t = pick3([]string{"제 중국 전화번호는 {X}입니다.", "연락처: {X}.", "급할 때는 {X}로 연락하세요.", "손전화 번호 {X}.", "그 사람 번호는 {X}였다.", "적어 둔 것: {X}."},
			[]string{"我的手机号是{X}。", "打这个电话{X}。", "联系方式：{X}。", "他的号码{X}。", "记下的是{X}。"},
			[]string{"My number is {X}.", "Call {X}.", "His phone: {X}.", "I wrote down {X}."})
	case 4, 5:
		typ = TypePRCID
		s = genPRCID(r, r.IntN(10) == 0)
		t = pick3([]string{"중국 신분증 번호는 {X}입니다.", "신분증: {X}."}, []string{"身份证号{X}。", "他的身份证号码是{X}。", "证件号：{X}。"},
			[]string{"ID card number {X}.", "Her Chinese ID was {X}."})
	case 6:
		typ = TypePRCOldID
		s = genPRCID(r, false)
		s = s[:6] + s[8:17]
		t = pick3([]string{"옛날 신분증 번호 {X}."}, []string{"老身份证{X}。"}, []string{"old ID {X}."})
	case 7:
		typ = TypeRRN
		s = genRRN(r, r.IntN(3) == 0)
		if r.IntN(2) == 0 {
			s = s[:6] + "-" + s[6:]
		}
		t = pick3([]string{"주민등록번호는 {X}입니다.", "주민번호 {X}."}, []string{"韩国身份证号{X}。"}, []string{"Korean registration number {X}."})
	case 8:
		typ = TypeWeChat
		if r.IntN(2) == 0 {
			s = "wxid_" + strings.ToLower(digits(r, 6)) + g.stem(strings.Split("abcdefghijkmnpqrstuvwxyz", ""), 8)
		} else {
			s = g.pick(genWords) + g.pick([]string{"_", "", "-"}) + g.pick(genWords) + fmt.Sprint(r.IntN(2000))
		}
		t = pick3([]string{"위챗 아이디는 {X}입니다.", "위챗: {X}."}, []string{"微信号：{X}。", "他的微信是{X}。", "加我微信{X}。"}, []string{"WeChat ID: {X}.", "Her WeChat is {X}."})
	case 9:
		typ = TypeQQ
		s = fmt.Sprint(1+r.IntN(9)) + digits(r, 5+r.IntN(5))
		t = pick3([]string{"QQ번호는 {X}입니다."}, []string{"QQ：{X}。", "我的QQ号是{X}。", "扣扣{X}。"}, []string{"QQ number {X}."})
	case 10:
		typ = TypeEmail
		s = g.pick(genWords) + g.pick([]string{".", "_", ""}) + g.pick(genWords) + fmt.Sprint(r.IntN(100)) + "@" + g.pick([]string{"qq.com", "163.com", "gmail.com", "naver.com", "daum.net", "hotmail.com"})
		t = pick3([]string{"이메일 {X}.", "메일 주소는 {X}입니다."}, []string{"邮箱{X}。", "电子邮件：{X}。"}, []string{"Email {X}.", "Write to {X}."})
	case 11:
		typ = TypeURL
		s = g.pick([]string{"https://www.facebook.com/", "https://weibo.com/u/", "https://m.blog.naver.com/", "www.example.cn/"}) + g.pick(genWords) + fmt.Sprint(r.IntN(9999))
		t = pick3([]string{"{X} 에 글을 올렸습니다."}, []string{"网址{X} 。"}, []string{"See {X} for the post."})
	case 12:
		typ = TypeIP
		s = fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254))
		t = pick3([]string{"IP 주소는 {X}였다."}, []string{"IP地址{X}。"}, []string{"The IP address was {X}."})
	case 13:
		typ = TypeGPS
		lat, lon := 40+r.Float64()*3, 124+r.Float64()*6
		switch r.IntN(4) {
		case 0:
			s = fmt.Sprintf("%.6f, %.6f", lat, lon)
		case 1:
			s = fmt.Sprintf("%d°%d′%d″N %d°%d′%d″E", int(lat), r.IntN(60), r.IntN(60), int(lon), r.IntN(60), r.IntN(60))
		case 2:
			s = pick3([]string{fmt.Sprintf("북위 %.4f 동경 %.4f", lat, lon)}, []string{fmt.Sprintf("北纬%d度%d分 东经%d度%d分", int(lat), r.IntN(60), int(lon), r.IntN(60))}, []string{fmt.Sprintf("N %.4f, E %.4f", lat, lon)})
		default:
			s = fmt.Sprintf("%.5f,%.5f", lat, lon)
		}
		t = pick3([]string{"위치는 {X}입니다.", "좌표: {X}."}, []string{"位置是{X}。", "坐标{X}。"}, []string{"The location was {X}.", "GPS: {X}."})
	case 14:
		typ = TypeCitizenCard
		pr := genNKProvinces[r.IntN(len(genNKProvinces))]
		c := pr.counties[r.IntN(len(pr.counties))]
		place := strings.TrimRight(c[0], "시군")
		if zh {
			place = strings.TrimRight(c[1], "市郡")
		} else if !ko {
			place = strings.TrimSuffix(c[2], " County")
		}
		s = place + " " + fmt.Sprint(100000+r.IntN(900000))
		t = pick3([]string{"공민증 번호는 {X}였습니다.", "공민증: {X}."}, []string{"我的公民证号是{X}。"}, []string{"Her citizen card number was {X}."})
	default:
		typ = TypeOrg
		if ko {
			s = g.stem(genKoPlaceSyll, 2) + g.pick([]string{"광산", "기업소", "교회", "농장", "탄광"})
			t = g.pick([]string{"{X}에서 일했습니다.", "{X}에 다녔어요."})
		} else if zh {
			s = g.stem(genZhPlaceChar, 2) + g.pick([]string{"服装厂", "公司", "教会", "农场"})
			t = g.pick([]string{"我在{X}工作。", "他们带我去了{X}。"})
		} else {
			s = g.pick(genPinyinVill) + " " + g.pick([]string{"Church", "Mine", "Factory", "Farm"})
			t = g.pick([]string{"I worked at {X}.", "They took me to {X}."})
		}
	}
	e := &goldEntity{typ: typ}
	d.entities = append(d.entities, e)
	return mentionSlot(e, s), t
}

// genDoc makes one testimony.
func genDoc(r *rand.Rand, lang string, heldout bool) doc {
	g := &gen{r: r, lang: lang, nk: lang == "ko-nk", heldout: heldout}
	d := doc{lang: lang}
	// Each entity contributes a sequence of sentences; sequences are
	// interleaved at random, keeping each one's order.
	var seqs [][]func(b *builder)
	sentence := func(t string, slots map[byte]slot) func(b *builder) {
		return func(b *builder) { g.fill(b, t, slots) }
	}
	var firstCtx, firstPlain, later, placeT, dateT, distract []template
	switch lang {
	case "ko", "ko-nk":
		firstCtx, firstPlain, later, placeT, dateT, distract = koFirstCtx, koFirstPlain, koLater, koPlaceT, koDateT, koDistract
	case "zh":
		firstCtx, firstPlain, later, placeT, dateT, distract = zhFirstCtx, zhFirstPlain, zhLater, zhPlaceT, zhDateT, zhDistract
	default:
		firstCtx, firstPlain, later, placeT, dateT, distract = enFirstCtx, enFirstPlain, enLater, enPlaceT, enDateT, enDistract
	}
	used := map[string]bool{}
	for range 2 + r.IntN(3) {
		var p person
		for {
			switch lang {
			case "zh":
				p = g.zhPerson()
			case "en":
				p = g.enPerson()
			default:
				p = g.koPerson()
			}
			if !used[p.full] && !used[p.given] {
				break
			}
		}
		used[p.full], used[p.given] = true, true
		e := &goldEntity{typ: TypeName}
		d.entities = append(d.entities, e)
		given := p.given
		if lang == "zh" && utf8.RuneCountInString(given) == 1 {
			// Nobody calls 王伟 plain 伟: the full name stands in.
			given = p.full
		}
		slots := map[byte]slot{'F': mentionSlot(e, p.full), 'G': mentionSlot(e, given), 'S': mentionSlot(e, p.surname)}
		var seq []func(b *builder)
		if g.chance(0.75) {
			seq = append(seq, sentence(g.choose(firstCtx), slots))
		} else {
			seq = append(seq, sentence(g.choose(firstPlain), slots))
		}
		for range r.IntN(3) {
			seq = append(seq, sentence(g.choose(later), slots))
		}
		seqs = append(seqs, seq)
	}
	for range 1 + r.IntN(2) {
		first, again := g.placeSlot(&d)
		seq := []func(b *builder){sentence(g.choose(placeT), map[byte]slot{'P': first})}
		for _, a := range again {
			seq = append(seq, sentence(g.choose(placeT), map[byte]slot{'P': a}))
		}
		seqs = append(seqs, seq)
	}
	for range 1 + r.IntN(2) {
		sl, monthOnly := g.dateSlot(&d)
		t := g.choose(dateT)
		if monthOnly {
			t = g.choose(enMonthT)
		}
		seqs = append(seqs, []func(b *builder){sentence(t, map[byte]slot{'D': sl})})
	}
	for range 2 + r.IntN(3) {
		sl, t := g.identSlot(&d)
		seqs = append(seqs, []func(b *builder){sentence(t, map[byte]slot{'X': sl})})
	}
	for range 2 + r.IntN(4) {
		seqs = append(seqs, []func(b *builder){sentence(g.choose(distract), nil)})
	}
	b := &builder{}
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	n := 0
	for len(seqs) > 0 {
		i := r.IntN(len(seqs))
		if n > 0 {
			if r.IntN(6) == 0 {
				b.text("\n")
			} else {
				b.text(sep)
			}
		}
		seqs[i][0](b)
		n++
		seqs[i] = seqs[i][1:]
		if len(seqs[i]) == 0 {
			seqs = slices.Delete(seqs, i, i+1)
		}
	}
	b.text("\n")
	d.text = b.b.String()
	return d
}

// corpus makes n testimonies from seed: 45% Korean (40% of them in North
// Korean spelling), 33% Chinese, 22% English.
func corpus(seed uint64, n int, heldout bool) []doc {
	r := rand.New(rand.NewPCG(seed, 0xc0ffee))
	var out []doc
	for i := range n {
		var lang string
		switch x := i % 20; {
		case x < 9:
			lang = "ko"
			if x < 4 { // 4 of 9 Korean testimonies
				lang = "ko-nk"
			}
		case x < 15:
			lang = "zh"
		default:
			lang = "en"
		}
		out = append(out, genDoc(r, lang, heldout))
	}
	return out
}
