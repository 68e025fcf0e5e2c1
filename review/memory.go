package review

import (
	"bytes"
	"unicode/utf8"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/review/redact"
	"testimony/vault"
)

// Workspace memory. A name or a place an editor confirmed in the plan of
// one statement (a line that redacts it) is looked for in every other
// statement of the workspace: the broker named in one woman's account is
// often in another's, where no context word gives him away. The memory is
// not stored apart: it is read from the plans, which are derived records
// encrypted to the team, each time it is needed, so it holds nothing a
// plan does not and goes when the plans go.

// memory returns the terms confirmed as names or places in the current
// plan of every submission but id.
func (w *Workspace) memory(identities []age.Identity, id vault.ID) ([]redact.Term, error) {
	type kv struct{ k, v []byte }
	var raw []kv
	err := w.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDerived).ForEach(func(k, v []byte) error {
			if !bytes.HasPrefix(k, []byte(id)) {
				raw = append(raw, kv{bytes.Clone(k), bytes.Clone(v)})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	latest := map[vault.ID]string{} // the newest plan of each submission
	var order []vault.ID
	for _, r := range raw {
		rec, err := openRecord(r.v, r.k, identities)
		if err != nil {
			return nil, err
		}
		if rec.Kind != ActionPlan {
			continue
		}
		if _, ok := latest[rec.Submission]; !ok {
			order = append(order, rec.Submission)
		}
		latest[rec.Submission] = rec.Text
	}
	seen := map[string]bool{}
	var terms []redact.Term
	for _, sub := range order {
		p, err := redact.ParsePlan([]byte(latest[sub]))
		if err != nil {
			// A plan that no longer parses was stored by an older tool;
			// its terms are not remembered, and its own export says why.
			continue
		}
		for _, d := range p.Decisions {
			if d.Op == redact.OpKeep || d.Type != redact.TypeName && d.Type != redact.TypePlace {
				continue
			}
			// One character (a surname, 金) or two Latin letters match
			// too much to look for everywhere.
			if n := utf8.RuneCountInString(d.Original); n < 2 || n < 3 && d.Original[0] < utf8.RuneSelf {
				continue
			}
			k := string(d.Type) + "\x00" + d.Original
			if seen[k] {
				continue
			}
			seen[k] = true
			terms = append(terms, redact.Term{Text: d.Original, Type: d.Type})
		}
	}
	return terms, nil
}

// detectorOptions returns the options the detectors run with for
// submission id: the workspace memory. An error reading it leaves the
// memory out rather than stopping the editor; the plan is still checked.
func (w *Workspace) detectorOptions(identities []age.Identity, id vault.ID) *redact.Options {
	terms, err := w.memory(identities, id)
	if err != nil {
		return &redact.Options{}
	}
	return &redact.Options{Remembered: terms}
}
