package redact

import (
	"fmt"
	"slices"
	"strings"
)

// Identifiers made of digits are found here, not with regular
// expressions: RE2 has no lookbehind, so "\d{11}" also matches the last
// eleven digits of an eighteen-digit ID. Instead the normalised text is cut
// into digit groups, groups separated by at most three spaces, dashes,
// dots or brackets are chained ("010-1234-5678", "138 0013 8000"), and
// every run of whole groups in a chain is offered to the validators. A
// number therefore never starts or ends inside a group of digits: that is
// the guard the table in DOMAIN.md asks for.

// maxChainDigits bounds the digits in a run offered to validators; the
// longest identifier (an international number with 00 prefix) has 17.
const maxChainDigits = 20

// minLongNumber is the length from which an unclaimed digit run is still
// suggested, as [TypeNumber]: bank cards, passports, accounts.
const minLongNumber = 8

// Context words, lower case.
var (
	idWords = []string{
		"身份证", "身份證", "证件", "證件", "公民证", "居民证", "신분증", "주민등록", "주민번호",
		"등록번호", "공민증", "id", "identity", "resident",
	}
	phoneWords = []string{
		"전화", "번호", "연락처", "핸드폰", "휴대폰", "손전화", "폰", "电话", "電話", "手机",
		"手機", "号码", "號碼", "联系", "聯繫", "打给", "phone", "tel", "mobile", "cell", "call", "number",
	}
	qqWords = []string{"qq", "扣扣", "企鹅号", "q号", "큐큐"}
)

// group is a run of ASCII digits in the normalised text, possibly ending
// in an X (the PRC ID check character).
type group struct{ s, e int }

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// joinable reports whether the bytes between two digit groups are a digit
// separator: one or two spaces, a dash with or without spaces around it, a
// dot alone, or a closing bracket ("(010)1234"). A dot and a space is the
// end of a sentence: "…1594054. 2009-05-17" is two numbers.
func joinable(gap string) bool {
	switch strings.Trim(gap, " ") {
	case "":
		return len(gap) >= 1 && len(gap) <= 2
	case "-", ")", ")-", "(":
		return len(gap) <= 3
	case ".":
		return gap == "."
	}
	return false
}

// digits finds the digit chains of the text and offers each to
// [scan.chain].
func (s *scan) digits() {
	n := s.t.Norm
	var chain []group
	for i := 0; i < len(n); {
		if !isDigit(n[i]) {
			i++
			continue
		}
		j := i
		for j < len(n) && isDigit(n[j]) {
			j++
		}
		if j < len(n) && (n[j] == 'X' || n[j] == 'x') && (j+1 == len(n) || !isASCIIAlnum(n[j+1])) {
			j++
		}
		g := group{i, j}
		if len(chain) > 0 && joinable(n[chain[len(chain)-1].e:i]) && !strings.ContainsAny(n[chain[len(chain)-1].s:chain[len(chain)-1].e], "Xx") {
			chain = append(chain, g)
		} else {
			s.chain(chain)
			chain = []group{g}
		}
		i = j
	}
	s.chain(chain)
}

// digitMatch is one reading of a run of groups.
type digitMatch struct {
	first, last int // groups
	c           cand
	ndigits     int
}

// chain offers every run of whole groups to the validators, keeps the
// best non-overlapping readings, and suggests what is left if it is long.
func (s *scan) chain(gs []group) {
	if len(gs) == 0 {
		return
	}
	n := s.t.Norm
	if dottedQuad(n, gs) {
		// 192.168.10.254 is an IP address (see online.go), not
		// the mobile number 19216810254.
		return
	}
	embedded := insideCode(n, gs[0].s, gs[len(gs)-1].e)
	var found []digitMatch
	for i := range gs {
		var d strings.Builder
		start, plus := gs[i].s, false
		if k := plusBefore(n, gs[i].s); k >= 0 {
			start, plus = k, true
		}
		for j := i; j < len(gs); j++ {
			part := n[gs[j].s:gs[j].e]
			d.WriteString(part)
			if d.Len() > maxChainDigits {
				break
			}
			for _, c := range s.readDigits(d.String(), plus, start, gs[j].e) {
				if embedded && !(c.Type == TypePRCID && c.Validation == Valid) {
					// Digits inside a code (a hash, a reference) are
					// not a number of their own; only a checksum is
					// strong enough to say otherwise.
					continue
				}
				found = append(found, digitMatch{i, j, c, d.Len()})
			}
		}
	}
	slices.SortStableFunc(found, func(a, b digitMatch) int {
		if a.c.Score != b.c.Score {
			if a.c.Score > b.c.Score {
				return -1
			}
			return 1
		}
		return b.ndigits - a.ndigits
	})
	claimed := make([]bool, len(gs))
	for _, m := range found {
		if slices.Contains(claimed[m.first:m.last+1], true) {
			continue
		}
		for k := m.first; k <= m.last; k++ {
			claimed[k] = true
		}
		s.add(m.c)
	}
	// What no validator claimed: a long run of digits is still
	// suggested. Bank cards, passports and account numbers look like
	// this.
	for i := 0; i < len(gs); {
		if claimed[i] {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(gs) && !claimed[j] {
			digits += gs[j].e - gs[j].s
			j++
		}
		if digits >= minLongNumber && !embedded {
			c := cand{Candidate: Candidate{Type: TypeNumber, Start: gs[i].s, End: gs[j-1].e, Score: 0.55,
				Explanation: fmt.Sprintf("a number of %d digits that no check recognises (bank card, passport or account numbers look like this)", digits)}}
			s.add(c)
		}
		i = j
	}
}

// plusBefore returns the offset of a '+' just before a digit group
// ("+86", "(+82)", "+ 850"), or -1.
func plusBefore(n string, i int) int {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch n[k] {
		case '+':
			return k
		case ' ', '(':
			continue
		}
		return -1
	}
	return -1
}

// readDigits returns every identifier reading of the digits d, which span
// [ns, ne) of the normalised text (including a leading '+' if plus).
func (s *scan) readDigits(d string, plus bool, ns, ne int) []cand {
	var out []cand
	mk := func(t Type, score float64, v Validation, ctx, expl string) {
		out = append(out, cand{Candidate: Candidate{Type: t, Start: ns, End: ne, Score: score, Validation: v, Context: ctx, Explanation: expl}})
	}
	if strings.ContainsAny(d, "Xx") {
		if len(d) == 18 && !plus {
			if v, ok := checkPRCID(d); ok {
				ctx, _ := s.context(ns, ne, idWords)
				mk(TypePRCID, prcIDScore(v), v, ctx, prcIDExplanation(v)+withContext(ctx))
			}
		}
		return out
	}
	if !plus {
		switch len(d) {
		case 18:
			if v, ok := checkPRCID(d); ok {
				ctx, _ := s.context(ns, ne, idWords)
				mk(TypePRCID, prcIDScore(v), v, ctx, prcIDExplanation(v)+withContext(ctx))
			}
		case 15:
			if v, ok := checkPRCOldID(d); ok {
				ctx, _ := s.context(ns, ne, idWords)
				mk(TypePRCOldID, 0.85, v, ctx, "PRC first-generation ID: area code and birth date hold (this form has no check digit)"+withContext(ctx))
			}
		case 13:
			if v, ok := checkRRN(d); ok {
				ctx, _ := s.context(ns, ne, idWords)
				if v == Valid {
					mk(TypeRRN, 1, v, ctx, "ROK resident registration number: birth date and check digit hold"+withContext(ctx))
				} else {
					mk(TypeRRN, 0.8, v, ctx, "ROK resident registration number shape: birth date holds, check digit does not (numbers issued since October 2020 have none)"+withContext(ctx))
				}
			}
		}
	}
	if p, ok := s.readPhone(d, plus); ok {
		ctx, near := s.context(ns, ne, phoneWords)
		score := p.score
		if near {
			score += 0.05
		}
		mk(TypePhone, score, p.v, ctx, p.what+withContext(ctx))
	} else if !plus && (len(d) == 7 || len(d) == 8) && d[0] != '0' {
		// A local number without area code: only with a phone word
		// right next to it.
		if ctx, near := s.context(ns, ne, phoneWords); near {
			mk(TypePhone, 0.6, Unknown, ctx, "a local telephone number without area code"+withContext(ctx))
		}
	}
	if !plus && len(d) >= 5 && len(d) <= 11 && d[0] != '0' {
		// The QQ word comes first: "QQ：12345678", "扣扣号是…". A QQ
		// word after a number belongs to the next one.
		if ctx := findWord(s.t.before(ns, nearRunes), qqWords); ctx != "" {
			mk(TypeQQ, 0.8, Unknown, ctx, fmt.Sprintf("a %d-digit number after a QQ word", len(d))+withContext(ctx))
		}
	}
	return out
}

func prcIDScore(v Validation) float64 {
	if v == Valid {
		return 1
	}
	return 0.75
}

func prcIDExplanation(v Validation) string {
	if v == Valid {
		return "PRC resident ID: area code, birth date and check character hold"
	}
	return "PRC resident ID shape: area code and birth date hold but the check character does not (a typo, or another number)"
}

// withContext is the explanation's note on a context word.
func withContext(ctx string) string {
	if ctx == "" {
		return ""
	}
	return fmt.Sprintf("; context word %q", ctx)
}

// phoneQuery is a question to readPhone: the digits, and whether a +
// stood before them.
type phoneQuery struct {
	digits string
	plus   bool
}

// phoneAnswer is readPhone's answer to a phoneQuery.
type phoneAnswer struct {
	p  phoneReading
	ok bool
}

// readPhone is the package's readPhone with its answers remembered for
// this scan: a number is offered once per run of groups it is part of.
func (s *scan) readPhone(d string, plus bool) (phoneReading, bool) {
	if s.phones == nil {
		s.phones = map[phoneQuery]phoneAnswer{}
	}
	q := phoneQuery{d, plus}
	if a, ok := s.phones[q]; ok {
		return a.p, a.ok
	}
	p, ok := readPhone(d, plus)
	s.phones[q] = phoneAnswer{p, ok}
	return p, ok
}

// dottedQuad reports whether a chain is four groups of one to three
// digits joined by single dots.
func dottedQuad(n string, gs []group) bool {
	if len(gs) != 4 {
		return false
	}
	for i, g := range gs {
		if g.e-g.s > 3 || !allDigits(n[g.s:g.e]) {
			return false
		}
		if i > 0 && n[gs[i-1].e:g.s] != "." {
			return false
		}
	}
	return true
}

// codePrefixes are words glued to a number that introduce it rather than
// make it part of a code: tel13800138000, QQ12345678, ID110105….
var codePrefixes = []string{"tel", "phone", "mobile", "cell", "qq", "wx", "no", "id", "num"}

// insideCode reports whether the digits at [s, e) are glued into a longer
// run of ASCII letters and digits that holds at least three letters
// besides a prefix such as "tel": CANARY3f92845617a0 is one code, not
// the number 92845617.
func insideCode(n string, s, e int) bool {
	alnum := func(b byte) bool { return isASCIIAlnum(b) || b == '_' }
	a, b := s, e
	for a > 0 && alnum(n[a-1]) {
		a--
	}
	for b < len(n) && alnum(n[b]) {
		b++
	}
	if a == s && b == e {
		return false
	}
	before := strings.ToLower(n[a:s])
	for _, p := range codePrefixes {
		if before == p {
			before = ""
		}
	}
	letters := 0
	for _, c := range []byte(before + n[e:b]) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			letters++
		}
	}
	for _, c := range []byte(n[s:e]) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			letters++
		}
	}
	return letters >= 3
}
