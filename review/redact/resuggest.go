package redact

import (
	"crypto/sha256"
	"slices"
	"strings"
)

// Carried says what [Resuggest] kept of an earlier plan.
type Carried struct {
	// Kept is how many of the earlier plan's decisions are in the new
	// plan unchanged.
	Kept int
	// Dropped is how many were left out because the text they quote is no
	// longer at their place.
	Dropped int
	// New is how many detector suggestions were added.
	New int
	// From is the byte offset where the earlier text ends and what she
	// added begins, or -1 if the earlier text is not a beginning of the
	// new one (then suggestions are added wherever no kept decision is).
	From int
}

// Resuggest makes a plan for text, which changed since old was made (she
// added to her account): every decision of old whose original is still at
// its place is kept as the editor left it, every decision on every
// occurrence (span *) is kept, and the detectors' suggestions are added
// for what is new. When old was made for a beginning of text (her account
// and the additions up to then, as StatementText joins them, ending just
// before a blank line), suggestions are added only after it: what the
// editor removed from the suggestion for the earlier text stays removed.
// The pseudonym seed is kept, and a new mention of a person the old plan
// gave a pseudonym gets the same one. The result passes [Plan.Check] for
// text; it is a new plan, and needs a new approval once stored.
func Resuggest(old *Plan, text string, opts *Options) (*Plan, Carried, error) {
	var rep Carried
	if len(text) > MaxTextBytes {
		return nil, rep, ErrTooLarge
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	o.Seed = old.Seed
	fresh, err := NewPlan(text, &o)
	if err != nil {
		return nil, rep, err
	}
	rep.From = oldEnd(old.Source, text)

	p := &Plan{Source: SourceHash(text), Seed: old.Seed}
	var every []Decision
	pseudonyms := map[string]string{} // match key of a name → its pseudonym in old
	type span struct{ start, end int }
	var kept []span
	for _, d := range old.Decisions {
		d.line = 0
		if d.Start == Every {
			every = append(every, d)
		} else if d.End <= len(text) && text[d.Start:d.End] == d.Original && (rep.From < 0 || d.End <= rep.From) {
			p.Decisions = append(p.Decisions, d)
			kept = append(kept, span{d.Start, d.End})
		} else {
			rep.Dropped++
			continue
		}
		rep.Kept++
		if d.Op == OpPseudonym {
			pseudonyms[matchKey(d.Original)] = d.Replacement
		}
	}
	overlaps := func(d Decision) bool {
		for _, k := range kept {
			if d.Start < k.end && k.start < d.End {
				return true
			}
		}
		return false
	}
	type key struct {
		start, end int
		original   string
	}
	added := map[key]bool{} // the detectors' suggestions, by span
	for _, d := range fresh.Decisions {
		if d.Start == Every || rep.From >= 0 && d.Start < rep.From || overlaps(d) {
			continue
		}
		if r, ok := pseudonyms[matchKey(d.Original)]; ok && d.Op == OpPseudonym {
			d.Replacement = r
			d.Explanation += "; the pseudonym the earlier plan gave this name"
		}
		added[key{d.Start, d.End, d.Original}] = true
		p.Decisions = append(p.Decisions, d)
	}
	rep.New = len(added)
	slices.SortStableFunc(p.Decisions, func(a, b Decision) int { return a.Start - b.Start })
	p.Decisions = append(p.Decisions, every...)
	// A suggestion whose replacement repeats a term a kept decision
	// redacts becomes a placeholder, as in Suggest; the editor's own
	// decisions are never changed.
	for range len(p.Decisions) {
		i, _, ok := p.carrier()
		if !ok || p.Decisions[i].Start == Every || !added[key{p.Decisions[i].Start, p.Decisions[i].End, p.Decisions[i].Original}] {
			break
		}
		d := &p.Decisions[i]
		ph := placeholder(d.Type, langAround(text, d.Start))
		if d.Replacement == ph {
			ph = ""
		}
		d.Op, d.Replacement = OpRemove, ph
		d.Explanation += "; the suggestion would repeat a redacted term, so it is removed instead"
	}
	return p, rep, nil
}

// oldEnd returns where the text a plan with source hash src was made for
// ends in text, when that text is a beginning of text that a blank line
// follows (as StatementText joins her additions), or -1.
func oldEnd(src [32]byte, text string) int {
	for i := 0; ; {
		j := strings.Index(text[i:], "\n\n")
		if j < 0 {
			return -1
		}
		i += j
		if sha256.Sum256([]byte(text[:i])) == src {
			return i
		}
		i++
	}
}
