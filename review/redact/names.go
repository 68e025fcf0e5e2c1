package redact

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"testimony/internal/fold"
)

// Names cannot be caught by a pattern: statistical NER finds about two
// thirds of Korean and Chinese names. The detector here combines surname
// lists, given-name shapes and context words (씨, 언니, 남편, 老公, 大哥,
// Mr), and then [scan.propagate] finds every other mention of each name
// it found, in any spelling, and the given name alone. Entity-level recall
// depends on that second step: one mention with context is enough.

// splitKoName reads a Hangul stem as surname + given name.
func splitKoName(stem string) (surname, given string, ok bool) {
	rs := []rune(stem)
	switch {
	case len(rs) >= 3 && len(rs) <= 4 && koCompound[string(rs[:2])]:
		return string(rs[:2]), string(rs[2:]), true
	case len(rs) >= 2 && len(rs) <= 3 && koSurnames[string(rs[0])]:
		return string(rs[0]), string(rs[1:]), true
	}
	return "", "", false
}

func allIn(s string, set map[rune]bool) bool {
	for _, r := range s {
		if !set[r] {
			return false
		}
	}
	return s != ""
}

// stripHonorific splits a trailing honorific off a Hangul stem.
func stripHonorific(stem string) (base, hon string) {
	for _, h := range koHonorific {
		if strings.HasSuffix(stem, h) && len(stem) > len(h) {
			return stem[:len(stem)-len(h)], h
		}
	}
	return stem, ""
}

// startsWithAny returns the first of words s starts with, such that what
// follows is a particle or nothing.
func startsWithAny(s string, words []string) string {
	for _, w := range words {
		if rest, ok := strings.CutPrefix(s, w); ok && (particleOrEmpty(rest) || strings.HasPrefix(rest, "님") && particleOrEmpty(rest[len("님"):])) {
			// 장 집사님이: the honorific 님 may follow the title.
			return w
		}
	}
	return ""
}

func (s *scan) names() {
	s.quotedNames()
	s.koNames()
	s.zhNames()
	s.enNames()
}

// koNames finds names in Hangul words.
func (s *scan) koNames() {
	n := s.t.Norm
	toks := s.tokens()
	for i, tk := range toks {
		if tk.script != scriptHangul {
			continue
		}
		word := tk.text(n)
		prev, next := "", ""
		if i > 0 && toks[i-1].script == scriptHangul && gapOnly(n, toks[i-1].e, tk.s, ",:") {
			prev = toks[i-1].text(n)
		}
		if i+1 < len(toks) && toks[i+1].script == scriptHangul && gapOnly(n, tk.e, toks[i+1].s, "") {
			next = toks[i+1].text(n)
		}
		role := ""
		// apposed: the role word stands bare before the name (딸 은별이,
		// 남편 철민이가), or as 인 or 의; with a subject or topic
		// particle (보위원은 매일) the next word is what it did.
		apposed := false
		for _, st := range stems(prev) {
			if isKoRole(st) {
				role = st
				apposed = st == prev || koApposed[prev[len(st):]]
				break
			}
		}
		if prev != "" && (role == "" || !apposed) && koRoles[prev] {
			role, apposed = prev, true
		}
		// Every way to split the word; a word that is a common word
		// with a particle is no name, otherwise the best reading wins.
		var best, namingBest cand
		common := false
		// A verb that takes a person, in the next two words.
		verb := ""
		for k := i + 1; k < len(toks) && k <= i+3 && verb == ""; k++ {
			if toks[k].script != scriptHangul {
				continue
			}
			w := toks[k].text(n)
			for _, v := range koPersonVerbs {
				if strings.HasPrefix(w, v) {
					verb = v
					break
				}
			}
		}
		// 은혜가 is 은혜 and 가 before it is a name 은 + 혜가: a word that
		// splits into an everyday word and a particle is read that way.
		splitsEveryday := false
		readings := stems(word)
		for _, st := range readings[1:] {
			if particleSet[word[len(st):]] && koEveryday(st) {
				splitsEveryday = true
				break
			}
		}
		for _, st := range readings {
			if koCommon[st] && !koPublic[st] {
				common = true
				break
			}
			rest := word[len(st):]
			if rest == "" && splitsEveryday && startsWithAny(next, koHonorific) == "" {
				continue
			}
			base, hon := stripHonorific(st)
			if hon != "" && base != st && koEveryday(st) {
				// 아저씨 is a word, not 아저 + 씨.
				base, hon = st, ""
			}
			if hon == "" && rest != "" && koSurnames[base[:0]+firstRunes(st, 1)] && !koAmbiguous[firstRunes(st, 1)] && st == firstRunes(st, 1)+"가" && koSurnameGaRest(rest) && !koWords()[st] {
				// 량가였습니다, 최가네: a man called by his surname and 가.
				sn := firstRunes(st, 1)
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s, End: tk.s + len(sn), Score: 0.7, Part: Surname, Context: "가",
					Explanation: "a Korean surname with 가, the way a man is called by his surname"}}
				c.surname = sn
				if c.Score > best.Score {
					best = c
				}
				continue
			}
			if hon == "" && rest == "" {
				// An honorific as the next word follows a bare name:
				// 김 언니, 영희 씨; never a name with a particle.
				hon = startsWithAny(next, koHonorific)
			}
			naming := ""
			for _, w := range koNaming {
				if strings.HasPrefix(rest, w) || strings.HasPrefix(next, w) {
					naming = w
				}
			}
			ctx := firstNonEmpty(hon, role, naming)
			if hon == "" && naming == "" && !apposed {
				// A role word as the subject before: 보위원은 매일
				// 때렸다. Context for a full name, not for a given
				// name alone.
				if _, _, ok := splitKoName(base); !ok {
					ctx = ""
				}
			}
			// The familiar -이 between a name ending in a consonant and
			// a particle (별이는, 보람이를, 은정이가): no noun takes it.
			lastB, _ := utf8.DecodeLastRuneInString(base)
			after, fam := strings.CutPrefix(rest, "이")
			// 봉선이 어머니: the familiar -이 and then her mother.
			familiar := fam && (after != "" && koFamiliarParticles[after] || after == "" && startsWithAny(next, koKin) != "") &&
				hasFinal(lastB) == 'y' && !koEveryday(base+"이") && !isKoRole(base)
			if hon == "님" && koEveryday(base) || isKoRole(base) || slices.Contains(koTitles, base) || koPlatform[base] {
				// 선교사님 is a title with 님, 사촌 a relation, 위챗 an
				// app: none is a name.
				continue
			}
			if strings.HasSuffix(base, "으") && strings.HasPrefix(rest, "로") {
				// 이름으로 is 이름 + 으로.
				continue
			}
			if hon != "" && rest == "" && koVerbForm(base) && !koSurnames[base] {
				// 도와준 선교사님: a verb before a title.
				continue
			}
			if hon == "" && (naming == "" || koVerb(base)) && (koEveryday(base) || koCommon[base]) && !familiar {
				// 소식은, 며느리, 남조선: an everyday word, with no word
				// after it that only follows names. But a word right
				// after a kinship word is her name unless it is what
				// one says of kin: 큰딸 나래는, not 어머니 소식은.
				bare := prev == role || prev == role+"인"
				if nr := utf8.RuneCountInString(base); !(bare && koKinRole(role) && !koAfterKin[base] && !koVerb(base) && !koVerbForm(base) && naming == "" && nr >= 2 && nr <= 3 && !koEnding[lastRunes(base, 1)]) {
					continue
				}
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s, End: tk.s + len(base), Score: 0.6, Part: Given, Context: role,
					Explanation: "a word right after a kinship word, as names are" + withContext(role)}}
				c.given = base
				if c.Score > best.Score {
					best = c
				}
				continue
			}
			if familiar {
				if fc, ok := s.koName(base, tk.s, ctx); ok && fc.Part == Full && fc.Score >= 0.5 {
					// 남궁솔이가: a full name with the familiar -이 is
					// the full name, one person with its other mentions.
					familiar = false
				}
			}
			if familiar && hon == "" && !koCommon[base] && !koSurnames[base] {
				if nr := utf8.RuneCountInString(base); nr <= 3 {
					c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s, End: tk.s + len(base), Score: 0.55, Part: Given, Context: ctx,
						Explanation: "a given name with the familiar -이 before a particle"}}
					if ctx != "" {
						c.Score = 0.8
						c.Explanation += withContext(ctx)
					} else if koEveryday(base) {
						c.Score = 0.45
					}
					c.given = base
					if c.Score > best.Score {
						best = c
					}
					continue
				}
			}
			if hon != "" && (koSurnames[base] || koCompound[base]) {
				// A surname with an honorific: 김씨, 박 언니.
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s, End: tk.s + len(base), Score: 0.8, Part: Surname, Context: hon,
					Explanation: "a Korean surname with a word that follows names" + withContext(hon)}}
				c.surname = base
				if c.Score > best.Score {
					best = c
				}
				continue
			}
			if hon == "" && !koCaseParticle[rest] && koEnding[lastRunes(base, 1)] {
				// 나중에, 마시면, 이름은: the last syllable is an
				// ending, and nothing was split off. A name only with
				// name syllables after a clear surname.
				if sn, given, ok := splitKoName(base); !ok || koAmbiguous[sn] || !allIn(given, koGiven) {
					continue
				}
			}
			c, ok := s.koName(base, tk.s, ctx)
			if ok && ctx == "" && verb != "" && c.Part == Full && c.Score < 0.5 {
				c.Score += 0.2
				c.Explanation += withContext(verb)
			} else if !ok && ctx == "" && verb != "" {
				c, ok = s.koName(base, tk.s, "")
			}
			if ok && c.Score > best.Score {
				best = c
			}
			if ok && c.Score >= 0.5 && c.Score > namingBest.Score && rest != "" && rest != "란" && rest != "이란" && slices.Contains(koNaming, rest) {
				namingBest = c
			}
		}
		if namingBest.Score > 0 {
			// 정미라는 아가씨: the reading before 라는 is the name, not
			// 정미라 + 는.
			best = namingBest
		}
		if !common && best.Score > 0 {
			s.add(best)
		}
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// koName scores a Hangul stem at byte at as a name, with the strong
// context word ctx ("" if none).
func (s *scan) koName(stem string, at int, ctx string) (cand, bool) {
	if koCommon[stem] && !koPublic[stem] {
		return cand{}, false
	}
	nr := utf8.RuneCountInString(stem)
	c := cand{Candidate: Candidate{Type: TypeName, Start: at, End: at + len(stem), Context: ctx}}
	if ctx == "" && theGazetteer().lookup(stem) != nil {
		// 김책 is a city before it is a man.
		return cand{}, false
	}
	if koPublic[stem] {
		c.Score, c.Explanation = 0.35, "the name of a public figure, kept by default"
		c.surname, c.given = splitOrWhole(stem)
		return c, true
	}
	if b, ok := strings.CutSuffix(stem, "이"); ok && (koEveryday(b) || koCommon[b]) {
		// 량심이 is 량심 (양심) and the subject particle.
		return cand{}, false
	}
	surname, given, ok := splitKoName(stem)
	if ok && ctx != "" && nr == 2 && !allIn(given, koGiven) && !koEveryday(stem) && !koCommon[stem] {
		// 딸 은비: a surname and a syllable no given name has is, after
		// a word for a person, a given name of two syllables.
		ok = false
	}
	if strings.ContainsRune(given, '씨') {
		// 김씨가 is 김 + 씨 + 가, never a given name 씨가.
		return cand{}, false
	}
	if ok && ctx == "" && (strings.HasSuffix(given, "이") || strings.HasSuffix(given, "가")) && allIn(firstRunes(stem, 2), koGiven) {
		// 국철이, 연화가: a given name and the subject particle, more
		// often than a surname and a given name ending in 이 or 가.
		return cand{}, false
	}
	switch {
	case ok:
		c.surname, c.given = surname, given
		gn := utf8.RuneCountInString(given)
		givenOK := allIn(given, koGiven)
		amb := koAmbiguous[surname]
		switch {
		case gn == 2 && givenOK && !amb:
			c.Score = 0.55
		case gn == 2 && (givenOK || !amb):
			// A surname that starts few ordinary words, or a name
			// syllable after one that does: most such words are
			// names.
			c.Score = 0.5
		case gn == 2:
			c.Score = 0.3
		case givenOK:
			c.Score = 0.15
		default:
			// A one-syllable given name that is not a name syllable:
			// 이웃, 정말. Not a name even with context.
			return cand{}, false
		}
		if ctx != "" {
			c.Score += 0.45
		}
		if c.Score < 0.3 {
			// Too weak to list: the editor would drown in them.
			return cand{}, false
		}
		c.Explanation = fmt.Sprintf("Korean name shape: surname and a %d-syllable given name", gn)
	case ctx != "" && nr == 2 && (allIn(stem, koGiven) || !koEveryday(stem) && !koCommon[stem] && koNameLike(stem)):
		// A given name alone with a strong context: 영희 언니.
		c.given, c.Part = stem, Given
		c.Score = 0.75
		c.Explanation = "a Korean given name with a word that follows names"
	default:
		return cand{}, false
	}
	c.Explanation += withContext(ctx)
	return c, c.Score >= minScore
}

// isKoRole reports whether w is a role word, in either spelling of its
// first sound (녀동생 is 여동생).
func isKoRole(w string) bool {
	if koRoles[w] {
		return true
	}
	r, k := utf8.DecodeRuneInString(w)
	if f := fold.Initial(r); f != r {
		return koRoles[string(f)+w[k:]]
	}
	return false
}

// koKinRole reports whether a role word is a kinship word, after which a
// bare word is most often a name.
func koKinRole(w string) bool {
	if w == "친구" || w == "동무" {
		return false
	}
	return slices.Contains(koKin, w) || strings.HasSuffix(w, "딸") || strings.HasSuffix(w, "아들") || strings.HasSuffix(w, "동생")
}

// koVerbForm reports whether a Hangul word is a verb's attributive form:
// the stem and ㄴ or ㄹ (도와준, 떠날), the stem in the word list.
func koVerbForm(w string) bool {
	last, k := utf8.DecodeLastRuneInString(w)
	if !isHangul(last) {
		return false
	}
	f := (last - 0xAC00) % 28
	if f != 4 && f != 8 {
		return false
	}
	return koVerb(w[:len(w)-k] + string(last-f))
}

// quotedNames finds a nickname or a false name in quotes, said to be what
// someone was called: '털보 아저씨'라고 부르라고, '화순'이라는 가짜 이름,
// 이름은 '봄'이라고. The word in quotes (without a title after it) is the
// name.
func (s *scan) quotedNames() {
	n := s.t.Norm
	if !strings.ContainsAny(n, "'‘\"“「") {
		return
	}
	for i := 0; i < len(n); {
		r, k := utf8.DecodeRuneInString(n[i:])
		i += k
		closeQ, ok := quotePairs[r]
		if !ok {
			continue
		}
		j := strings.IndexRune(n[i:], closeQ)
		if j <= 0 || j > 40 {
			continue
		}
		inner := strings.TrimSpace(n[i : i+j])
		after := n[i+j+utf8.RuneLen(closeQ):]
		words := strings.Fields(inner)
		if len(words) == 0 || len(words) > 2 {
			continue
		}
		nm := words[0]
		if len(words) == 2 {
			if startsWithAny(words[1], koHonorific) == "" {
				continue
			}
		}
		if nr := utf8.RuneCountInString(nm); nr < 1 || nr > 4 || !allHangul(nm) || koCommon[nm] || isKoRole(nm) || slices.Contains(koTitles, nm) {
			continue
		}
		naming := ""
		for _, w := range []string{"이라고", "라고", "이라는", "라는", "이라", "라"} {
			if strings.HasPrefix(after, w) {
				naming = w
				break
			}
		}
		if naming == "" {
			continue
		}
		// What follows says it is what she or he was called.
		tail := firstRunes(after[len(naming):], 14)
		if !strings.Contains(tail, "부르") && !strings.Contains(tail, "불러") && !strings.Contains(tail, "불렀") && !strings.Contains(tail, "이름") &&
			!strings.Contains(tail, "되어") && !strings.Contains(tail, "했") && !strings.Contains(tail, "하는") && !strings.Contains(tail, "썼") &&
			!strings.Contains(n[max(0, i-30):i], "이름") {
			continue
		}
		start := i + strings.Index(n[i:], nm)
		c := cand{Candidate: Candidate{Type: TypeName, Start: start, End: start + len(nm), Score: 0.7, Part: Given, Context: naming,
			Explanation: "a name in quotes, said to be what someone was called"}}
		c.given = nm
		s.add(c)
		i += j
	}
}

var quotePairs = map[rune]rune{'\'': '\'', '‘': '’', '"': '"', '“': '”', '「': '」'}

func allHangul(s string) bool {
	for _, r := range s {
		if !isHangul(r) {
			return false
		}
	}
	return s != ""
}

// koSurnameGaRest reports whether what follows surname + 가 makes it the
// way people call a man: a copula or a particle, not a longer word.
func koSurnameGaRest(rest string) bool {
	for _, p := range []string{"였", "이었", "이였", "라는", "라고", "네", "는", "를", "가", "한테", "에게", "의", "와", "도", "놈", "야", "이"} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}

// koNameLike reports whether a two-syllable word could be a given name
// by its sounds: no syllable that ends verbs and particles.
func koNameLike(stem string) bool {
	last, _ := utf8.DecodeLastRuneInString(stem)
	return !koEnding[string(last)] || koGiven[last]
}

// splitOrWhole splits a Korean or Chinese name, or returns it whole as the
// given name.
func splitOrWhole(name string) (surname, given string) {
	if sn, g, ok := splitKoName(name); ok {
		return sn, g
	}
	if sn, g, ok := splitZhName(name); ok {
		return sn, g
	}
	return "", name
}

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
		run := tk.text(n)
		var offs []int
		var rs []rune
		for i, r := range run {
			offs = append(offs, i)
			rs = append(rs, keyRune(r))
		}
		offs = append(offs, len(run))
		s.zhGivenAfterRole(tk, run, rs, offs)
		s.zhGivenAlone(tk, run, rs, offs)
		for i := 0; i < len(rs); i++ {
			sn := 0
			switch {
			case i+1 < len(rs) && zhCompound[string(rs[i:i+2])]:
				sn = 2
			case zhSurnames[rs[i]]:
				sn = 1
			}
			if sn == 0 {
				continue
			}
			before := string(rs[max(0, i-5):i])
			role := ""
			for _, r := range zhRoles {
				if strings.HasSuffix(before, r) {
					role = r
					break
				}
			}
			// "老公是王建国", "名字叫：金英姬": the role word may stand
			// before a copula.
			for _, cop := range []string{"是", "叫", "，", "："} {
				if b, ok := strings.CutSuffix(before, cop); ok && b != "" && role == "" {
					for _, r := range zhRoles {
						if strings.HasSuffix(b, r) {
							role = r
							break
						}
					}
				}
			}
			if role == "" && i == 0 {
				// A role word before punctuation: 名叫：金英姬.
				if w := findWord(s.t.before(tk.s, 5), zhRoles); w != "" {
					role = w
				}
			}
			if strings.HasSuffix(before, "姓") && sn == 1 && (i+1 == len(rs) || !zhGiven[rs[i+1]] || zhAfterName[rs[i+1]] || rs[i+1] == '的') {
				// 一个姓刘的男人, 婆婆姓黄: the surname alone, named.
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+1], Score: 0.8, Part: Surname, Context: "姓",
					Explanation: "a surname after 姓 \"surnamed\""}}
				c.surname = run[offs[i]:offs[i+1]]
				s.add(c)
				continue
			}
			title := func(at int) string {
				if at >= len(rs) {
					return ""
				}
				// Titles are at most three characters long.
				ahead := string(rs[at:min(at+3, len(rs))])
				for _, t := range zhTitles {
					if strings.HasPrefix(ahead, t) {
						return t
					}
				}
				return ""
			}
			boundary := func(at int) bool {
				return at == len(rs) || zhAfterName[rs[at]] || title(at) != ""
			}
			g := 0
			amb := sn == 1 && zhAmbiguous[rs[i]]
			both := i+sn+2 <= len(rs) && zhGiven[rs[i+sn]] && zhGiven[rs[i+sn+1]]
			one := i+sn+1 <= len(rs) && zhGiven[rs[i+sn]]
			strongAfter := ""
			switch {
			case both && (boundary(i+sn+2) || role != ""):
				g = 2
			case one && boundary(i+sn+1) && !(i+sn+2 < len(rs) && zhAfterName[rs[i+sn+1]] && boundary(i+sn+2) && !zhStop[rs[i+sn+1]]):
				// 王伟说: one character. But 彭福来又来了: the verb-like
				// 来 is followed by another verb, so it is the name's.
				g = 1
			case one && boundary(i+sn+2) && i+sn+2 < len(rs) && !zhStop[rs[i+sn+1]]:
				g = 2
			case role != "" && i+sn+2 <= len(rs) && !zhStop[rs[i+sn]] && !zhStop[rs[i+sn+1]] && (!zhAfterName[rs[i+sn+1]] || boundary(i+sn+2)):
				// After a role word, two characters; the second may be
				// a verb too (福来) when a verb follows it.
				g = 2
			case role != "" && i+sn+1 <= len(rs) && !zhStop[rs[i+sn]]:
				g = 1
			case sn == 2 || zhSurnameOnly[rs[i]]:
				// A surname that is hardly ever anything else: two
				// characters before a verb or particle, or one.
				switch {
				case i+sn+2 <= len(rs) && !zhStop[rs[i+sn]] && !zhStop[rs[i+sn+1]] && !zhAfterName[rs[i+sn]] && boundary(i+sn+2):
					g = 2
				case i+sn+1 <= len(rs) && !zhStop[rs[i+sn]] && !zhAfterName[rs[i+sn]] && boundary(i+sn+1):
					g = 1
				}
			}
			if g > 0 {
				strongAfter = title(i + sn + g)
			}
			// A surname with a title and no given name: 王老板, 李大哥.
			if t := title(i + sn); t != "" && g == 0 || t != "" && !both {
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+sn], Score: 0.7, Part: Surname, Context: t,
					Explanation: "a Chinese surname with a title after it" + withContext(t)}}
				c.surname = run[offs[i]:offs[i+sn]]
				s.add(c)
				i += sn - 1
				continue
			}
			// 金老三, 王老二: a surname and the rank among brothers, the
			// way a man is called.
			if sn == 1 && i+3 <= len(rs) && rs[i+1] == '老' && strings.ContainsRune("大二三四五六七八九", rs[i+2]) {
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+3], Score: 0.8,
					Explanation: "a surname and 老 with a rank among brothers, a way a man is called"}}
				c.surname, c.given = run[offs[i]:offs[i+1]], run[offs[i+1]:offs[i+3]]
				s.add(c)
				i += 2
				continue
			}
			if i > 0 && strings.ContainsRune("一二三四五六七八九十两几这那每某", rs[i-1]) && strings.ContainsRune("张条本间座位部封双支把口头家根块包", rs[i]) {
				// 一张地图: a measure word, not the surname 张.
				continue
			}
			// 老王, 小李: a surname after 老 or 小; a surname that is
			// also a word only before a verb (老高说, not 老高兴), and
			// one that is also a word not at the end (一条小河).
			if g == 0 && i > 0 && (rs[i-1] == '老' || rs[i-1] == '小') && (boundary(i+sn) && !(amb && i+sn == len(rs)) || !amb && (i+sn == len(rs) || !zhGiven[rs[i+sn]])) {
				c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+sn], Score: 0.6, Part: Surname, Context: string(rs[i-1]),
					Explanation: "a surname after 老 or 小, the way people are called by surname"}}
				c.surname = run[offs[i]:offs[i+sn]]
				s.add(c)
				i += sn - 1
				continue
			}
			if g == 0 {
				continue
			}
			whole := string(rs[i : i+sn+g])
			if zhCommon[whole] || zhCommon[string(rs[i:min(i+2, len(rs))])] || role == "" && strongAfter == "" && theGazetteer().byKey[whole] != nil {
				// 吉林 is a province before it is 吉 + 林.
				continue
			}
			if end := i + sn + g; end < len(rs) && strings.ContainsRune("村镇乡县市屯区庄", rs[end]) && strongAfter == "" {
				// 白金村: a place named like a person is a place.
				continue
			}
			if i > 0 && strings.ContainsRune("不很太没真最更挺好", rs[i-1]) && role == "" {
				// 不吉利, 很高明: an adverb before it, so a word.
				continue
			}
			ctx := firstNonEmpty(strongAfter, role)
			c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+sn+g], Context: ctx}}
			c.surname, c.given = run[offs[i]:offs[i+sn]], run[offs[i+sn]:offs[i+sn+g]]
			switch {
			case ctx != "":
				c.Score = 0.9
			case g == 2 && !amb:
				c.Score = 0.55
			case g == 1 && !amb && (zhGiven[rs[i+sn]] || zhSurnameOnly[rs[i]]):
				c.Score = 0.5
			case g == 2 && zhGiven[rs[i+sn]] && zhGiven[rs[i+sn+1]]:
				// Two name characters in a row after a surname and
				// before a verb: a name, even after 高 or 林.
				c.Score = 0.5
			case g == 2:
				c.Score = 0.45
			default:
				c.Score = 0.3
			}
			c.Explanation = fmt.Sprintf("Chinese-script name shape: surname and a %d-character given name", g) + withContext(ctx)
			s.add(c)
			i += sn + g - 1
		}
	}
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
		c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+2], Score: 0.75, Part: Given, Context: role,
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
		c := cand{Candidate: Candidate{Type: TypeName, Start: tk.s + offs[i], End: tk.s + offs[i+2], Score: 0.55, Part: Given,
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

// enNames finds romanised Korean and Chinese names in Latin text.
func (s *scan) enNames() {
	n := s.t.Norm
	toks := s.tokens()
	word := func(k int) string { return toks[k].text(n) }
	cap := func(k int) bool {
		return k < len(toks) && toks[k].script == scriptLatin && isUpper(n[toks[k].s])
	}
	// adjacent reports whether token k+1 follows token k after spaces
	// (and, for titles, a dot).
	adjacent := func(k int, punct string) bool {
		return k+1 < len(toks) && gapOnly(n, toks[k].e, toks[k+1].s, punct) && toks[k+1].s-toks[k].e <= 3
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].script != scriptLatin {
			continue
		}
		lw := strings.ToLower(word(i))
		// Context before: a title or a role word.
		// Context before: a title ("Mr Kim", "Mr. Kim") or a role word
		// in the same sentence ("my husband, Wang").
		ctx := ""
		if i > 0 && toks[i-1].script == scriptLatin {
			pw := strings.ToLower(word(i - 1))
			switch {
			case (enTitles[pw] || enTitles[pw+"."]) && adjacent(i-1, "."):
				ctx = pw
			case enRoles[pw] && adjacent(i-1, ",:"):
				ctx = pw
			case (pw == "was" || pw == "is") && i > 1 && toks[i-2].script == scriptLatin && strings.ToLower(word(i-2)) == "name" && adjacent(i-1, ""):
				// "My husband's name was Sun Dali."
				ctx = "name"
			}
		}
		if !cap(i) {
			continue
		}
		// Surname first: Kim Young-hee, Ri Sun Hui, Wang Jianguo.
		if romSurnames[lw] {
			j := i
			// A syllable that is also a surname (Kum, Yong) is a given
			// name too when another syllable follows: Ri Kum Sun, Kim
			// Myong Hui.
			threePart := func(j int) bool {
				return j == i && j+2 < len(toks) && adjacent(j+1, "") && cap(j+2) && romanisedGiven(word(j+2)) && len(word(j+1)) <= 5 && len(word(j+2)) <= 5 &&
					!enStop[strings.ToLower(word(j+2))] && !strings.ContainsAny(word(j+1), "-'’")
			}
			for j+1 < len(toks) && j-i < 2 && adjacent(j, "") && cap(j+1) && romanisedGiven(word(j+1)) && !enStop[strings.ToLower(word(j+1))] && (!romSurnames[strings.ToLower(word(j+1))] || threePart(j) || j == i+1 && len(word(j+1)) <= 4) {
				j++
				if strings.ContainsAny(word(j), "-'’") || len(word(j)) > 5 {
					break
				}
			}
			// A given name that is also a surname (Wang Dong, Kim Un):
			// taken when nothing capitalised follows, or after a title
			// or role word.
			if j == i && adjacent(i, "") && cap(i+1) && romanisedGiven(word(i+1)) && !enStop[strings.ToLower(word(i+1))] && romSurnames[strings.ToLower(word(i+1))] &&
				(ctx != "" || !(adjacent(i+1, "") && cap(i+2))) {
				j = i + 1
			}
			if j > i {
				c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[j].e, Context: ctx}}
				c.surname, c.given = word(i), n[toks[i+1].s:toks[j].e]
				switch {
				case ctx != "":
					c.Score = 0.9
				case romAmbiguous[lw] && j == i+1 && !strings.ContainsAny(word(j), "-'’") && len(word(j)) <= 4:
					// He Said, Song Dong: a short word after an
					// English word that is also a surname.
					c.Score = 0.45
				default:
					c.Score = 0.6
				}
				c.Explanation = "romanised name: a surname and a given name" + withContext(ctx)
				s.add(c)
				i = j
				continue
			}
			if ctx != "" && (enTitles[ctx] || enTitles[ctx+"."]) {
				c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: 0.8, Part: Surname, Context: ctx,
					Explanation: "a surname after a title" + withContext(ctx)}}
				c.surname = word(i)
				s.add(c)
				continue
			}
		}
		// Given name first: Young-hee Kim.
		if romanisedGiven(word(i)) && !enStop[lw] && adjacent(i, "") && cap(i+1) && romSurnames[strings.ToLower(word(i+1))] &&
			!(i+2 < len(toks) && adjacent(i+1, "") && cap(i+2) && romanisedGiven(word(i+2))) {
			c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i+1].e, Context: ctx}}
			c.surname, c.given = word(i+1), word(i)
			c.Score = 0.5
			if strings.ContainsAny(word(i), "-'’") {
				c.Score = 0.6
			}
			if ctx != "" {
				c.Score = 0.9
			}
			c.Explanation = "romanised name: a given name and a surname" + withContext(ctx)
			s.add(c)
			i++
			continue
		}
		// A given name alone after a title or role: Auntie Young-hee;
		// after a kinship word any name: my daughter Joy.
		if ctx != "" && !enStop[lw] && (romanisedGiven(word(i)) || enKin[ctx] && !enPlaceWords[lw] && monthOf(lw) == 0 && theGazetteer().lookup(word(i)) == nil) {
			c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: 0.75, Part: Given, Context: ctx,
				Explanation: "a romanised given name after a title or role word" + withContext(ctx)}}
			c.given = word(i)
			s.add(c)
			continue
		}
		// A hyphenated romanised given name alone: Chun-hwa, Chol-ho.
		if k := strings.IndexByte(word(i), '-'); k > 0 && romanisedGiven(word(i)) && !enStop[lw] && !slices.Contains(romPlaceSuffixes, lw[k+1:]) &&
			romSyllables[lw[:k]] && romSyllables[strings.ToLower(word(i)[k+1:])] && theGazetteer().lookup(word(i)) == nil {
			c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: 0.55, Part: Given,
				Explanation: "a romanised given name of two syllables joined by a hyphen"}}
			c.given = word(i)
			s.add(c)
		}
	}
}

// enKin are the English kinship and role words after which any
// capitalised word is a name: my daughter Joy.
var enKin = setOf(`daughter son husband wife sister brother mother father friend named called cousin aunt uncle niece nephew boyfriend girlfriend`)

// romanisedSurnames adds to romSurnames the Revised Romanisation and a
// McCune–Reischauer-like spelling of every Korean surname, so that Seol,
// Pyeon and Gwak are known as well as Kim and Pak.
func init() {
	initials := []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	mrInitials := []string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "jj", "ch", "k", "t", "p", "h"}
	medials := []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	finals := []string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "t", "t", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	add := func(sn string) {
		var rr, mr, mixA, mixB string
		for _, r := range sn {
			n := int(r - 0xAC00)
			m, f := medials[n/28%21], finals[n%28]
			mv := strings.NewReplacer("eo", "o", "eu", "u").Replace(m)
			rr += initials[n/(21*28)] + m + f
			mr += mrInitials[n/(21*28)] + mv + f
			mixA += initials[n/(21*28)] + mv + f
			mixB += mrInitials[n/(21*28)] + m + f
		}
		for _, v := range []string{rr, mr, mixA, mixB} {
			romSurnames[v] = true
		}
	}
	for sn := range koSurnames {
		add(sn)
	}
	for sn := range koCompound {
		add(sn)
	}
}

// romSyllables holds Korean (Revised and McCune–Reischauer, without
// diacritics) and pinyin syllables, for telling a romanised given name
// from an English word.
var romSyllables = func() map[string]bool {
	m := map[string]bool{}
	koInit := []string{"", "g", "k", "kk", "n", "d", "t", "tt", "r", "l", "m", "b", "p", "pp", "s", "ss", "j", "jj", "ch", "h", "sh"}
	koVow := []string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "weo", "we", "wi", "yu", "eu", "ui", "i", "ee", "oo", "ou", "eui", "yeu"}
	koFin := []string{"", "k", "g", "n", "ng", "l", "m", "p", "b", "t"}
	for _, a := range koInit {
		for _, v := range koVow {
			for _, f := range koFin {
				m[a+v+f] = true
			}
		}
	}
	pyInit := []string{"", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "zh", "ch", "sh", "r", "z", "c", "s", "y", "w"}
	pyFin := []string{"a", "o", "e", "i", "u", "v", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "ia", "ie", "iao", "iu", "ian", "in", "iang", "ing", "iong", "ua", "uo", "uai", "ui", "uan", "un", "uang", "ue", "ve"}
	for _, a := range pyInit {
		for _, f := range pyFin {
			m[a+f] = true
		}
	}
	return m
}()

// romanisedGiven reports whether w splits into one to three romanised
// syllables.
func romanisedGiven(w string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(w) {
		switch {
		case r == '-' || r == '\'' || r == '’':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		default:
			k := keyRune(r)
			if k < 'a' || k > 'z' {
				return false
			}
			b.WriteRune(k)
		}
	}
	s := b.String()
	if len(s) < 2 || len(s) > 15 {
		return false
	}
	// ok[i] is the fewest syllables that cover s[:i].
	const inf = 99
	best := make([]int, len(s)+1)
	for i := range best {
		best[i] = inf
	}
	best[0] = 0
	for i := range len(s) {
		if best[i] == inf {
			continue
		}
		for j := i + 1; j <= len(s) && j-i <= 6; j++ {
			if romSyllables[s[i:j]] && best[i]+1 < best[j] {
				best[j] = best[i] + 1
			}
		}
	}
	return best[len(s)] <= 3
}

// propagate finds every other mention of each name found with enough
// confidence: the whole name in any spelling, and the given name alone.
func (s *scan) propagate() {
	type person struct {
		key                  string
		fullKey, givenKey    string
		surnameKey           string
		givenScript          script
		surname, given, full string
	}
	th := s.o.threshold()
	var persons []person
	score := map[string]float64{} // the best score of each person's detected mentions
	seen := map[string]bool{}
	for _, c := range s.cands {
		if c.Type != TypeName || c.Score < th || c.Part != Full || c.surname == "" || c.given == "" {
			continue
		}
		full := s.t.Norm[c.Start:c.End]
		fk := matchKey(full)
		score["p:"+fk] = max(score["p:"+fk], c.Score)
		if seen[fk] {
			continue
		}
		seen[fk] = true
		g, _ := utf8.DecodeRuneInString(c.given)
		persons = append(persons, person{key: "p:" + fk, fullKey: fk, givenKey: matchKey(c.given), surnameKey: matchKey(c.surname),
			givenScript: scriptOf(g), surname: c.surname, given: c.given, full: full})
	}
	kv := s.keyed()
	n := s.t.Norm
	// A given name alone with a strong context word (딸 은별이, 女儿小燕,
	// my son Hyok) names the person as surely as a full name: her other
	// mentions, without the context word, are found too. A Hangul one
	// only as a word by itself with a particle after it (은별이는), not
	// inside a longer word.
	seenGiven := map[string]bool{}
	for _, c := range s.cands {
		if c.Type != TypeName || c.Score < th || c.Part != Given || c.Context == "" || c.given == "" {
			continue
		}
		gk := matchKey(c.given)
		g, _ := utf8.DecodeRuneInString(c.given)
		gs := scriptOf(g)
		if seenGiven[gk] || utf8.RuneCountInString(gk) < 2 || gs == scriptLatin && len(gk) < 3 || seen[gk] {
			continue
		}
		seenGiven[gk] = true
		given, score := c.given, min(0.8, c.Score)
		kv.each(gk, func(ns, ne int) bool {
			if !bounded(n, ns, ne) || gs != scriptHan && !s.wordStart(ns) || gs == scriptLatin && !isUpper(n[ns]) {
				return true
			}
			if rest := strings.TrimPrefix(hangulRest(n, ne), "이"); gs == scriptHangul && !particleChain(rest) {
				return true
			}
			c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: score, Part: Given,
				Explanation: "another mention of a given name found with a word that names people"}}
			c.given = given
			s.add(c)
			return true
		})
	}
	if len(persons) == 0 {
		return
	}
	for _, p := range persons {
		kv.each(p.fullKey, func(ns, ne int) bool {
			if bounded(n, ns, ne) && s.wordStart(ns) {
				c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: min(0.85, score[p.key]),
					Explanation: "another mention of a name found elsewhere in this statement (same name in any spelling)"}}
				c.surname, c.given, c.person = p.surname, p.given, p.key
				s.add(c)
			}
			return true
		})
		short := utf8.RuneCountInString(p.givenKey) < 2 || p.givenScript == scriptLatin && len(p.givenKey) < 3
		if short {
			continue
		}
		kv.each(p.givenKey, func(ns, ne int) bool {
			if !bounded(n, ns, ne) || p.givenScript == scriptHangul && !s.wordStart(ns) {
				return true
			}
			if p.givenScript == scriptLatin && !isUpper(n[ns]) {
				// "yuan" the money is not Yuan the person.
				return true
			}
			c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: min(0.8, score[p.key]), Part: Given,
				Explanation: "the given name of a person named elsewhere in this statement"}}
			c.given, c.person = p.given, p.key
			s.add(c)
			return true
		})
	}
	// Link the mentions found on their own to the persons: a given name
	// or a surname alone belongs to the one person it fits, if only one
	// does.
	for i := range s.cands {
		c := &s.cands[i]
		if c.Type != TypeName || c.person != "" {
			continue
		}
		var match []string
		switch c.Part {
		case Given:
			gk := matchKey(c.given)
			for _, p := range persons {
				if p.givenKey == gk {
					match = append(match, p.key)
				}
			}
		case Surname:
			sk := matchKey(c.surname)
			for _, p := range persons {
				if p.surnameKey == sk {
					match = append(match, p.key)
				}
			}
		case Full:
			if k := "p:" + matchKey(s.t.Norm[c.Start:c.End]); slices.ContainsFunc(persons, func(p person) bool { return p.key == k }) {
				match = append(match, k)
			}
		}
		if len(match) == 1 {
			c.person = match[0]
		}
	}
}

// particleChain reports whether rest is nothing or one or two particles:
// 에게는 is 에게 + 는.
func particleChain(rest string) bool {
	if particleOrEmpty(rest) {
		return true
	}
	for _, p := range koParticles {
		if r, ok := strings.CutPrefix(rest, p); ok && particleSet[r] {
			return true
		}
	}
	return false
}

// hangulRest returns the Hangul letters that follow byte ne in the same
// word.
func hangulRest(n string, ne int) string {
	end := ne
	for end < len(n) {
		r, k := utf8.DecodeRuneInString(n[end:])
		if !isHangul(r) {
			break
		}
		end += k
	}
	return n[ne:end]
}

// wordStart reports whether byte ns starts a word: the rune before it is
// not of the same script. A Korean given name is not found inside
// another word.
func (s *scan) wordStart(ns int) bool {
	if ns == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(s.t.Norm[:ns])
	first, _ := utf8.DecodeRuneInString(s.t.Norm[ns:])
	ps, fs := scriptOf(prev), scriptOf(first)
	return ps != fs || fs == scriptHan
}

// personKey is the key that groups the mentions of one person.
func personKey(c cand, normText string) string {
	if c.person != "" {
		return c.person
	}
	switch {
	case c.Part == Full && c.surname != "" && c.given != "":
		return "p:" + matchKey(c.surname+c.given)
	case c.Part == Given:
		return "g:" + matchKey(c.given)
	case c.Part == Surname:
		return "s:" + matchKey(c.surname)
	}
	return "t:" + matchKey(normText[c.Start:c.End])
}

// keyed returns the key view of the text, computed once.
func (s *scan) keyed() *keyed {
	if s.kv == nil {
		s.kv = newKeyed(s.t.Norm)
	}
	return s.kv
}
