package redact

import (
	"slices"
	"strings"
	"unicode/utf8"
)

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
		given, score := c.given, min(mentionMaxGiven, c.Score)
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
				c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: min(mentionMaxFull, score[p.key]),
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
			c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: min(mentionMaxGiven, score[p.key]), Part: Given,
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

// propagatePlaces finds later mentions of places found once: 천신군 …
// 천신에서, 光明村 … 光明村. A Hangul or Latin name is also looked for
// without its suffix, at the start of a word and followed by nothing but
// a particle; a Chinese one only whole, since without its suffix it is
// often a word (光明 "bright").
func (s *scan) propagatePlaces() {
	th := s.o.threshold()
	n := s.t.Norm
	// Scores of the chain candidates each part ended up in. The place
	// candidates found so far, by start, so each part looks only at
	// those that can hold it rather than at every candidate.
	type placedCand struct {
		c   cand
		idx int // in s.cands: the first that holds a part gives its generalisations
	}
	var placed []placedCand
	longest := 0
	for i, c := range s.cands {
		if c.Type == TypePlace {
			placed = append(placed, placedCand{c, i})
			longest = max(longest, c.End-c.Start)
		}
	}
	slices.SortStableFunc(placed, func(a, b placedCand) int { return a.c.Start - b.c.Start })
	holding := func(h placeHit, fn func(p placedCand)) {
		k, _ := slices.BinarySearchFunc(placed, h.s+1, func(p placedCand, at int) int { return p.c.Start - at })
		for k--; k >= 0 && placed[k].c.Start >= h.s-longest; k-- {
			if p := placed[k]; p.c.Start <= h.s && h.e <= p.c.End {
				fn(p)
			}
		}
	}
	chainScore := func(h placeHit) float64 {
		best := 0.0
		holding(h, func(p placedCand) { best = max(best, p.c.Score) })
		return best
	}
	broaderOf := func(h placeHit) []string {
		var out []string
		first := -1
		holding(h, func(p placedCand) {
			if first < 0 || p.idx < first {
				first, out = p.idx, p.c.Broader
			}
		})
		return out
	}
	seen := map[string]bool{}
	kv := s.keyed()
	for _, h := range s.placeParts {
		score := chainScore(h)
		if score < th || h.place != nil && h.place.level == levelProvince {
			continue
		}
		broader := broaderOf(h)
		name := n[h.s:h.e]
		first, _ := utf8.DecodeRuneInString(name)
		names := []string{name}
		if sc := scriptOf(first); sc == scriptHangul || sc == scriptLatin {
			for _, sf := range residualSuffixes {
				if stem, ok := strings.CutSuffix(name, sf); ok && utf8.RuneCountInString(stem) >= 2 {
					names = append(names, stem)
					break
				}
			}
		}
		for _, nm := range names {
			k := matchKey(nm)
			if seen[k] {
				continue
			}
			seen[k] = true
			kv.each(k, func(ns, ne int) bool {
				if !bounded(n, ns, ne) || !s.wordStart(ns) {
					return true
				}
				if scriptOf(first) == scriptHangul {
					// The rest of the word is a particle or a suffix.
					end := ne
					for end < len(n) {
						r, k := utf8.DecodeRuneInString(n[end:])
						if !isHangul(r) {
							break
						}
						end += k
					}
					rest := n[ne:end]
					if !particleOrEmpty(rest) && !slices.Contains(residualSuffixes, rest) {
						return true
					}
				}
				if scriptOf(first) == scriptLatin && !isUpper(n[ns]) {
					return true
				}
				s.add(cand{Candidate: Candidate{Type: TypePlace, Start: ns, End: ne, Score: min(score, placeScoreMaxMention), Broader: broader,
					Explanation: "another mention of a place found elsewhere in this statement"}})
				return true
			})
		}
	}
}
