package redact

import (
	"slices"
	"strings"
)

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
