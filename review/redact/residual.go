package redact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// The residual check is the last line of defence: before anything leaves
// the machine, every term the plan redacts is looked for again, in every
// spelling, in everything exported (the statement, file names, metadata
// strings). One hit blocks the export.
//
// Spellings covered, through match keys (see match.go): NFKC and width,
// upper and lower case, spaces and separators anywhere ("김 영희",
// "138-0013-8000"), the North/South initial sound on every syllable
// (리/이/니, 로/노, 녀/여/려), Simplified and Traditional characters in
// the hanzi table, Latin diacritics. Derived terms are added per type: a
// person's given name alone; each part of a redacted place chain that the
// generalisation does not keep, with and without its suffix (회령시 and
// 회령); a date in other notations (2019.3.5, 2019年3月5日, March 5, 2019);
// a phone number in national and international form. Romanisations are
// covered when the editor lists them as lines with span *.

// Content is one piece of exported output for [Plan.Residual].
type Content struct {
	// Where names the content for the editor: "statement", "file name
	// of attachment 2", "EXIF Artist of attachment 1".
	Where string
	Text  string
}

// A Leak is a redacted term found in exported content. It says where, not
// what: show the editor the content around Start and End.
type Leak struct {
	Where      string // Content.Where
	Start, End int    // byte offsets in Content.Text
	Decision   int    // index in Plan.Decisions of the decision whose term was found
	Line       int    // that decision's plan line, or its 1-based index for a plan built in code
	Type       Type   // that decision's type
	// Text is set only for a candidate no decision settles (see
	// [Plan.Unsettled]; Decision is -1): the term the detectors found,
	// for a caller that shows it to the editor. String never quotes it.
	Text string

	// For a term a decision redacts: the decision's place in her text
	// (TermStart is [Every] for a decision on every occurrence) and the
	// output's line the term is on (1-based). The output was never
	// written, so its byte offsets alone tell the editor nothing; the plan
	// line quotes the term, and her text has it at that place. The term
	// itself is not quoted here: errors go where testimony must not.
	TermStart, TermEnd int
	OutLine            int
}

func (l Leak) String() string {
	if l.Decision < 0 {
		return fmt.Sprintf("no plan line decides a %s the detectors find at bytes %d-%d of her text (%s, line %d): redact it or keep it with a plan line", l.Type, l.TermStart, l.TermEnd, l.Where, l.OutLine)
	}
	if l.OutLine == 0 {
		return fmt.Sprintf("%s, bytes %d-%d: a %s redacted on plan line %d", l.Where, l.Start, l.End, l.Type, l.Line)
	}
	place := fmt.Sprintf("at bytes %d-%d of her text", l.TermStart, l.TermEnd)
	if l.TermStart == Every {
		place = "on every occurrence, in any spelling"
	}
	return fmt.Sprintf("plan line %d redacts a %s (%s), yet %s still holds it, in some spelling, on its line %d", l.Line, l.Type, place, l.Where, l.OutLine)
}

// Residual looks for every term the plan redacts (every decision that is
// not keep) in each content, in any spelling, and returns every hit. An
// empty result is the condition for export.
func (p *Plan) Residual(contents ...Content) []Leak {
	type term struct {
		residualTerm
		decision, line int
		typ            Type
	}
	var terms []term
	for i, d := range p.Decisions {
		if d.Op == OpKeep {
			continue
		}
		for _, rt := range residualTerms(d) {
			terms = append(terms, term{rt, i, lineOf(d, i), d.Type})
		}
	}
	var leaks []Leak
	for _, c := range contents {
		t := Normalize(c.Text)
		kv := newKeyed(t.Norm)
		for _, rt := range terms {
			for _, h := range rt.find(kv, 0) {
				s, e := t.Span(h[0], h[1])
				d := p.Decisions[rt.decision]
				leaks = append(leaks, Leak{Where: c.Where, Start: s, End: e, Decision: rt.decision, Line: rt.line, Type: rt.typ,
					TermStart: d.Start, TermEnd: d.End, OutLine: 1 + strings.Count(c.Text[:s], "\n")})
			}
		}
	}
	return leaks
}

// residualTerm is one key to look for.
type residualTerm struct {
	key       string
	single    bool // one rune: a surname alone, matched only as a word or before an honorific
	wordStart bool // matched only at the start of a word: a place name without its suffix
}

// find returns the normalised spans of the term in kv, at most limit of
// them (0 for all).
func (rt residualTerm) find(kv *keyed, limit int) [][2]int {
	var out [][2]int
	n := kv.norm
	kv.each(rt.key, func(ns, ne int) bool {
		if !bounded(n, ns, ne) {
			return true
		}
		if rt.single && !standsAlone(n, ns, ne) {
			return true
		}
		if rt.wordStart && ns > 0 {
			prev, _ := utf8.DecodeLastRuneInString(n[:ns])
			first, _ := utf8.DecodeRuneInString(n[ns:])
			if scriptOf(prev) == scriptOf(first) {
				return true
			}
		}
		out = append(out, [2]int{ns, ne})
		return limit == 0 || len(out) < limit
	})
	return out
}

// standsAlone reports whether a one-rune term at [ns, ne) is a word by
// itself, or a surname used the way surnames are: 김씨, 金老板, 老金.
func standsAlone(n string, ns, ne int) bool {
	prev, _ := utf8.DecodeLastRuneInString(n[:ns])
	next, _ := utf8.DecodeRuneInString(n[ne:])
	if ns > 0 && (prev == '老' || prev == '小') {
		return true
	}
	if ns > 0 && (unicode.IsLetter(prev) || unicode.IsDigit(prev) || strings.ContainsRune(")]}」』”’'\"", prev)) {
		// Inside a word, a unit after a number (년 in 2022년 reads as
		// the surname 연 under the initial-sound rule), or a particle
		// after a bracket ("[장소]로").
		return false
	}
	if ne == len(n) || !unicode.IsLetter(next) {
		return true
	}
	rest := strings.TrimLeft(n[ne:], " ")
	for _, h := range koHonorific {
		if strings.HasPrefix(rest, h) {
			return true
		}
	}
	for _, h := range zhTitles {
		if strings.HasPrefix(rest, h) {
			return true
		}
	}
	return false
}

// Place suffixes stripped to find a place named without one: 회령시 → 회령.
var residualSuffixes = sortedByLength(strings.Fields(`로동자구 노동자구 자치주 구역 인민반 마을 도 시 군 읍 동 리 촌 향 현
	朝鲜族自治州 自治州 自治县 区域 省 市 州 县 区 旗 乡 镇 村 屯 郡 道 庄 街道
	-rodongjagu -nodongjagu -guyok -kuyok -dong -ri -gun -si -up -eup -do`))

var placeSplitRe = regexp.MustCompile(`[\s,，、/]+`)

// residualTerms lists what to look for after a decision: its original
// and the terms derived from it by type.
func residualTerms(d Decision) []residualTerm {
	var out []residualTerm
	seen := map[string]bool{}
	replKey := matchKey(d.Replacement)
	wordStart := false
	add := func(s string, derived bool) {
		k := matchKey(s)
		if k == "" || seen[k] {
			return
		}
		// A derived term a generalisation keeps is no leak: 함경북도
		// after generalising 함경북도 회령시 to 함경북도. (A pseudonym
		// gets no such pass: 박영희 for 김영희 keeps her given name.)
		if derived && d.Op == OpGeneralise && replKey != "" && strings.Contains(replKey, k) {
			return
		}
		if derived && (d.Type == TypePlace || d.Type == TypeOrg) && !strings.ContainsFunc(k, unicode.IsLetter) {
			// 14 from 14인민반: a bare number would block every 14.
			return
		}
		seen[k] = true
		out = append(out, residualTerm{key: k, single: utf8.RuneCountInString(k) == 1, wordStart: wordStart})
	}
	add(d.Original, false)
	norm := Normalize(d.Original).Norm
	switch d.Type {
	case TypeName, TypeTerm:
		for _, g := range givenNames(norm) {
			add(g, true)
		}
		// 金英姬 is 김영희 in a Korean text: the Hangul readings of a
		// name in Chinese characters (Unihan kHangul).
		if allHan(norm) {
			for _, rd := range hangulOf(norm, 2) {
				add(rd, true)
			}
		}
	case TypePlace, TypeOrg:
		for _, part := range placeParts(norm) {
			add(part, true)
			if strings.ContainsFunc(part, isHan) {
				// 光明 from 光明村 is the word "bright"; but 광명촌, its
				// Hangul reading with the suffix, is the village.
				if allHan(part) && utf8.RuneCountInString(part) >= 3 {
					for _, rd := range hangulOf(part, 2) {
						add(rd, true)
					}
				}
				continue
			}
			for _, sf := range residualSuffixes {
				if stem, ok := strings.CutSuffix(part, sf); ok && utf8.RuneCountInString(stem) >= 2 {
					// 회령 from 회령시, but not inside 흑룡강성 for 강성리.
					wordStart = true
					add(stem, true)
					wordStart = false
					break
				}
			}
		}
	case TypeDate:
		for _, f := range dateForms(norm) {
			add(f, true)
		}
	case TypePhone:
		for _, f := range phoneForms(norm) {
			add(f, true)
		}
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}

// givenNames returns the given name in a full name, if it is long enough
// to look for alone.
func givenNames(name string) []string {
	if strings.ContainsAny(name, " -") || scriptOf([]rune(name + " ")[0]) == scriptLatin {
		f := strings.Fields(name)
		if len(f) < 2 {
			return nil
		}
		var given string
		if romSurnames[strings.ToLower(f[0])] {
			given = strings.Join(f[1:], " ")
		} else {
			given = strings.Join(f[:len(f)-1], " ")
		}
		if len(matchKey(given)) >= 3 {
			return []string{given}
		}
		return nil
	}
	sn, given := splitOrWhole(name)
	if sn != "" && utf8.RuneCountInString(given) >= 2 {
		return []string{given}
	}
	return nil
}

// placeParts splits a place chain into its names: on spaces and commas,
// and in Han text after each administrative suffix.
func placeParts(chain string) []string {
	var out []string
	for _, p := range placeSplitRe.Split(chain, -1) {
		if p == "" {
			continue
		}
		if !strings.ContainsFunc(p, isHan) {
			out = append(out, p)
			continue
		}
		start := 0
		for i, r := range p {
			if strings.ContainsRune("省市州县区旗乡镇村屯郡道", r) {
				end := i + utf8.RuneLen(r)
				if end-start > utf8.RuneLen(r) {
					out = append(out, p[start:end])
				}
				start = end
			}
		}
		if start < len(p) {
			out = append(out, p[start:])
		}
	}
	return out
}

// dateForms returns a date in the other notations people write it in.
func dateForms(s string) []string {
	y, m, d := dateParts(s)
	if m == 0 || d == 0 {
		return nil
	}
	mon := enMonthNames[m-1]
	out := []string{
		fmt.Sprintf("%d월 %d일", m, d), fmt.Sprintf("%d月%d日", m, d), fmt.Sprintf("%d月%d号", m, d),
		fmt.Sprintf("%s %d", mon, d), fmt.Sprintf("%d %s", d, mon),
	}
	if y == 0 {
		return out
	}
	out = append(out,
		fmt.Sprintf("%d년 %d월 %d일", y, m, d), fmt.Sprintf("%d年%d月%d日", y, m, d),
		fmt.Sprintf("주체%d년 %d월 %d일", y-1911, m, d), fmt.Sprintf("%d.%d.%d", y, m, d),
		fmt.Sprintf("%d.%02d.%02d", y, m, d), fmt.Sprintf("%d %s %d", d, mon, y), fmt.Sprintf("%s %d, %d", mon, d, y),
		fmt.Sprintf("%d/%d/%d", m, d, y), fmt.Sprintf("%d/%d/%d", d, m, y), fmt.Sprintf("%02d/%02d/%d", m, d, y),
		fmt.Sprintf("%02d/%02d/%d", d, m, y),
	)
	return out
}

// dateParts reads year, month and day from a date a detector found; zero
// for a part that is missing. A Juche year is given as Gregorian.
func dateParts(s string) (y, m, d int) {
	nums := []int{}
	juche := strings.Contains(s, "주체") || strings.Contains(s, "主体")
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			if n := zhNumber(string(cur)); n >= 0 {
				nums = append(nums, n)
			} else if allDigits(string(cur)) {
				nums = append(nums, atoi(string(cur)))
			} else if v := zhYearDigits(string(cur)); v > 0 {
				nums = append(nums, v)
			}
		}
		cur = cur[:0]
	}
	for _, r := range s {
		if r >= '0' && r <= '9' || strings.ContainsRune("〇零一二三四五六七八九十", r) {
			cur = append(cur, r)
			continue
		}
		flush()
	}
	flush()
	if mo := monthInText(s); mo > 0 {
		// English: the month is a word; the numbers are day and year.
		m = mo
		for _, n := range nums {
			if n > 31 {
				y = n
			} else {
				d = n
			}
		}
		return y, m, d
	}
	switch len(nums) {
	case 2:
		m, d = nums[0], nums[1]
	case 3:
		y, m, d = nums[0], nums[1], nums[2]
		if y <= 31 && d > 31 {
			// d/m/yyyy or m/d/yyyy.
			y, m, d = d, y, m
			if m > 12 {
				m, d = d, m
			}
		}
	default:
		return 0, 0, 0
	}
	if juche && y > 0 && y < 1000 {
		y += 1911
	}
	if y > 0 && y < 100 {
		y += 2000
		if y > 2040 {
			y -= 100
		}
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0
	}
	return y, m, d
}

// zhYearDigits reads a year in Chinese digits: 二〇一九 → 2019.
func zhYearDigits(s string) int {
	n := 0
	for _, r := range s {
		i := zhDigit(r)
		if i < 0 {
			return 0
		}
		n = n*10 + i
	}
	return n
}

func monthInText(s string) int {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if m := monthOf(w); m > 0 && len(w) >= 3 {
			return m
		}
	}
	return 0
}

// phoneForms returns a telephone number in national and international
// form, as digits: 010-1234-5678 → 821012345678, 00821012345678,
// 1012345678, 01012345678.
func phoneForms(s string) []string {
	var digits strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	if d == "" {
		return nil
	}
	var tries []struct{ num, region string }
	switch {
	case strings.Contains(s, "+"):
		tries = append(tries, struct{ num, region string }{"+" + d, "ZZ"})
	case strings.HasPrefix(d, "00"):
		tries = append(tries, struct{ num, region string }{"+" + d[2:], "ZZ"})
	default:
		for _, r := range []string{"CN", "KR", "KP"} {
			tries = append(tries, struct{ num, region string }{d, r})
		}
		tries = append(tries, struct{ num, region string }{"+" + d, "ZZ"})
	}
	for _, t := range tries {
		n, err := phonenumbers.Parse(t.num, t.region)
		if err != nil || !phonenumbers.IsValidNumber(n) {
			continue
		}
		cc := fmt.Sprint(n.GetCountryCode())
		nsn := phonenumbers.GetNationalSignificantNumber(n)
		return []string{cc + nsn, "00" + cc + nsn, nsn, "0" + nsn}
	}
	return nil
}

// Unsettled is the second half of the residual check: it applies the plan
// to text, runs the detectors over the result, and returns a [Leak] for
// every candidate at the proposal threshold the plan does not settle. A
// candidate is settled when it lies in a replacement the plan wrote (a
// pseudonym, a placeholder, a generalisation), when a keep decision keeps
// its term in some spelling (the editor saw it and chose), or when a
// decision redacts its term (then [Plan.Residual] reports it). What is
// left is what the plan missed: the editor settles each with a plan line,
// "keep" or a redaction, before export. Leaks of this kind have Decision
// -1 and Line 0; TermStart and TermEnd are where the term is in her text
// (as a plan line gives it), OutLine its line in the output, and Text the
// term. opts are the options the detectors ran with for the plan.
func (p *Plan) Unsettled(text string, opts *Options) ([]Leak, error) {
	out, spans, err := p.apply(text)
	if err != nil {
		return nil, err
	}
	cands, err := Analyze(out, opts)
	if err != nil {
		return nil, err
	}
	decided := map[string]bool{}
	for _, d := range p.Decisions {
		decided[matchKey(d.Original)] = true
	}
	th := opts.threshold()
	var leaks []Leak
	for _, c := range cands {
		if c.Score < th {
			continue
		}
		i, _ := slices.BinarySearchFunc(spans, c.Start, func(s [3]int, at int) int {
			if s[1] <= at {
				return -1
			}
			return 1
		})
		// spans[i] is the first replacement ending after c.Start.
		if i < len(spans) && spans[i][0] < c.End && c.Start < spans[i][1] {
			continue
		}
		if decided[matchKey(c.Text)] {
			continue
		}
		// Outside every replacement, it is her own text, moved by the
		// replacements before it.
		shift := 0
		if i > 0 {
			shift = spans[i-1][2]
		}
		leaks = append(leaks, Leak{Where: "the redacted statement", Start: c.Start, End: c.End, Decision: -1, Type: c.Type, Text: c.Text,
			TermStart: c.Start - shift, TermEnd: c.End - shift, OutLine: 1 + strings.Count(out[:c.Start], "\n")})
	}
	return leaks, nil
}
