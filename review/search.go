package review

import (
	"strings"
	"unicode"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
	"testimony/internal/visible"
	"testimony/vault"
)

const (
	// snippetRunes is how much context a search hit shows on each side.
	snippetRunes = 30
	// maxHitsPerText keeps one long account from filling the screen.
	maxHitsPerText = 3
)

// Hit is one place a search matched.
type Hit struct {
	ID      vault.ID
	Where   string // "text", "added 2024-06-01" or "note"
	Snippet string // the match with some context, on one line
}

// Search finds term in the decrypted texts and notes of every submission.
// Both are folded (package fold: NFKC, lower case, North/South Korean
// initial sounds), so 로동 finds 노동 and ＱＱ finds qq. Snippets come from
// the NFKC form of the text.
func (rv *Reviewer) Search(term string) ([]Hit, error) {
	hits, bad, err := rv.search(term, false)
	if err == nil && len(bad) > 0 {
		err = bad[0].Err
	}
	return hits, err
}

// SearchReadable is Search over every submission rv can read; it
// returns the others, each with why, instead of stopping at the first.
func (rv *Reviewer) SearchReadable(term string) ([]Hit, []Unreadable, error) {
	return rv.search(term, true)
}

func (rv *Reviewer) search(term string, tolerant bool) ([]Hit, []Unreadable, error) {
	w := rv.w
	q := fold.NewMapped(strings.TrimSpace(term), hanzi.Simplify)
	if q.Len() == 0 {
		return nil, nil, ErrEmptyQuery
	}
	items, err := w.Items()
	if err != nil {
		return nil, nil, err
	}
	var hits []Hit
	var bad []Unreadable
	err = w.eachContentsOr(groups(items), rv.ids, texts, func(c *Contents) error {
		d, err := w.derivedFor(c.ID, rv.ids)
		if err != nil {
			return err
		}
		for _, t := range c.Texts {
			where := "text"
			if t.Item > 0 {
				where = "added " + t.Day
			}
			hits = append(hits, find(c.ID, where, t.Body, q)...)
		}
		for _, n := range d.Notes {
			hits = append(hits, find(c.ID, "note", n.Text, q)...)
		}
		return nil
	}, skipper(tolerant, &bad))
	if err != nil {
		return nil, nil, err
	}
	return hits, bad, nil
}

func find(id vault.ID, where, body string, q *fold.Text) []Hit {
	t := fold.NewMapped(body, hanzi.Simplify)
	var hits []Hit
	for from := 0; len(hits) < maxHitsPerText; {
		s, e := t.Index(q, from)
		if s < 0 {
			break
		}
		hits = append(hits, Hit{id, where, snippet(t.Norm, s, e)})
		from = t.RuneAt(e)
	}
	return hits
}

// snippet returns norm[s:e] with up to snippetRunes runes on each side,
// on one line.
func snippet(norm string, s, e int) string {
	before := []rune(norm[:s])
	after := []rune(norm[e:])
	var b strings.Builder
	if len(before) > snippetRunes {
		b.WriteString("…")
		before = before[len(before)-snippetRunes:]
	}
	b.WriteString(string(before))
	b.WriteString(norm[s:e])
	if len(after) > snippetRunes {
		b.WriteString(string(after[:snippetRunes]))
		b.WriteString("…")
	} else {
		b.WriteString(string(after))
	}
	// Spaces and line breaks become one space; what would act on the
	// terminal is shown escaped (visible.Line), not dropped.
	return visible.Line(strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || unicode.IsSpace(r) && !visible.Escape(r) {
			return ' '
		}
		return r
	}, b.String())))
}
