package redact

import (
	"strings"
	"unicode/utf8"
)

// Terms the survivor listed as people she mentioned, and the
// organisation's names list, are found wherever they appear in any
// spelling (see match.go), with their other spellings, and for a name
// its given name alone. They score 1: a person chose them.

func (s *scan) terms() {
	lists := []struct {
		terms []Term
		why   string
	}{
		{s.o.Mentioned, "listed by the survivor as someone or something she mentioned"},
		{s.o.Names, "on the organisation's names list"},
	}
	n := s.t.Norm
	kv := s.keyed()
	for _, l := range lists {
		for _, term := range l.terms {
			typ := term.Type
			if typ == "" {
				typ = TypeName
			}
			person := "t:" + matchKey(term.Text)
			for _, sp := range append([]string{term.Text}, term.Spellings...) {
				k := matchKey(sp)
				if k == "" {
					continue
				}
				kv.each(k, func(ns, ne int) bool {
					if bounded(n, ns, ne) {
						c := cand{Candidate: Candidate{Type: typ, Start: ns, End: ne, Score: 1, Explanation: l.why}}
						if typ == TypeName {
							c.person = person
							c.surname, c.given = splitOrWhole(n[ns:ne])
						}
						s.add(c)
					}
					return true
				})
			}
			if typ != TypeName {
				continue
			}
			sn, given := splitOrWhole(Normalize(term.Text).Norm)
			if sn == "" || utf8.RuneCountInString(given) < 2 {
				continue
			}
			first, _ := utf8.DecodeRuneInString(given)
			kv.each(matchKey(given), func(ns, ne int) bool {
				if bounded(n, ns, ne) && (scriptOf(first) != scriptHangul || s.wordStart(ns)) {
					c := cand{Candidate: Candidate{Type: TypeName, Start: ns, End: ne, Score: 0.9, Part: Given,
						Explanation: "the given name of a name " + l.why}}
					c.person, c.given = person, given
					s.add(c)
				}
				return true
			})
		}
	}
}

// remembered finds the terms of the workspace memory
// ([Options.Remembered]): names and places an editor confirmed in another
// statement. A term that is also an everyday word counts only with a
// context word next to it: 보람 the girl, not 보람 "worth".
func (s *scan) remembered() {
	n := s.t.Norm
	kv := s.keyed()
	for _, term := range s.o.Remembered {
		typ := term.Type
		if typ == "" {
			typ = TypeName
		}
		norm := Normalize(term.Text).Norm
		everyday := isEveryday(norm)
		words := nameContext
		if typ != TypeName {
			words = placeWords
		}
		for _, sp := range append([]string{term.Text}, term.Spellings...) {
			k := matchKey(sp)
			if k == "" {
				continue
			}
			kv.each(k, func(ns, ne int) bool {
				if !bounded(n, ns, ne) || !s.wordStart(ns) {
					return true
				}
				if first, _ := utf8.DecodeRuneInString(n[ns:]); isHangul(first) {
					rest := hangulRest(n, ne)
					if !particleOrEmpty(rest) && rest != "이" && !particleOrEmpty(strings.TrimPrefix(rest, "이")) {
						return true
					}
				}
				ctx := ""
				if everyday {
					w, near := s.context(ns, ne, words)
					if w == "" || !near {
						return true
					}
					ctx = w
				}
				c := cand{Candidate: Candidate{Type: typ, Start: ns, End: ne, Score: 0.9, Context: ctx,
					Explanation: "confirmed as a " + string(typ) + " in another statement of this workspace" + withContext(ctx)}}
				if typ == TypeName {
					c.person = "t:" + matchKey(term.Text)
					c.surname, c.given = splitOrWhole(n[ns:ne])
				}
				s.add(c)
				return true
			})
		}
	}
}

// nameContext are the words that say a person is meant, before or after
// her name, for terms that are also everyday words.
var nameContext = func() []string {
	var out []string
	out = append(out, koHonorific...)
	for w := range koRoles {
		out = append(out, w)
	}
	out = append(out, zhTitles...)
	out = append(out, zhRoles...)
	for w := range enTitles {
		out = append(out, w)
	}
	for w := range enRoles {
		out = append(out, w)
	}
	return sortedByLength(out)
}()

// isEveryday reports whether a normalised term is also an everyday word:
// in the Korean word list, a Chinese common word, one Han character, or
// an English word that is not a name.
func isEveryday(t string) bool {
	first, _ := utf8.DecodeRuneInString(t)
	switch scriptOf(first) {
	case scriptHangul:
		return koEveryday(t) || koCommon[t]
	case scriptHan:
		return utf8.RuneCountInString(t) < 2 || zhCommon[t] || zhPlaceWords[t] || zhNotGiven[t]
	case scriptLatin:
		return enStop[strings.ToLower(t)] || t == strings.ToLower(t)
	}
	return false
}
