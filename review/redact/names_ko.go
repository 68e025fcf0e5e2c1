package redact

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"testimony/internal/fold"
)

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

// stripHonorific splits a trailing honorific off a Hangul stem.
func stripHonorific(stem string) (base, hon string) {
	for _, h := range koHonorific {
		if strings.HasSuffix(stem, h) && len(stem) > len(h) {
			return stem[:len(stem)-len(h)], h
		}
	}
	return stem, ""
}

// koNames finds names in Hangul words.
func (s *scan) koNames() {
	toks := s.tokens()
	for i, tk := range toks {
		if tk.script != scriptHangul {
			continue
		}
		w := s.koWordAt(toks, i)
		// Every way to split the word; a word that is a common word
		// with a particle is no name, otherwise the best reading wins.
		var best, namingBest cand
		common := false
		for _, st := range w.readings {
			if koCommon[st] && !koPublic[st] {
				common = true
				break
			}
			c, viaName, ok := s.koReading(w, st)
			if !ok {
				continue
			}
			if c.Score > best.Score {
				best = c
			}
			if rest := w.word[len(st):]; viaName && c.Score >= defaultThreshold && c.Score > namingBest.Score && rest != "" && rest != "란" && rest != "이란" && slices.Contains(koNaming, rest) {
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

// koWord is a Hangul word with the words around it that can make it a
// name.
type koWord struct {
	at               int // byte offset in the normalised text
	word, prev, next string
	// role is a role or kinship word before the word (딸, 보위원), and
	// apposed says it stands bare before it (딸 은별이, 남편 철민이가)
	// or as 인 or 의; with a subject or topic particle (보위원은 매일)
	// the next word is what it did.
	role    string
	apposed bool
	// verb is a verb that takes a person, in the next two words.
	verb string
	// readings are the stems the word can be split into, longest first.
	readings []string
	// splitsEveryday says the word splits into an everyday word and a
	// particle: 은혜가 is 은혜 and 가 before it is a name 은 + 혜가.
	splitsEveryday bool
}

func (s *scan) koWordAt(toks []token, i int) *koWord {
	n := s.t.Norm
	tk := toks[i]
	w := &koWord{at: tk.s, word: tk.text(n)}
	if i > 0 && toks[i-1].script == scriptHangul && gapOnly(n, toks[i-1].e, tk.s, ",:") {
		w.prev = toks[i-1].text(n)
	}
	if i+1 < len(toks) && toks[i+1].script == scriptHangul && gapOnly(n, tk.e, toks[i+1].s, "") {
		w.next = toks[i+1].text(n)
	}
	for _, st := range stems(w.prev) {
		if isKoRole(st) {
			w.role = st
			w.apposed = st == w.prev || koApposed[w.prev[len(st):]]
			break
		}
	}
	if w.prev != "" && (w.role == "" || !w.apposed) && koRoles[w.prev] {
		w.role, w.apposed = w.prev, true
	}
	for k := i + 1; k < len(toks) && k <= i+3 && w.verb == ""; k++ {
		if toks[k].script != scriptHangul {
			continue
		}
		next := toks[k].text(n)
		for _, v := range koPersonVerbs {
			if strings.HasPrefix(next, v) {
				w.verb = v
				break
			}
		}
	}
	w.readings = stems(w.word)
	for _, st := range w.readings[1:] {
		if particleSet[w.word[len(st):]] && koEveryday(st) {
			w.splitsEveryday = true
			break
		}
	}
	return w
}

// koReading scores one reading of the word: the stem st, then particles.
// viaName says the candidate is koName's, the full reading of a name.
func (s *scan) koReading(w *koWord, st string) (c cand, viaName, ok bool) {
	rest := w.word[len(st):]
	if rest == "" && w.splitsEveryday && startsWithAny(w.next, koHonorific) == "" {
		return cand{}, false, false
	}
	base, hon := stripHonorific(st)
	if hon != "" && base != st && koEveryday(st) {
		// 아저씨 is a word, not 아저 + 씨.
		base, hon = st, ""
	}
	if hon == "" && rest != "" && koSurnames[base[:0]+firstRunes(st, 1)] && !koAmbiguous[firstRunes(st, 1)] && st == firstRunes(st, 1)+"가" && koSurnameGaRest(rest) && !koWords()[st] {
		// 량가였습니다, 최가네: a man called by his surname and 가.
		sn := firstRunes(st, 1)
		c := cand{Candidate: Candidate{Type: TypeName, Start: w.at, End: w.at + len(sn), Score: koScoreSurnameGa, Part: Surname, Context: "가",
			Explanation: "a Korean surname with 가, the way a man is called by his surname"}}
		c.surname = sn
		return c, false, true
	}
	if hon == "" && rest == "" {
		// An honorific as the next word follows a bare name:
		// 김 언니, 영희 씨; never a name with a particle.
		hon = startsWithAny(w.next, koHonorific)
	}
	naming := ""
	for _, nw := range koNaming {
		if strings.HasPrefix(rest, nw) || strings.HasPrefix(w.next, nw) {
			naming = nw
		}
	}
	ctx := firstNonEmpty(hon, w.role, naming)
	if hon == "" && naming == "" && !w.apposed {
		// A role word as the subject before: 보위원은 매일
		// 때렸다. Context for a full name, not for a given
		// name alone.
		if _, _, ok := splitKoName(base); !ok {
			ctx = ""
		}
	}
	familiar := koFamiliar(base, rest, w.next)
	if koNotAName(base, hon, rest) {
		return cand{}, false, false
	}
	if hon == "" && (naming == "" || koVerb(base)) && (koEveryday(base) || koCommon[base]) && !familiar {
		c, ok := w.afterKin(base, naming)
		return c, false, ok
	}
	if familiar {
		if fc, ok := s.koName(base, w.at, ctx); ok && fc.Part == Full && fc.Score >= defaultThreshold {
			// 남궁솔이가: a full name with the familiar -이 is
			// the full name, one person with its other mentions.
			familiar = false
		}
	}
	if familiar && hon == "" && !koCommon[base] && !koSurnames[base] {
		if nr := utf8.RuneCountInString(base); nr <= 3 {
			c := cand{Candidate: Candidate{Type: TypeName, Start: w.at, End: w.at + len(base), Score: koScoreFamiliar, Part: Given, Context: ctx,
				Explanation: "a given name with the familiar -이 before a particle"}}
			if ctx != "" {
				c.Score = koScoreFamiliarContext
				c.Explanation += withContext(ctx)
			} else if koEveryday(base) {
				c.Score = koScoreFamiliarEveryday
			}
			c.given = base
			return c, false, true
		}
	}
	if hon != "" && (koSurnames[base] || koCompound[base]) {
		// A surname with an honorific: 김씨, 박 언니.
		c := cand{Candidate: Candidate{Type: TypeName, Start: w.at, End: w.at + len(base), Score: koScoreSurnameHonorific, Part: Surname, Context: hon,
			Explanation: "a Korean surname with a word that follows names" + withContext(hon)}}
		c.surname = base
		return c, false, true
	}
	if hon == "" && !koCaseParticle[rest] && koEnding[lastRunes(base, 1)] {
		// 나중에, 마시면, 이름은: the last syllable is an
		// ending, and nothing was split off. A name only with
		// name syllables after a clear surname.
		if sn, given, ok := splitKoName(base); !ok || koAmbiguous[sn] || !allIn(given, koGiven) {
			return cand{}, false, false
		}
	}
	c, ok = s.koName(base, w.at, ctx)
	if ok && ctx == "" && w.verb != "" && c.Part == Full && c.Score < defaultThreshold {
		c.Score += koBoostPersonVerb
		c.Explanation += withContext(w.verb)
	} else if !ok && ctx == "" && w.verb != "" {
		c, ok = s.koName(base, w.at, "")
	}
	return c, true, ok
}

// koFamiliar reports whether the familiar -이 stands between a name
// ending in a consonant and a particle (별이는, 보람이를, 은정이가): no
// noun takes it.
func koFamiliar(base, rest, next string) bool {
	lastB, _ := utf8.DecodeLastRuneInString(base)
	after, fam := strings.CutPrefix(rest, "이")
	// 봉선이 어머니: the familiar -이 and then her mother.
	return fam && (after != "" && koFamiliarParticles[after] || after == "" && startsWithAny(next, koKin) != "") &&
		hasFinal(lastB) == finalConsonant && !koEveryday(base+"이") && !isKoRole(base)
}

// koNotAName reports readings that are never a name, whatever stands
// around them.
func koNotAName(base, hon, rest string) bool {
	if hon == "님" && koEveryday(base) || isKoRole(base) || slices.Contains(koTitles, base) || koPlatform[base] {
		// 선교사님 is a title with 님, 사촌 a relation, 위챗 an
		// app: none is a name.
		return true
	}
	if strings.HasSuffix(base, "으") && strings.HasPrefix(rest, "로") {
		// 이름으로 is 이름 + 으로.
		return true
	}
	if hon != "" && rest == "" && koVerbForm(base) && !koSurnames[base] {
		// 도와준 선교사님: a verb before a title.
		return true
	}
	return false
}

// afterKin reads an everyday word base as a name only right after a
// kinship word. 소식은, 며느리, 남조선: an everyday word, with no word
// after it that only follows names. But a word right after a kinship word
// is her name unless it is what one says of kin: 큰딸 나래는, not 어머니
// 소식은.
func (w *koWord) afterKin(base, naming string) (cand, bool) {
	bare := w.prev == w.role || w.prev == w.role+"인"
	if nr := utf8.RuneCountInString(base); !(bare && koKinRole(w.role) && !koAfterKin[base] && !koVerb(base) && !koVerbForm(base) && naming == "" && nr >= 2 && nr <= 3 && !koEnding[lastRunes(base, 1)]) {
		return cand{}, false
	}
	c := cand{Candidate: Candidate{Type: TypeName, Start: w.at, End: w.at + len(base), Score: koScoreAfterKin, Part: Given, Context: w.role,
		Explanation: "a word right after a kinship word, as names are" + withContext(w.role)}}
	c.given = base
	return c, true
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
		c.Score, c.Explanation = koScorePublic, "the name of a public figure, kept by default"
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
			c.Score = koScoreFullName
		case gn == 2 && (givenOK || !amb):
			// A surname that starts few ordinary words, or a name
			// syllable after one that does: most such words are
			// names.
			c.Score = koScoreFullLikely
		case gn == 2:
			c.Score = koScoreFullWeak
		case givenOK:
			c.Score = koScoreFullOne
		default:
			// A one-syllable given name that is not a name syllable:
			// 이웃, 정말. Not a name even with context.
			return cand{}, false
		}
		if ctx != "" {
			c.Score += koBoostContext
		}
		if c.Score < koScoreMinListed {
			// Too weak to list: the editor would drown in them.
			return cand{}, false
		}
		c.Explanation = fmt.Sprintf("Korean name shape: surname and a %d-syllable given name", gn)
	case ctx != "" && nr == 2 && (allIn(stem, koGiven) || !koEveryday(stem) && !koCommon[stem] && koNameLike(stem)):
		// A given name alone with a strong context: 영희 언니.
		c.given, c.Part = stem, Given
		c.Score = koScoreGivenContext
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
		c := cand{Candidate: Candidate{Type: TypeName, Start: start, End: start + len(nm), Score: koScoreQuoted, Part: Given, Context: naming,
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
