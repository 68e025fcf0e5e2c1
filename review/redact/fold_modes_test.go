package redact

import (
	"testing"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// Search (internal/fold, as review search uses it) and the residual check
// fold the same spellings together: what the check would stop in an export,
// a search finds, and the other way round. The two modes differ on purpose
// elsewhere: search folds to one form and may over-match a little; the
// residual check expands every spelling and also drops invisible
// characters and every separator.
func TestSearchAndResidualFoldAlike(t *testing.T) {
	for _, c := range []struct{ term, text, typ string }{
		{"리영희", "이영희 씨가 말했다", "name"},
		{"로동단련대", "노동단련대에 갔다", "term"},
		{"劉", "刘老板说", "name"},
		{"李秀蘭", "我叫李秀兰。", "name"},
		{"139 1234 5678", "电话13912345678", "phone"},
		{"13912345678", "번호는 139-1234-5678 입니다", "phone"},
		{"13912345678", "번호는 １３９ １２３４ ５６７８", "phone"},
		{"kim young hee", "I am Kim Young-hee.", "name"},
		{"Kim Young-hee", "I am kim young hee.", "name"},
	} {
		q := fold.NewMapped(c.term, hanzi.Simplify)
		if s, _ := fold.NewMapped(c.text, hanzi.Simplify).Index(q, 0); s < 0 {
			t.Errorf("search: %q does not find %q", c.term, c.text)
		}
		p := &Plan{Decisions: []Decision{{Op: OpRemove, Type: Type(c.typ), Start: Every, Original: c.term, Replacement: "[x]"}}}
		if len(p.Residual(Content{Where: "t", Text: c.text})) == 0 {
			t.Errorf("residual: %q not caught in %q", c.term, c.text)
		}
	}
}
