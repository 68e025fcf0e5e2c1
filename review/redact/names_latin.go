package redact

import (
	"slices"
	"strings"
)

// enNames finds romanised Korean and Chinese names in Latin text.
func (s *scan) enNames() {
	r := &latinWords{n: s.t.Norm, toks: s.tokens()}
	for i := 0; i < len(r.toks); i++ {
		if r.toks[i].script != scriptLatin {
			continue
		}
		ctx := r.contextBefore(i)
		if !r.cap(i) {
			continue
		}
		i += s.enNameAt(r, i, ctx)
	}
}

// latinWords are the tokens of a text, read as Latin words.
type latinWords struct {
	n    string
	toks []token
}

func (r *latinWords) word(k int) string { return r.toks[k].text(r.n) }

// lower is word k in lower case.
func (r *latinWords) lower(k int) string { return strings.ToLower(r.word(k)) }

// cap reports whether token k is a capitalised Latin word.
func (r *latinWords) cap(k int) bool {
	return k < len(r.toks) && r.toks[k].script == scriptLatin && isUpper(r.n[r.toks[k].s])
}

// adjacent reports whether token k+1 follows token k after spaces
// (and, for titles, a dot).
func (r *latinWords) adjacent(k int, punct string) bool {
	return k+1 < len(r.toks) && gapOnly(r.n, r.toks[k].e, r.toks[k+1].s, punct) && r.toks[k+1].s-r.toks[k].e <= 3
}

// contextBefore is the word before token i that makes it a name: a title
// ("Mr Kim", "Mr. Kim") or a role word in the same sentence ("my
// husband, Wang"), or "".
func (r *latinWords) contextBefore(i int) string {
	toks := r.toks
	if i == 0 || toks[i-1].script != scriptLatin {
		return ""
	}
	pw := r.lower(i - 1)
	switch {
	case (enTitles[pw] || enTitles[pw+"."]) && r.adjacent(i-1, "."):
		return pw
	case enRoles[pw] && r.adjacent(i-1, ",:"):
		return pw
	case (pw == "was" || pw == "is") && i > 1 && toks[i-2].script == scriptLatin && r.lower(i-2) == "name" && r.adjacent(i-1, ""):
		// "My husband's name was Sun Dali."
		return "name"
	}
	return ""
}

// enNameAt reads a name starting at the capitalised word i, with the
// context word ctx before it, and returns how many more words it took.
func (s *scan) enNameAt(r *latinWords, i int, ctx string) (skip int) {
	toks := r.toks
	lw := r.lower(i)
	if romSurnames[lw] {
		if skip, ok := s.enSurnameFirst(r, i, ctx); ok {
			return skip
		}
	}
	// Given name first: Young-hee Kim.
	if romanisedGiven(r.word(i)) && !enStop[lw] && r.adjacent(i, "") && r.cap(i+1) && romSurnames[r.lower(i+1)] &&
		!(i+2 < len(toks) && r.adjacent(i+1, "") && r.cap(i+2) && romanisedGiven(r.word(i+2))) {
		c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i+1].e, Context: ctx}}
		c.surname, c.given = r.word(i+1), r.word(i)
		c.Score = enScoreGivenFirst
		if strings.ContainsAny(r.word(i), "-'’") {
			c.Score = enScoreGivenFirstHyphen
		}
		if ctx != "" {
			c.Score = enScoreContext
		}
		c.Explanation = "romanised name: a given name and a surname" + withContext(ctx)
		s.add(c)
		return 1
	}
	// A given name alone after a title or role: Auntie Young-hee;
	// after a kinship word any name: my daughter Joy.
	if ctx != "" && !enStop[lw] && (romanisedGiven(r.word(i)) || enKin[ctx] && !enPlaceWords[lw] && monthOf(lw) == 0 && theGazetteer().lookup(r.word(i)) == nil) {
		c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: enScoreGivenAfterContext, Part: Given, Context: ctx,
			Explanation: "a romanised given name after a title or role word" + withContext(ctx)}}
		c.given = r.word(i)
		s.add(c)
		return 0
	}
	// A hyphenated romanised given name alone: Chun-hwa, Chol-ho.
	if k := strings.IndexByte(r.word(i), '-'); k > 0 && romanisedGiven(r.word(i)) && !enStop[lw] && !slices.Contains(romPlaceSuffixes, lw[k+1:]) &&
		romSyllables[lw[:k]] && romSyllables[strings.ToLower(r.word(i)[k+1:])] && theGazetteer().lookup(r.word(i)) == nil {
		c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: enScoreHyphenGiven, Part: Given,
			Explanation: "a romanised given name of two syllables joined by a hyphen"}}
		c.given = r.word(i)
		s.add(c)
	}
	return 0
}

// enSurnameFirst reads a name that starts with the surname at word i:
// Kim Young-hee, Ri Sun Hui, Wang Jianguo, or a surname alone after a
// title. It returns how many more words the name took, and false if
// there is no such name.
func (s *scan) enSurnameFirst(r *latinWords, i int, ctx string) (skip int, ok bool) {
	toks := r.toks
	lw := r.lower(i)
	j := i
	// A syllable that is also a surname (Kum, Yong) is a given
	// name too when another syllable follows: Ri Kum Sun, Kim
	// Myong Hui.
	threePart := func(j int) bool {
		return j == i && j+2 < len(toks) && r.adjacent(j+1, "") && r.cap(j+2) && romanisedGiven(r.word(j+2)) && len(r.word(j+1)) <= 5 && len(r.word(j+2)) <= 5 &&
			!enStop[r.lower(j+2)] && !strings.ContainsAny(r.word(j+1), "-'’")
	}
	for j+1 < len(toks) && j-i < 2 && r.adjacent(j, "") && r.cap(j+1) && romanisedGiven(r.word(j+1)) && !enStop[r.lower(j+1)] && (!romSurnames[r.lower(j+1)] || threePart(j) || j == i+1 && len(r.word(j+1)) <= 4) {
		j++
		if strings.ContainsAny(r.word(j), "-'’") || len(r.word(j)) > 5 {
			break
		}
	}
	// A given name that is also a surname (Wang Dong, Kim Un):
	// taken when nothing capitalised follows, or after a title
	// or role word.
	if j == i && r.adjacent(i, "") && r.cap(i+1) && romanisedGiven(r.word(i+1)) && !enStop[r.lower(i+1)] && romSurnames[r.lower(i+1)] &&
		(ctx != "" || !(r.adjacent(i+1, "") && r.cap(i+2))) {
		j = i + 1
	}
	if j > i {
		c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[j].e, Context: ctx}}
		c.surname, c.given = r.word(i), r.n[toks[i+1].s:toks[j].e]
		switch {
		case ctx != "":
			c.Score = enScoreContext
		case romAmbiguous[lw] && j == i+1 && !strings.ContainsAny(r.word(j), "-'’") && len(r.word(j)) <= 4:
			// He Said, Song Dong: a short word after an
			// English word that is also a surname.
			c.Score = enScoreAmbiguous
		default:
			c.Score = enScoreSurnameFirst
		}
		c.Explanation = "romanised name: a surname and a given name" + withContext(ctx)
		s.add(c)
		return j - i, true
	}
	if ctx != "" && (enTitles[ctx] || enTitles[ctx+"."]) {
		c := cand{Candidate: Candidate{Type: TypeName, Start: toks[i].s, End: toks[i].e, Score: enScoreSurnameTitle, Part: Surname, Context: ctx,
			Explanation: "a surname after a title" + withContext(ctx)}}
		c.surname = r.word(i)
		s.add(c)
		return 0, true
	}
	return 0, false
}

// enKin are the English kinship and role words after which any
// capitalised word is a name: my daughter Joy.
var enKin = setOf(`daughter son husband wife sister brother mother father friend named called cousin aunt uncle niece nephew boyfriend girlfriend`)

// This init adds to romSurnames the Revised Romanisation and a
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
