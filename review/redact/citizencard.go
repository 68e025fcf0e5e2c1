package redact

import (
	"strings"
	"unicode/utf8"
)

// A DPRK citizen card number is written after the place that issued it:
// "온성 153421". Six digits alone are too common to suggest, so the
// number is taken only after a place the gazetteer knows in the DPRK,
// and scored high only with a citizen-card word nearby, as DOMAIN.md
// asks.

var cardWords = []string{"공민증", "공민증번호", "신분증", "증명서", "公民证", "身份证", "证件", "citizen card", "citizen's card", "citizenship card", "id card", "identity card"}

func (s *scan) citizenCards() {
	n := s.t.Norm
	g := theGazetteer()
	toks := s.tokens()
	for i, tk := range toks {
		if tk.script != scriptDigit || tk.e-tk.s != 6 || i == 0 {
			continue
		}
		// The place right before, after a space or a dash, with or
		// without its suffix.
		prev := toks[i-1]
		if !gapOnly(n, prev.e, tk.s, "-") || tk.s-prev.e > 2 {
			continue
		}
		if tk.e < len(n) && (isDigit(n[tk.e]) || n[tk.e] == '-' && tk.e+1 < len(n) && isDigit(n[tk.e+1])) {
			continue
		}
		name := prev.text(n)
		p := g.lookup(name)
		if p == nil && prev.script == scriptHangul {
			for _, sf := range []string{"시", "군", "구역"} {
				if stem, ok := strings.CutSuffix(name, sf); ok && utf8.RuneCountInString(stem) >= 2 {
					p = g.lookup(stem)
				}
			}
		}
		if p == nil || !strings.HasPrefix(p.key, "kp-") {
			continue
		}
		ctx, _ := s.context(prev.s, tk.e, cardWords)
		score := 0.55
		if ctx != "" {
			score = 0.9
		}
		s.add(cand{Candidate: Candidate{Type: TypeCitizenCard, Start: prev.s, End: tk.e, Score: score, Context: ctx,
			Explanation: "a DPRK place name and six digits: the shape of a citizen card number" + withContext(ctx)}})
	}
}
