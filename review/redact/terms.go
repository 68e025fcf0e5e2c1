package redact

import "unicode/utf8"

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
