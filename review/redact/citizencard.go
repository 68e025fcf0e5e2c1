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
		start := prev.s
		p := s.cardPlace(prev, &start)
		if p == nil && prev.script == scriptHan {
			// The place is the end of a Chinese run: 我的公民证号是平城.
			start = prev.e - len(lastRunes(name, 2))
		}
		ctx, _ := s.context(start, tk.e, cardWords)
		if p == nil {
			// A place the gazetteer does not know still counts when a
			// citizen-card word is near: the last two characters of a
			// Chinese run, a Hangul word of two to four syllables, or a
			// capitalised word.
			if ctx == "" {
				continue
			}
			switch prev.script {
			case scriptHan:
				tail := lastRunes(name, 2)
				if utf8.RuneCountInString(tail) < 2 {
					continue
				}
				start = prev.e - len(tail)
			case scriptHangul:
				if k := utf8.RuneCountInString(name); k < 2 || k > 5 {
					continue
				}
			case scriptLatin:
				if !isUpper(name[0]) {
					continue
				}
			default:
				continue
			}
			s.add(cand{Candidate: Candidate{Type: TypeCitizenCard, Start: start, End: tk.e, Score: 0.8, Context: ctx,
				Explanation: "a place name and six digits next to a citizen-card word" + withContext(ctx)}})
			continue
		}
		score := 0.55
		if ctx != "" {
			score = 0.9
		}
		s.add(cand{Candidate: Candidate{Type: TypeCitizenCard, Start: start, End: tk.e, Score: score, Context: ctx,
			Explanation: "a DPRK place name and six digits: the shape of a citizen card number" + withContext(ctx)}})
	}
}

// cardPlace returns the DPRK place the gazetteer knows at the end of the
// token before a card number (a Hangul word, the tail of a Chinese run, a
// Latin word), moving *start to where its name begins; nil if none.
func (s *scan) cardPlace(prev token, start *int) *gazPlace {
	g := theGazetteer()
	name := prev.text(s.t.Norm)
	kp := func(p *gazPlace) bool { return p != nil && strings.HasPrefix(p.key, "kp-") }
	switch prev.script {
	case scriptHan:
		for k := 5; k >= 2; k-- {
			tail := lastRunes(name, k)
			if utf8.RuneCountInString(tail) != k {
				continue
			}
			// The place as written, or written without its suffix
			// (平城 for 平城市, 朔州 for 朔州郡).
			for _, sf := range []string{"", "市", "郡", "区域"} {
				if p := g.lookup(tail + sf); kp(p) {
					*start = prev.e - len(tail)
					return p
				}
			}
		}
	case scriptHangul, scriptLatin:
		if p := g.lookup(name); kp(p) {
			return p
		}
		for _, sf := range []string{"시", "군", "구역"} {
			if stem, ok := strings.CutSuffix(name, sf); ok && utf8.RuneCountInString(stem) >= 2 {
				if p := g.lookup(stem); kp(p) {
					return p
				}
			}
		}
	}
	return nil
}
