package redact

import (
	"slices"
	"strings"
)

// Check reports the first thing that keeps the plan from applying to text
// as a *[PlanError] naming the line (never quoting it), or
// [ErrSourceMismatch]:
//   - the text is not the one the plan was made for;
//   - a span is outside the text or does not hold its original;
//   - one name has two pseudonyms (the same original, in any spelling,
//     replaced differently);
//   - a replacement contains a redacted term in some spelling, so the
//     residual check could never pass.
func (p *Plan) Check(text string) error {
	if len(text) > MaxTextBytes {
		return ErrTooLarge
	}
	if SourceHash(text) != p.Source {
		return ErrSourceMismatch
	}
	type seen struct {
		repl string
		line int
	}
	pseudonyms := map[string]seen{}
	for i, d := range p.Decisions {
		line := lineOf(d, i)
		if err := d.check(); err != nil {
			return planErr(line, "%v", err)
		}
		if d.Start != Every {
			if d.End > len(text) {
				return planErr(line, "the span %d-%d is outside the text (%d bytes)", d.Start, d.End, len(text))
			}
			if text[d.Start:d.End] != d.Original {
				return planErr(line, "the text at %d-%d is not the original this line quotes", d.Start, d.End)
			}
		}
		if d.Op == OpPseudonym {
			k := matchKey(d.Original)
			if prev, ok := pseudonyms[k]; ok && matchKey(prev.repl) != matchKey(d.Replacement) {
				return planErr(line, "this name has another pseudonym on line %d; one person gets one pseudonym", prev.line)
			}
			pseudonyms[k] = seen{d.Replacement, line}
		}
	}
	if i, j, ok := p.carrier(); ok {
		return planErr(lineOf(p.Decisions[i], i), "the replacement contains a term redacted on line %d, in some spelling", lineOf(p.Decisions[j], j))
	}
	return nil
}

// carrier finds a decision whose replacement contains, in some spelling,
// a term another decision redacts: decision i carries the term of
// decision j.
func (p *Plan) carrier() (i, j int, ok bool) {
	var terms [][]residualTerm
	for _, t := range p.Decisions {
		if t.Op == OpKeep {
			terms = append(terms, nil)
		} else {
			terms = append(terms, residualTerms(t))
		}
	}
	for i, d := range p.Decisions {
		if d.Op == OpKeep || d.Replacement == "" {
			continue
		}
		rk := newKeyed(Normalize(d.Replacement).Norm)
		for j := range p.Decisions {
			for _, term := range terms[j] {
				if hit := term.find(rk, 1); len(hit) > 0 {
					return i, j, true
				}
			}
		}
	}
	return 0, 0, false
}

func lineOf(d Decision, i int) int {
	if d.line > 0 {
		return d.line
	}
	return i + 1
}

// edit is one replacement in the original text.
type edit struct {
	start, end int
	repl       string
}

// Apply returns text with every decision of the plan carried out, after
// [Plan.Check]. Decisions on every occurrence ([Every]) are found in any
// spelling. Where redactions overlap, the union of their spans is
// replaced, by the replacement of the one that starts first (the longer,
// if they start together): nothing a decision covers survives. Keep
// decisions change nothing.
//
// Apply does not run the residual check; call [Plan.Residual] on
// everything that leaves the machine.
func Apply(text string, p *Plan) (string, error) {
	out, _, err := p.apply(text)
	return out, err
}

// apply is Apply; it also returns the spans of the output that hold a
// replacement, each with the shift (output offset minus her text's
// offset) of the text after it.
func (p *Plan) apply(text string) (string, [][3]int, error) {
	if err := p.Check(text); err != nil {
		return "", nil, err
	}
	var edits []edit
	var t *Text
	var kv *keyed
	for _, d := range p.Decisions {
		if d.Op == OpKeep {
			continue
		}
		if d.Start != Every {
			edits = append(edits, edit{d.Start, d.End, d.Replacement})
			continue
		}
		if t == nil {
			t = Normalize(text)
			kv = newKeyed(t.Norm)
		}
		kv.each(matchKey(d.Original), func(ns, ne int) bool {
			if bounded(t.Norm, ns, ne) {
				s, e := t.Span(ns, ne)
				edits = append(edits, edit{s, e, d.Replacement})
			}
			return true
		})
	}
	slices.SortStableFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var b strings.Builder
	b.Grow(len(text))
	var spans [][3]int
	pos := 0
	for i := 0; i < len(edits); {
		cur := edits[i]
		i++
		for i < len(edits) && edits[i].start < cur.end {
			cur.end = max(cur.end, edits[i].end)
			i++
		}
		b.WriteString(text[pos:cur.start])
		// The output span of the replacement, and how far the output
		// has moved from her text after it.
		spans = append(spans, [3]int{b.Len(), b.Len() + len(cur.repl), b.Len() + len(cur.repl) - cur.end})
		b.WriteString(cur.repl)
		pos = cur.end
	}
	b.WriteString(text[pos:])
	return b.String(), spans, nil
}
