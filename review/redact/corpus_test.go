package redact

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// A synthetic labelled corpus of testimonies for the evaluation. The
// generator's word lists are its own, written apart from the detectors'
// (given names include syllables and characters the detectors' lists do
// not have, village names are random), so the evaluation measures
// detection, not a lookup of the lists it was built from. A fifth of the
// sentence templates are held out: the development seed never uses them,
// the held-out seed does.

// goldEntity is one thing to redact with all its mentions.
type goldEntity struct {
	typ      Type
	mentions [][2]int // byte spans in doc.text
}

type doc struct {
	lang     string // "ko", "ko-nk", "zh", "en"
	text     string
	entities []*goldEntity
}

// builder appends text and records mention spans.
type builder struct {
	b strings.Builder
}

func (b *builder) text(s string) { b.b.WriteString(s) }

func (b *builder) mention(e *goldEntity, s string) {
	start := b.b.Len()
	b.b.WriteString(s)
	if e != nil {
		e.mentions = append(e.mentions, [2]int{start, b.b.Len()})
	}
}

// gen holds one document's random choices.
type gen struct {
	r       *rand.Rand
	lang    string
	nk      bool // North Korean spelling
	heldout bool // may use held-out templates
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }
func (g *gen) chance(p float64) bool     { return g.r.Float64() < p }

// Generator word lists.
var (
	genKoSurnamesSK = strings.Fields(`김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 나 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 봉 경 황보 남궁 제갈 선우 독고`)
	// North Korean spelling keeps the initial ㄹ and ㄴ.
	genNKSurname = map[string]string{"이": "리", "임": "림", "유": "류", "양": "량", "노": "로", "나": "라", "염": "렴", "여": "려", "용": "룡"}
	genKoGivenF  = strings.Fields(`영희 순희 명옥 은정 미란 춘화 금옥 정임 향란 성희 경옥 연화 복실 옥주 혜영 수련 정란 은심 명숙 영애 순녀 금녀 옥란 영실 진주 은하 설향 미향 춘심 복녀 선옥 정심 혜숙 향심 금순 은옥 명화 영란 은별 솔이 하늘 봄이 예린 다은 서연 지민 수빈 유나`)
	genKoGivenM  = strings.Fields(`철수 영철 명철 성호 광철 영남 정남 동철 학철 경호 성국 용남 혁철 만복 길남 영수 창호 국철 남혁 광혁 성진 준혁 세철 현철 명진 태성 금철 은철 강혁 별무 충성 일심 대범 석주`)
	genKoSyll    = strings.Split("영순명은미춘금정향성경연복옥혜수은설선진하별솔빛슬결린률찬담봄샘들철광학호국혁만길창세현태충대석범기용남일동", "")
	genZhSurname = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "袁", "潘", "蒋", "蔡", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "石", "廖", "贾", "夏", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "贺", "顾", "毛", "郝", "龚", "邵", "钱", "严", "武", "戴", "孔", "汤", "欧阳", "司马", "诸葛", "上官"}
	genZhGivenM  = strings.Fields(`建国 建军 志强 国华 卫东 海涛 永刚 立新 文军 春生 德胜 宝林 振华 伟 军 勇 强 磊 涛 斌 明 刚 杰 鹏 飞 浩 东 平 亮 成 林 峰 大山 长海 铁柱 金龙 福来 顺利 喜旺 满仓 树根 铭轩`)
	genZhGivenF  = strings.Fields(`秀英 丽华 桂兰 淑珍 玉梅 春燕 海燕 凤霞 秀梅 艳红 晓梅 美玲 红霞 雪梅 芳 丽 静 敏 燕 娟 霞 艳 玲 萍 红 华 翠花 小芳 梦瑶 子涵 欣怡 雨桐`)
	// Korean women's names as written in Chinese.
	genKoHanSurname = []string{"金", "李", "朴", "崔", "郑", "姜", "赵", "尹", "张", "林", "韩", "吴", "申", "权", "黄", "安", "宋", "柳", "洪", "全", "高", "文", "孙", "裴", "白", "许", "南", "沈", "卢", "河", "车", "玄"}
	genKoHanGiven   = strings.Fields(`英姬 顺姬 明玉 春花 贞淑 美兰 善玉 福实 金玉 银姬 玉顺 惠英 淑子 英爱 顺女 今顺 月仙 花子 贞姬 明淑 春实 玉花 善姬`)
)

// Romanisation of Hangul for the English texts (Revised Romanisation,
// or a McCune–Reischauer-like form without diacritics).
var (
	rrInit  = []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	rrMed   = []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	rrFinal = []string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "t", "t", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	romSur  = map[string][]string{"김": {"Kim"}, "이": {"Lee", "Yi"}, "리": {"Ri"}, "박": {"Pak", "Park"}, "최": {"Choe", "Choi"}, "정": {"Jong", "Jeong"}, "강": {"Kang"}, "조": {"Jo", "Cho"}, "윤": {"Yun", "Yoon"}, "장": {"Jang", "Chang"}, "림": {"Rim"}, "임": {"Lim"}, "한": {"Han"}, "오": {"O", "Oh"}, "서": {"So", "Seo"}, "신": {"Sin", "Shin"}, "권": {"Kwon"}, "황": {"Hwang"}, "안": {"An", "Ahn"}, "송": {"Song"}, "류": {"Ryu"}, "유": {"Yu", "Yoo"}, "전": {"Jon", "Jeon"}, "홍": {"Hong"}, "고": {"Ko"}, "문": {"Mun", "Moon"}, "량": {"Ryang"}, "양": {"Yang"}, "손": {"Son"}, "배": {"Pae", "Bae"}, "백": {"Paek", "Baek"}, "허": {"Ho", "Heo"}, "남": {"Nam"}, "심": {"Sim"}, "로": {"Ro"}, "노": {"No", "Roh"}, "하": {"Ha"}, "곽": {"Kwak"}, "성": {"Song"}, "차": {"Cha"}, "주": {"Ju"}, "우": {"U"}, "구": {"Ku"}, "라": {"Ra"}, "나": {"Na"}, "민": {"Min"}, "진": {"Jin"}, "지": {"Ji"}, "엄": {"Om"}, "채": {"Chae"}, "원": {"Won"}, "천": {"Chon"}, "방": {"Pang"}, "공": {"Kong"}, "현": {"Hyon"}, "함": {"Ham"}}
	pinyin  = map[rune]string{'王': "Wang", '李': "Li", '张': "Zhang", '刘': "Liu", '陈': "Chen", '杨': "Yang", '黄': "Huang", '赵': "Zhao", '吴': "Wu", '周': "Zhou", '徐': "Xu", '孙': "Sun", '马': "Ma", '朱': "Zhu", '胡': "Hu", '郭': "Guo", '何': "He", '高': "Gao", '林': "Lin", '罗': "Luo", '郑': "Zheng", '梁': "Liang", '谢': "Xie", '宋': "Song", '唐': "Tang", '许': "Xu", '韩': "Han", '冯': "Feng", '邓': "Deng", '曹': "Cao", '彭': "Peng", '曾': "Zeng", '田': "Tian", '董': "Dong", '袁': "Yuan", '潘': "Pan", '蒋': "Jiang", '蔡': "Cai", '杜': "Du", '叶': "Ye",
		'建': "jian", '国': "guo", '军': "jun", '志': "zhi", '强': "qiang", '华': "hua", '卫': "wei", '东': "dong", '海': "hai", '涛': "tao", '永': "yong", '刚': "gang", '立': "li", '新': "xin", '文': "wen", '春': "chun", '生': "sheng", '德': "de", '胜': "sheng", '宝': "bao", '振': "zhen", '伟': "wei", '勇': "yong", '磊': "lei", '斌': "bin", '明': "ming", '杰': "jie", '鹏': "peng", '飞': "fei", '浩': "hao", '平': "ping", '亮': "liang", '成': "cheng", '峰': "feng",
		'秀': "xiu", '英': "ying", '丽': "li", '桂': "gui", '兰': "lan", '淑': "shu", '珍': "zhen", '玉': "yu", '梅': "mei", '燕': "yan", '凤': "feng", '霞': "xia", '艳': "yan", '红': "hong", '晓': "xiao", '美': "mei", '玲': "ling", '雪': "xue", '芳': "fang", '静': "jing", '敏': "min", '娟': "juan", '萍': "ping"}
)

// romanise writes a Hangul word in Latin letters.
func (g *gen) romanise(s string, word bool) string {
	mr := g.chance(0.5)
	var parts []string
	for _, r := range s {
		if !isHangul(r) {
			continue
		}
		n := int(r - 0xAC00)
		syl := rrInit[n/(21*28)] + rrMed[n/28%21] + rrFinal[n%28]
		if mr {
			syl = strings.NewReplacer("eo", "o", "eu", "u").Replace(syl)
		}
		parts = append(parts, syl)
	}
	if word {
		return strings.ToUpper(parts[0][:1]) + strings.Join(parts, "")[1:]
	}
	out := strings.Join(parts, "-")
	if g.chance(0.3) {
		out = strings.Join(parts, "")
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// person is a generated person with the forms her name is written in.
type person struct {
	full, surname, given string
	male                 bool
}

func (g *gen) koPerson() person {
	sn := g.pick(genKoSurnamesSK)
	if g.nk {
		if n, ok := genNKSurname[sn]; ok {
			sn = n
		}
	}
	male := g.chance(0.5)
	var given string
	switch {
	case g.chance(0.25):
		given = g.pick(genKoSyll) + g.pick(genKoSyll)
	case male:
		given = g.pick(genKoGivenM)
	default:
		given = g.pick(genKoGivenF)
	}
	return person{sn + given, sn, given, male}
}

func (g *gen) zhPerson() person {
	if g.chance(0.35) {
		sn, gv := g.pick(genKoHanSurname), g.pick(genKoHanGiven)
		return person{sn + gv, sn, gv, false}
	}
	sn := g.pick(genZhSurname)
	male := g.chance(0.5)
	gv := g.pick(genZhGivenF)
	if male {
		gv = g.pick(genZhGivenM)
	}
	return person{sn + gv, sn, gv, male}
}

func (g *gen) enPerson() person {
	if g.chance(0.55) {
		p := g.koPerson()
		opts := romSur[p.surname]
		if opts == nil {
			opts = []string{g.romanise(p.surname, true)}
		}
		sn := opts[g.r.IntN(len(opts))]
		given := g.romanise(p.given, false)
		return person{sn + " " + given, sn, given, p.male}
	}
	for {
		sn := genZhSurname[g.r.IntN(40)]
		male := g.chance(0.5)
		gv := g.pick(genZhGivenF)
		if male {
			gv = g.pick(genZhGivenM)
		}
		var py []string
		ok := true
		for _, r := range gv {
			if pinyin[r] == "" {
				ok = false
			}
			py = append(py, pinyin[r])
		}
		if !ok || pinyin[[]rune(sn)[0]] == "" {
			continue
		}
		given := strings.Join(py, "")
		given = strings.ToUpper(given[:1]) + given[1:]
		return person{pinyin[[]rune(sn)[0]] + " " + given, pinyin[[]rune(sn)[0]], given, male}
	}
}

// endsInConsonant reports whether the last syllable of s ends in a consonant.
func endsInConsonant(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isHangul(r) && (r-0xAC00)%28 != 0
}

// particle chooses 은/는, 이/가, 을/를, 과/와, 이라는/라는, 이었/였 after s.
func particle(s, p string) string {
	pairs := map[string][2]string{"는": {"은", "는"}, "가": {"이", "가"}, "를": {"을", "를"}, "와": {"과", "와"}, "라는": {"이라는", "라는"}, "였": {"이었", "였"}, "로": {"으로", "로"}, "야": {"이야", "야"}}
	pr, ok := pairs[p]
	if !ok {
		return p
	}
	if endsInConsonant(s) {
		if p == "로" {
			if r, _ := utf8.DecodeLastRuneInString(s); (r-0xAC00)%28 == 8 { // ㄹ
				return "로"
			}
		}
		return pr[0]
	}
	return pr[1]
}

// A template is a sentence with slots: {F} the full name, {G} the given
// name, {S} the surname, {P} a place, {D} a date, {X} an identifier. A
// slot may carry a Korean particle chosen by the last syllable: {F:는}.
type template struct {
	s       string
	heldout bool
}

func tpls(heldoutEvery int, ss ...string) []template {
	out := make([]template, len(ss))
	for i, s := range ss {
		out[i] = template{s: s, heldout: heldoutEvery > 0 && i%heldoutEvery == heldoutEvery-1}
	}
	return out
}

// slot is what a template's slot writes: one or more mentions, and the
// text whose last syllable decides a particle after it.
type slot struct {
	write func(b *builder)
	tail  string
}

func mentionSlot(e *goldEntity, text string) slot {
	return slot{func(b *builder) { b.mention(e, text) }, text}
}

// fill writes a template. "[로동|노동]" picks the North or South Korean
// spelling; "{F:는}" writes slot F and the particle that fits it.
func (g *gen) fill(b *builder, t string, slots map[byte]slot) {
	for {
		if i := strings.IndexByte(t, '['); i >= 0 {
			j := strings.IndexByte(t[i:], ']') + i
			nk, sk, _ := strings.Cut(t[i+1:j], "|")
			if g.nk {
				t = t[:i] + nk + t[j+1:]
			} else {
				t = t[:i] + sk + t[j+1:]
			}
			continue
		}
		break
	}
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.text(t)
			return
		}
		j := strings.IndexByte(t[i:], '}') + i
		b.text(t[:i])
		name, part, _ := strings.Cut(t[i+1:j], ":")
		v := slots[name[0]]
		v.write(b)
		if part != "" {
			b.text(particle(v.tail, part))
		}
		t = t[j+1:]
	}
}

func (g *gen) choose(ts []template) string {
	for {
		t := ts[g.r.IntN(len(ts))]
		if !t.heldout || g.heldout {
			return t.s
		}
	}
}
