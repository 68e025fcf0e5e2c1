package redact

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Pseudonyms are drawn from short lists of ordinary names with a
// generator seeded per statement ([Plan.Seed]), in order of each person's
// first mention. They are never derived from the real name (a hash of a
// name can be reversed by trying every name), and are chosen so that no
// pseudonym shares a surname or a given name, in any spelling, with a real
// name in the statement. A Korean name gets a Korean pseudonym, a Chinese
// name a Chinese one, and each pseudonym is written in the script of the
// mention it replaces: Hangul, Chinese characters or Latin letters.
//
// Surnames with the ㄹ/ㄴ alternation (리/이, 류/유, 림/임) are left out of
// the lists: which spelling to use would reveal nothing, but would have to
// match the statement's spelling to read naturally.

// pname is one part of a pseudonym in three scripts: Hangul, Chinese,
// Latin.
type pname struct{ ko, zh, en string }

func pnames(s string) []pname {
	var out []pname
	for _, f := range strings.Fields(s) {
		p := strings.Split(f, "/")
		out = append(out, pname{p[0], p[1], strings.ReplaceAll(p[2], "_", " ")})
	}
	return out
}

var (
	pseudoKoSurnames = pnames(`김/金/Kim 박/朴/Pak 최/崔/Choe 정/郑/Jong 강/姜/Kang 조/赵/Jo 윤/尹/Yun 장/张/Jang 한/韩/Han
		오/吴/O 서/徐/So 신/申/Sin 권/权/Kwon 황/黄/Hwang 안/安/An 송/宋/Song 홍/洪/Hong 전/全/Jon 고/高/Ko 문/文/Mun
		손/孙/Son 배/裴/Pae 백/白/Paek 허/许/Ho 남/南/Nam 심/沈/Sim 하/河/Ha 곽/郭/Kwak 차/车/Cha 주/朱/Ju 우/禹/U
		구/具/Ku 민/闵/Min 지/池/Ji 엄/严/Om 채/蔡/Chae 원/元/Won 천/千/Chon 방/方/Pang 공/孔/Kong 현/玄/Hyon 함/咸/Ham`)
	pseudoKoFemale = pnames(`순옥/顺玉/Sun-ok 명희/明姬/Myong-hui 영순/英顺/Yong-sun 옥순/玉顺/Ok-sun 은경/恩京/Un-gyong
		정숙/贞淑/Jong-suk 춘화/春花/Chun-hwa 금실/金实/Kum-sil 복순/福顺/Pok-sun 향미/香美/Hyang-mi 선희/善姬/Son-hui
		혜경/惠京/Hye-gyong 미경/美京/Mi-gyong 성애/成爱/Song-ae 경희/京姬/Kyong-hui 은주/恩珠/Un-ju 숙자/淑子/Suk-ja
		화선/花善/Hwa-son 봉순/凤顺/Pong-sun 정애/贞爱/Jong-ae 명옥/明玉/Myong-ok 금순/今顺/Kum-sun 설화/雪花/Sol-hwa
		은하/银河/Un-ha 송화/松花/Song-hwa 경애/京爱/Kyong-ae 미향/美香/Mi-hyang 혜숙/惠淑/Hye-suk 춘옥/春玉/Chun-ok 복희/福姬/Pok-hui`)
	pseudoKoMale = pnames(`철민/哲民/Chol-min 광호/光浩/Kwang-ho 성철/成哲/Song-chol 명수/明洙/Myong-su 영남/永男/Yong-nam
		동혁/东赫/Tong-hyok 정호/正浩/Jong-ho 국진/国振/Kuk-jin 학철/学哲/Hak-chol 만식/万植/Man-sik 광철/光哲/Kwang-chol
		승호/承浩/Sung-ho 기남/基男/Ki-nam 대성/大成/Tae-song 준식/俊植/Jun-sik 태호/泰浩/Thae-ho 경수/京洙/Kyong-su
		봉철/凤哲/Pong-chol 상민/相民/Sang-min 원길/元吉/Won-gil`)
	pseudoZhSurnames = pnames(`왕/王/Wang 장/张/Zhang 진/陈/Chen 황/黄/Huang 조/赵/Zhao 오/吴/Wu 주/周/Zhou 서/徐/Xu 손/孙/Sun
		마/马/Ma 호/胡/Hu 곽/郭/Guo 하/何/He 고/高/Gao 정/郑/Zheng 송/宋/Song 당/唐/Tang 한/韩/Han 풍/冯/Feng 등/邓/Deng
		팽/彭/Peng 증/曾/Zeng 전/田/Tian 동/董/Dong 반/潘/Pan 원/袁/Yuan 채/蔡/Cai 두/杜/Du 위/魏/Wei 소/苏/Su 심/沈/Shen`)
	pseudoZhMale = pnames(`건군/建军/Jianjun 국강/国强/Guoqiang 지강/志刚/Zhigang 해도/海涛/Haitao 영승/永胜/Yongsheng
		덕명/德明/Deming 춘생/春生/Chunsheng 보산/宝山/Baoshan 진화/振华/Zhenhua 문빈/文斌/Wenbin 경풍/庆丰/Qingfeng
		복귀/福贵/Fugui 홍군/红军/Hongjun 금산/金山/Jinshan 수삼/树森/Shusen 승리/胜利/Shengli 광재/广才/Guangcai`)
	pseudoZhFemale = pnames(`수영/秀英/Xiuying 계란/桂兰/Guilan 숙진/淑珍/Shuzhen 봉하/凤霞/Fengxia 옥매/玉梅/Yumei
		춘연/春燕/Chunyan 해연/海燕/Haiyan 금봉/金凤/Jinfeng 수매/秀梅/Xiumei 염홍/艳红/Yanhong 효매/晓梅/Xiaomei
		월영/月英/Yueying 취화/翠花/Cuihua 미령/美玲/Meiling 계지/桂芝/Guizhi 소방/素芳/Sufang 설매/雪梅/Xuemei 홍하/红霞/Hongxia`)
)

// Chinese-script surnames that mark a Korean person (金 朴 崔 …), and
// given-name characters typical of Korean women's names.
var (
	zhKoreanSurnames = runeSet(`金朴崔姜尹申权裴玄咸卞廉禹具闵池千琴鞠芮睦片`)
	zhKoreanGiven    = runeSet(`姬淑顺玉子爱善贞实福今`)
	koChineseSurname = setOf(`왕 탕 팽 등 풍`)
	pinyinOnly       = setOf(`wang zhang liu chen huang zhao wu zhou xu zhu hu guo he lin gao luo zheng liang xie tang feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding ren yao shen zhong cui tan fan shi liao jia xia fu fang bai zou meng xiong qin qiu hou xue yan duan lei long tao mao hao gu gong shao wan qian dai mo kong xiang`)
)

// pseudonym is one person's pseudonym.
type pseudonym struct {
	surname, given pname
	style          nameStyle
}

// render writes the pseudonym for a mention: the part the mention is, in
// the script the mention is written in.
func (p pseudonym) render(mention string, part NamePart) string {
	r, _ := utf8.DecodeRuneInString(mention)
	pick := func(n pname) string {
		switch scriptOf(r) {
		case scriptHangul:
			return n.ko
		case scriptHan:
			return n.zh
		}
		return n.en
	}
	switch part {
	case Surname:
		return pick(p.surname)
	case Given:
		return pick(p.given)
	}
	if scriptOf(r) == scriptHangul || scriptOf(r) == scriptHan {
		return pick(p.surname) + pick(p.given)
	}
	return p.surname.en + " " + p.given.en
}

// personInfo gathers what Suggest knows of one person from the mentions.
type personInfo struct {
	first    int // index of the first mention
	style    nameStyle
	gender   gender
	final    finalSound
	mentions []int
}

// nameStyle is whether a name is Korean or Chinese, which picks the
// lists its pseudonym is drawn from.
type nameStyle byte

const (
	styleKorean nameStyle = iota
	styleChinese
)

// gender is what the text shows of a person's gender, so that her
// pseudonym is a woman's name.
type gender byte

const (
	genderUnknown gender = iota
	genderFemale
	genderMale
)

// finalSound is whether a Hangul name ends in a final consonant, which
// picks the particles after it (은/는, 이/가, 을/를): a pseudonym ends
// the same way, so the text around it still reads right.
type finalSound byte

const (
	finalUnknown   finalSound = iota // not Hangul
	finalConsonant                   // 철, 순
	finalVowel                       // 희, 미
)

// Given-name endings typical of women and of men, for a pseudonym of the
// right kind when no context word says.
var (
	femaleEnds = runeSet(`희숙순옥화향미애자련연란난매금실분녀례姬淑顺玉花香美爱子莲兰梅今实芳英秀丽娟燕霞凤`)
	maleEnds   = runeSet(`철호남국군강식혁길수석준훈범웅건규환태택근종창필봉천섭권찬표협哲浩男国军强植赫吉洙锡俊勋范雄健圭焕泰根钟昌弼峰天权刚伟明`)
)

// hasFinal tells whether a Hangul syllable has a final consonant, which
// decides the particles after it (은/는, 이/가, 을/를).
func hasFinal(r rune) finalSound {
	if !isHangul(r) {
		return finalUnknown
	}
	if (r-0xAC00)%28 != 0 {
		return finalConsonant
	}
	return finalVowel
}

// styleOf guesses whether a mention is a Korean or a Chinese name.
func styleOf(c Candidate) nameStyle {
	t := Normalize(c.Text).Norm
	r, _ := utf8.DecodeRuneInString(t)
	switch scriptOf(r) {
	case scriptHangul:
		if koChineseSurname[string(r)] && c.Part != Given {
			return styleChinese
		}
		return styleKorean
	case scriptHan:
		k := []rune(matchKey(t))
		if c.Part != Given && len(k) > 0 && zhKoreanSurnames[k[0]] {
			return styleKorean
		}
		for _, x := range k {
			if zhKoreanGiven[x] {
				return styleKorean
			}
		}
		return styleChinese
	}
	f := strings.Fields(strings.ToLower(t))
	if len(f) > 0 && c.Part != Given && (pinyinOnly[f[0]] || pinyinOnly[f[len(f)-1]]) {
		return styleChinese
	}
	return styleKorean
}

func genderOf(ctx string) gender {
	switch {
	case maleWords[ctx]:
		return genderMale
	case femaleWords[ctx]:
		return genderFemale
	}
	return genderUnknown
}

// assignPseudonyms draws a pseudonym for each person in cands (by
// Candidate.Person), avoiding every real name part in avoid (match keys).
// text, when not empty, is the statement: a pronoun right after a
// mention (she, 她, 그녀) tells the gender when no context word does.
func assignPseudonyms(cands []Candidate, seed uint64, avoid map[string]bool, text ...string) map[int]pseudonym {
	persons := map[int]*personInfo{}
	var order []int
	for i, c := range cands {
		if c.Type != TypeName || c.Person == 0 {
			continue
		}
		p := persons[c.Person]
		if p == nil {
			p = &personInfo{first: i, style: styleOf(c)}
			persons[c.Person] = p
			order = append(order, c.Person)
		}
		if c.Part == Full && p.style != styleOf(c) && len(p.mentions) > 0 && cands[p.mentions[0]].Part != Full {
			p.style = styleOf(c) // a full name says more than a given name alone
		}
		if g := genderOf(c.Context); g != genderUnknown {
			p.gender = g
		}
		if c.Part != Surname && p.final == finalUnknown {
			last, _ := utf8.DecodeLastRuneInString(Normalize(c.Text).Norm)
			p.final = hasFinal(last)
		}
		p.mentions = append(p.mentions, i)
	}
	for _, p := range persons {
		if p.gender != genderUnknown {
			continue
		}
		for _, i := range p.mentions {
			if cands[i].Part == Surname {
				continue
			}
			if g := romanisedGender(cands[i].Text, p.style); g != genderUnknown {
				p.gender = g
				continue
			}
			last, _ := utf8.DecodeLastRuneInString(matchKey(cands[i].Text))
			switch {
			case femaleEnds[last]:
				p.gender = genderFemale
			case maleEnds[last]:
				p.gender = genderMale
			}
		}
		if p.gender == genderUnknown && len(text) > 0 {
			for _, i := range p.mentions {
				if g := pronounAfter(text[0], cands[i].End); g != genderUnknown {
					p.gender = g
					break
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	used := map[string]bool{}
	out := map[int]pseudonym{}
	for n, id := range order {
		p := persons[id]
		var sur, giv []pname
		if p.style == styleChinese {
			sur = pseudoZhSurnames
			switch p.gender {
			case genderMale:
				giv = pseudoZhMale
			case genderFemale:
				giv = pseudoZhFemale
			default:
				giv = append(append([]pname(nil), pseudoZhFemale...), pseudoZhMale...)
			}
		} else {
			sur = pseudoKoSurnames
			switch p.gender {
			case genderMale:
				giv = pseudoKoMale
			case genderFemale:
				giv = pseudoKoFemale
			default:
				giv = append(append([]pname(nil), pseudoKoFemale...), pseudoKoMale...)
			}
		}
		var ps pseudonym
		found := false
		for try := 0; try < 2000 && !found; try++ {
			ps = pseudonym{surname: sur[rng.IntN(len(sur))], given: giv[rng.IntN(len(giv))], style: p.style}
			found = ps.clear(avoid, used)
			if found && p.final != finalUnknown && try < 1000 {
				// Keep the particles right: 철수는 → 준식은 would need
				// the text changed, so pick a name that ends alike.
				last, _ := utf8.DecodeLastRuneInString(ps.given.ko)
				found = hasFinal(last) == p.final
			}
		}
		if !found {
			// Every combination collides: fall back to a numbered label.
			label := fmt.Sprint(n + 1)
			ps = pseudonym{surname: pname{"사람", "某人", "Person"}, given: pname{label, label, label}, style: p.style}
		}
		for _, k := range ps.keys() {
			used[k] = true
		}
		out[id] = ps
	}
	return out
}

// keys returns the match keys of every form of the pseudonym's parts.
func (p pseudonym) keys() []string {
	var out []string
	for _, n := range []pname{p.surname, p.given} {
		out = append(out, matchKey(n.ko), matchKey(n.zh), matchKey(n.en))
	}
	return out
}

// clear reports whether no part of p is a real name part or already
// another person's.
func (p pseudonym) clear(avoid, used map[string]bool) bool {
	for _, n := range []pname{p.given} {
		for _, k := range []string{matchKey(n.ko), matchKey(n.zh), matchKey(n.en)} {
			if used[k] || avoid[k] {
				return false
			}
		}
	}
	for _, k := range []string{matchKey(p.surname.ko), matchKey(p.surname.zh), matchKey(p.surname.en)} {
		if avoid[k] {
			return false
		}
	}
	// No real name may sit inside the full pseudonym either (리영 in
	// 김리영희 is unlikely, but cheap to rule out).
	for _, full := range []string{p.surname.ko + p.given.ko, p.surname.zh + p.given.zh, p.surname.en + p.given.en} {
		fk := matchKey(full)
		for a := range avoid {
			if utf8.RuneCountInString(a) >= 2 && strings.Contains(fk, a) {
				return false
			}
		}
	}
	return true
}

// Romanised given-name syllables typical of women and of men, Korean and
// pinyin apart: hui is a woman in Korean (Yong-hui), a man in Chinese.
var (
	romFemaleKo = setOf(`hee hui hi suk sook ok ja hwa mi ae sun soon ran nan ryon yon hyang sil bun nyo rye ye jeong-hee kyong gyeong hye`)
	romMaleKo   = setOf(`chol chul cheol ho nam su soo guk kuk jun sik shik hyok hyuk gun kun il gwang kwang ryong sok seok man bom beom ung taek gyu kyu`)
	romFemaleZh = setOf(`mei ying lan xiu yan fang juan xia ling ping zhen feng li na qin yun hong e jing ting xue lian`)
	romMaleZh   = setOf(`guo qiang gang wei ming jian jun tao bin hui long hu lei peng fei yu hao bo dong sheng cai gui shan sen lin`)
)

// romanisedGender guesses the gender of a romanised name from the last
// syllable of its given name, or genderUnknown.
func romanisedGender(name string, style nameStyle) gender {
	f := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == ' ' || r == '-' })
	if len(f) < 2 || scriptOf([]rune(f[0])[0]) != scriptLatin {
		return genderUnknown
	}
	last := f[len(f)-1]
	if romSurnames[last] && len(f) == 2 && !romSurnames[f[0]] {
		// Young-hee Kim: the given name comes first.
		last = f[0]
	}
	fem, male := romFemaleKo, romMaleKo
	if style == styleChinese {
		fem, male = romFemaleZh, romMaleZh
		// Pinyin given names are written as one word: Jianguo.
		for sfx := range male {
			if strings.HasSuffix(last, sfx) && len(last) > len(sfx) && romanisedGiven(last[:len(last)-len(sfx)]) {
				return genderMale
			}
		}
		for sfx := range fem {
			if strings.HasSuffix(last, sfx) && len(last) > len(sfx) && romanisedGiven(last[:len(last)-len(sfx)]) {
				return genderFemale
			}
		}
	}
	switch {
	case fem[last]:
		return genderFemale
	case male[last]:
		return genderMale
	}
	return genderUnknown
}

// pronounAfter returns the gender of the first personal pronoun in the
// sentence or two after byte i of text: she/her, he/him/his, 그녀, 她,
// 他; genderUnknown if none comes first. Korean 그 is left out: it is
// also "that".
func pronounAfter(text string, i int) gender {
	if i > len(text) {
		return genderUnknown
	}
	win := text[i:runeEnd(text, i, 60)]
	best, g := len(win)+1, genderUnknown
	for _, p := range []struct {
		w string
		g gender
	}{{"she", genderFemale}, {"her", genderFemale}, {"he", genderMale}, {"him", genderMale}, {"his", genderMale}, {"그녀", genderFemale}, {"她", genderFemale}, {"他", genderMale}} {
		lw := strings.ToLower(win)
		for off := 0; ; {
			k := strings.Index(lw[off:], p.w)
			if k < 0 {
				break
			}
			k += off
			off = k + len(p.w)
			if isASCIIWord(p.w) && (k > 0 && isASCIIAlnum(lw[k-1]) || off < len(lw) && isASCIIAlnum(lw[off])) || strings.HasPrefix(lw[off:], "们") {
				// Not inside a word; not 他们 "they".
				continue
			}
			if k < best {
				best, g = k, p.g
			}
			break
		}
	}
	return g
}
