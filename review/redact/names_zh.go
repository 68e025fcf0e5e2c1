package redact

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitZhName reads a Han name as surname + given name.
func splitZhName(name string) (surname, given string, ok bool) {
	rs := []rune(name)
	k := []rune(matchKey(name))
	switch {
	case len(rs) >= 3 && len(rs) <= 4 && len(k) == len(rs) && zhCompound[string(k[:2])]:
		return string(rs[:2]), string(rs[2:]), true
	case len(rs) >= 2 && len(rs) <= 3 && len(k) == len(rs) && zhSurnames[k[0]]:
		return string(rs[0]), string(rs[1:]), true
	}
	return "", "", false
}

// zhAfterName are characters that often follow a name: a verb or a
// particle, so the name ends before them.
var zhAfterName = runeSet(`说对把给让带打骂是就又也和跟的在家被要来去到叫问告找还都已不没很这那一每会也便才却从向用将曾讲看拿买卖骗逼
	后正刚总再竟并只收借帮介带知认答同偷抢逃跑死病住回走出进过喝吃等`)

// zhNames finds names in Han runs.
func (s *scan) zhNames() {
	n := s.t.Norm
	for _, tk := range s.tokens() {
		if tk.script != scriptHan {
			continue
		}
		r := newZhRun(tk, n)
		s.zhGivenAfterRole(tk, r.run, r.rs, r.offs)
		s.zhGivenAlone(tk, r.run, r.rs, r.offs)
		for i := 0; i < len(r.rs); i++ {
			i += s.zhNameAt(r, i)
		}
	}
}

// zhRun is one run of Han characters: rs holds the match key of each
// character (so 劉 is read as 刘), which starts at byte offs[i] of run;
// offs has one more entry, len(run).
type zhRun struct {
	tk   token
	run  string
	rs   []rune
	offs []int
}

func newZhRun(tk token, n string) *zhRun {
	r := &zhRun{tk: tk, run: tk.text(n)}
	for i, c := range r.run {
		r.offs = append(r.offs, i)
		r.rs = append(r.rs, keyRune(c))
	}
	r.offs = append(r.offs, len(r.run))
	return r
}

// cand is a name candidate over characters [i, j) of the run.
func (r *zhRun) cand(i, j int) cand {
	return cand{Candidate: Candidate{Type: TypeName, Start: r.tk.s + r.offs[i], End: r.tk.s + r.offs[j]}}
}

// text is the original text of characters [i, j).
func (r *zhRun) text(i, j int) string { return r.run[r.offs[i]:r.offs[j]] }

// surnameAt is the length in characters of the surname starting at
// character i: 2 for a compound surname, 1, or 0 for none.
func (r *zhRun) surnameAt(i int) int {
	switch {
	case i+1 < len(r.rs) && zhCompound[string(r.rs[i:i+2])]:
		return 2
	case zhSurnames[r.rs[i]]:
		return 1
	}
	return 0
}

// title is the title starting at character at (王老板's 老板), or "".
func (r *zhRun) title(at int) string {
	if at >= len(r.rs) {
		return ""
	}
	// Titles are at most three characters long.
	ahead := string(r.rs[at:min(at+3, len(r.rs))])
	for _, t := range zhTitles {
		if strings.HasPrefix(ahead, t) {
			return t
		}
	}
	return ""
}

// boundary reports whether a name can end before character at: the run
// ends, or a verb, a particle or a title follows.
func (r *zhRun) boundary(at int) bool {
	return at == len(r.rs) || zhAfterName[r.rs[at]] || r.title(at) != ""
}

// roleBefore is the role or kinship word just before character i (老公,
// 名字叫), also across a copula or a colon, or "".
func (s *scan) zhRoleBefore(r *zhRun, i int) string {
	before := string(r.rs[max(0, i-5):i])
	role := ""
	for _, w := range zhRoles {
		if strings.HasSuffix(before, w) {
			role = w
			break
		}
	}
	// "老公是王建国", "名字叫：金英姬": the role word may stand
	// before a copula.
	for _, cop := range []string{"是", "叫", "，", "："} {
		if b, ok := strings.CutSuffix(before, cop); ok && b != "" && role == "" {
			for _, w := range zhRoles {
				if strings.HasSuffix(b, w) {
					role = w
					break
				}
			}
		}
	}
	if role == "" && i == 0 {
		// A role word before punctuation: 名叫：金英姬.
		if w := findWord(s.t.before(r.tk.s, 5), zhRoles); w != "" {
			role = w
		}
	}
	return role
}

// zhNameAt reads a name whose surname, sn characters long, starts at
// character i, and returns how many characters after i it took.
func (s *scan) zhNameAt(r *zhRun, i int) (skip int) {
	rs := r.rs
	sn := r.surnameAt(i)
	if sn == 0 {
		return 0
	}
	role := s.zhRoleBefore(r, i)
	if strings.HasSuffix(string(rs[max(0, i-5):i]), "姓") && sn == 1 && (i+1 == len(rs) || !zhGiven[rs[i+1]] || zhAfterName[rs[i+1]] || rs[i+1] == '的') {
		// 一个姓刘的男人, 婆婆姓黄: the surname alone, named.
		c := r.cand(i, i+1)
		c.Score, c.Part, c.Context = zhScoreSurnameXing, Surname, "姓"
		c.Explanation = "a surname after 姓 \"surnamed\""
		c.surname = r.text(i, i+1)
		s.add(c)
		return 0
	}
	g, both := r.givenLength(i, sn, role)
	strongAfter := ""
	if g > 0 {
		strongAfter = r.title(i + sn + g)
	}
	// A surname with a title and no given name: 王老板, 李大哥.
	if t := r.title(i + sn); t != "" && g == 0 || t != "" && !both {
		c := r.cand(i, i+sn)
		c.Score, c.Part, c.Context = zhScoreSurnameTitle, Surname, t
		c.Explanation = "a Chinese surname with a title after it" + withContext(t)
		c.surname = r.text(i, i+sn)
		s.add(c)
		return sn - 1
	}
	// 金老三, 王老二: a surname and the rank among brothers, the
	// way a man is called.
	if sn == 1 && i+3 <= len(rs) && rs[i+1] == '老' && strings.ContainsRune("大二三四五六七八九", rs[i+2]) {
		c := r.cand(i, i+3)
		c.Score = zhScoreBrotherRank
		c.Explanation = "a surname and 老 with a rank among brothers, a way a man is called"
		c.surname, c.given = r.text(i, i+1), r.text(i+1, i+3)
		s.add(c)
		return 2
	}
	if i > 0 && strings.ContainsRune("一二三四五六七八九十两几这那每某", rs[i-1]) && strings.ContainsRune("张条本间座位部封双支把口头家根块包", rs[i]) {
		// 一张地图: a measure word, not the surname 张.
		return 0
	}
	amb := sn == 1 && zhAmbiguous[rs[i]]
	// 老王, 小李: a surname after 老 or 小; a surname that is
	// also a word only before a verb (老高说, not 老高兴), and
	// one that is also a word not at the end (一条小河).
	if g == 0 && i > 0 && (rs[i-1] == '老' || rs[i-1] == '小') && (r.boundary(i+sn) && !(amb && i+sn == len(rs)) || !amb && (i+sn == len(rs) || !zhGiven[rs[i+sn]])) {
		c := r.cand(i, i+sn)
		c.Score, c.Part, c.Context = zhScoreLaoXiao, Surname, string(rs[i-1])
		c.Explanation = "a surname after 老 or 小, the way people are called by surname"
		c.surname = r.text(i, i+sn)
		s.add(c)
		return sn - 1
	}
	if g == 0 || r.wordNotName(i, sn, g, role, strongAfter) {
		return 0
	}
	ctx := firstNonEmpty(strongAfter, role)
	c := r.cand(i, i+sn+g)
	c.Context = ctx
	c.surname, c.given = r.text(i, i+sn), r.text(i+sn, i+sn+g)
	c.Score = r.fullNameScore(i, sn, g, amb, ctx)
	c.Explanation = fmt.Sprintf("Chinese-script name shape: surname and a %d-character given name", g) + withContext(ctx)
	s.add(c)
	return sn + g - 1
}

// givenLength is the length of the given name after a surname of sn
// characters at i (0 if none), and whether the next two characters are
// both name characters.
func (r *zhRun) givenLength(i, sn int, role string) (g int, both bool) {
	rs := r.rs
	both = i+sn+2 <= len(rs) && zhGiven[rs[i+sn]] && zhGiven[rs[i+sn+1]]
	one := i+sn+1 <= len(rs) && zhGiven[rs[i+sn]]
	switch {
	case both && (r.boundary(i+sn+2) || role != ""):
		g = 2
	case one && r.boundary(i+sn+1) && !(i+sn+2 < len(rs) && zhAfterName[rs[i+sn+1]] && r.boundary(i+sn+2) && !zhStop[rs[i+sn+1]]):
		// 王伟说: one character. But 彭福来又来了: the verb-like
		// 来 is followed by another verb, so it is the name's.
		g = 1
	case one && r.boundary(i+sn+2) && i+sn+2 < len(rs) && !zhStop[rs[i+sn+1]]:
		g = 2
	case role != "" && i+sn+2 <= len(rs) && !zhStop[rs[i+sn]] && !zhStop[rs[i+sn+1]] && (!zhAfterName[rs[i+sn+1]] || r.boundary(i+sn+2)):
		// After a role word, two characters; the second may be
		// a verb too (福来) when a verb follows it.
		g = 2
	case role != "" && i+sn+1 <= len(rs) && !zhStop[rs[i+sn]]:
		g = 1
	case sn == 2 || zhSurnameOnly[rs[i]]:
		// A surname that is hardly ever anything else: two
		// characters before a verb or particle, or one.
		switch {
		case i+sn+2 <= len(rs) && !zhStop[rs[i+sn]] && !zhStop[rs[i+sn+1]] && !zhAfterName[rs[i+sn]] && r.boundary(i+sn+2):
			g = 2
		case i+sn+1 <= len(rs) && !zhStop[rs[i+sn]] && !zhAfterName[rs[i+sn]] && r.boundary(i+sn+1):
			g = 1
		}
	}
	return g, both
}

// wordNotName reports whether the surname and given name at i read as a
// word or a place instead: 吉林, 白金村, 不吉利.
func (r *zhRun) wordNotName(i, sn, g int, role, strongAfter string) bool {
	rs := r.rs
	whole := string(rs[i : i+sn+g])
	if zhCommon[whole] || zhCommon[string(rs[i:min(i+2, len(rs))])] || role == "" && strongAfter == "" && theGazetteer().byKey[whole] != nil {
		// 吉林 is a province before it is 吉 + 林.
		return true
	}
	if end := i + sn + g; end < len(rs) && strings.ContainsRune("村镇乡县市屯区庄", rs[end]) && strongAfter == "" {
		// 白金村: a place named like a person is a place.
		return true
	}
	if i > 0 && strings.ContainsRune("不很太没真最更挺好", rs[i-1]) && role == "" {
		// 不吉利, 很高明: an adverb before it, so a word.
		return true
	}
	return false
}

// fullNameScore scores a surname and a given name of g characters, with
// the context word ctx ("" if none).
func (r *zhRun) fullNameScore(i, sn, g int, amb bool, ctx string) float64 {
	rs := r.rs
	switch {
	case ctx != "":
		return zhScoreContext
	case g == 2 && !amb:
		return zhScoreTwoGiven
	case g == 1 && !amb && (zhGiven[rs[i+sn]] || zhSurnameOnly[rs[i]]):
		return zhScoreOneGiven
	case g == 2 && zhGiven[rs[i+sn]] && zhGiven[rs[i+sn+1]]:
		// Two name characters in a row after a surname and
		// before a verb: a name, even after 高 or 林.
		return zhScoreNameChars
	case g == 2:
		return zhScoreAmbiguous
	}
	return zhScoreShape
}

// zhGivenAfterRole finds a given name alone right after a kinship or
// role word: 女儿小燕, 老公建国说, 朋友阿兰. Two characters, both name
// characters or a nickname with 小 or 阿, and then a verb, a particle, a
// title or the end of the run. A surname after the role word is left to
// the full-name rules.
func (s *scan) zhGivenAfterRole(tk token, run string, rs []rune, offs []int) {
	for i := 1; i+2 <= len(rs); i++ {
		if !zhRoleEnds[rs[i-1]] {
			continue
		}
		role := ""
		before := string(rs[max(0, i-5):i])
		for _, r := range zhRoles {
			if strings.HasSuffix(before, r) {
				role = r
				break
			}
		}
		if role == "" || zhSurnames[rs[i]] && i+2 < len(rs) && zhGiven[rs[i+1]] {
			continue
		}
		a, b := rs[i], rs[i+1]
		// 小燕, 阿兰, 丫丫: a nickname, or a doubled character.
		nick := a == '小' || a == '阿' || a == '大' && zhGiven[b] || a == b && !zhStop[a] && !zhAfterName[a] && unicode.Is(unicode.Han, a)
		if zhStop[b] || !nick && (zhStop[a] || zhAfterName[a] || !zhGiven[a] || !zhGiven[b]) {
			continue
		}
		if end := i + 2; end < len(rs) && !zhAfterName[rs[end]] && !zhStop[rs[end]] && !strings.ContainsRune("今一两三四五六七八九十岁，", rs[end]) {
			// Not a clear end of the name: 女儿小学毕业.
			ok := false
			for _, t := range zhTitles {
				if strings.HasPrefix(string(rs[end:]), t) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		w := string(rs[i : i+2])
		if zhCommon[w] || zhPlaceWords[w] || theGazetteer().byKey[w] != nil || zhNotGiven[w] {
			continue
		}
		c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+2], Score: zhScoreGivenAfterRole, Part: Given, Context: role,
			Explanation: "a Chinese given name right after a word for a person" + withContext(role)}}
		c.given = run[offs[i]:offs[i+2]]
		s.add(c)
		i++
	}
}

// zhGivenAlone finds a Chinese given name used alone with no word around
// it that names people: 英姬说, 秀英、春花和我, 建国是我在工厂认识的. Two
// characters at the start of a clause or after a verb of meeting, then a
// verb, a particle or a list mark; taken only for a pair that is a common
// given name, or that holds a character hardly found outside names (姬,
// 淑, 娟).
func (s *scan) zhGivenAlone(tk token, run string, rs []rune, offs []int) {
	for i := 0; i+2 <= len(rs); i++ {
		w := string(rs[i : i+2])
		if !zhGivenNames[w] && !(zhGiven[rs[i]] && zhGiven[rs[i+1]] && (zhNameOnly[rs[i]] || zhNameOnly[rs[i+1]])) {
			continue
		}
		if zhCommon[w] || zhNotGiven[w] || zhPlaceWords[w] || theGazetteer().byKey[w] != nil {
			continue
		}
		startOK := i == 0 && (tk.s == 0 || !isHan(lastRuneBefore(s.t.Norm, tk.s))) || i > 0 && (strings.ContainsRune("和跟与、见到给把被让对找叫", rs[i-1]))
		if i >= 2 && strings.HasSuffix(string(rs[:i]), "见到") {
			startOK = true
		}
		endOK := i+2 == len(rs) || zhAfterName[rs[i+2]] || strings.ContainsRune("、也都", rs[i+2])
		if !startOK || !endOK {
			continue
		}
		c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+2], Score: zhScoreGivenAlone, Part: Given,
			Explanation: "a Chinese given name used alone, before a verb or a particle"}}
		c.given = run[offs[i]:offs[i+2]]
		s.add(c)
		i++
	}
}

func lastRuneBefore(s string, i int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// zhNameOnly are characters hardly ever found outside given names.
var zhNameOnly = runeSet(`姬淑娟婷玲萍艳娜倩蓉斌杰涛磊鹏浩峰琳颖慧秀珍莲霞凤燕梅兰芳丽`)

// zhGivenNames are the commonest Chinese and Korean-Chinese given names,
// whose characters are also ordinary words (建国 "found the state", 春花
// "spring flowers").
var zhGivenNames = setOf(`建国 建军 建华 建平 建新 国强 国庆 国华 国栋 志强 志明 志刚 志华 春花 春梅 春兰 春燕 春生 秀英 秀兰 秀珍 秀梅 桂兰 桂英 桂芝
	玉兰 玉梅 玉英 玉珍 淑珍 淑英 凤英 凤兰 英姬 美玉 明哲 海燕 丽娟 丽华 红梅 红霞 金花 顺姬 顺子 英子 英爱 美花 永哲 光哲 成哲 哲洙 东哲 明玉
	德明 德华 文斌 永胜 振华 学文 福贵 金山 金龙 长青 宝山 海涛 小红 小兰 小梅 小燕 小花 小华 小明 小龙 丽丽 明明 冬梅 雪梅 秋菊 月英 翠花 美兰 淑子 贞淑 贞姬 惠英 惠淑`)

// zhRoleEnds are the last characters of the role words, to try them only
// where one can end.
var zhRoleEnds = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range zhRoles {
		last, _ := utf8.DecodeLastRuneInString(r)
		m[last] = true
	}
	return m
}()

// zhNotGiven are two-character words that follow a kinship word and are
// made of name characters, but are no name: 女儿小学, 老公明天.
var zhNotGiven = setOf(`大家 大概 大约 大人 大哥 大姐 大爷 大妈 大婶 大叔 大伯 大学 大夫 大门 大山 大海 大河 大雨 大火 大事 大半 大多 大量 小学 小时 小心 小孩 小姐 小的 小伙 阿姨 明天 今天 春天 秋天 冬天 平时 永远 东西 光明 文化 新年 和平 安全 家里 家人 生日 生病`)
