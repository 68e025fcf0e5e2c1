package redact

import (
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrTooLarge means a text is longer than [MaxTextBytes].
var ErrTooLarge = errors.New("redact: the text is too large")

// defaultThreshold is the score from which a candidate is proposed for
// redaction. Recall matters more than precision here: a false alarm costs
// the editor a keystroke, a miss can cost a life.
const defaultThreshold = 0.5

// minScore is the score below which a candidate is not listed at all.
const minScore = 0.2

// Options configures [Analyze] and [Suggest]. The zero value finds
// everything the detectors know and suggests year-level dates and
// province-level places.
type Options struct {
	// Mentioned are the terms the survivor listed as people (or places)
	// she mentioned. Each is found wherever it appears, in any spelling.
	Mentioned []Term
	// Names is the organisation's own list of names to look for in every
	// statement: known brokers, officials, staff, safe houses.
	Names []Term
	// Remembered are terms an editor confirmed as a name or a place in
	// another statement of the same workspace. Each is found wherever it
	// appears, in any spelling; one that is also an everyday word (보람,
	// 하늘, 高兴) only with a word that names people or places next to
	// it.
	Remembered []Term
	// Threshold is the score from which a candidate is proposed for
	// redaction; lower ones are listed as "keep". Zero means 0.5.
	Threshold float64
	// DateLevel is how far exact dates are generalised. The zero value
	// keeps the year only.
	DateLevel DateLevel
	// PlaceLevel is how far places are generalised. The zero value keeps
	// the province only.
	PlaceLevel PlaceLevel
	// Seed draws the pseudonyms of a new plan. Zero means a random seed,
	// which is what real use wants; tests set it to get the same plan
	// every time.
	Seed uint64
}

// DateLevel is the precision a generalised date keeps.
type DateLevel int

// Date levels.
const (
	DateYear  DateLevel = iota // 2019년
	DateMonth                  // 2019년 3월
)

// PlaceLevel is the precision a generalised place keeps.
type PlaceLevel int

// Place levels.
const (
	PlaceProvince PlaceLevel = iota // 함경북도, 吉林省
	PlaceCounty                     // 회령시, 延吉市
)

// A Term is a word to find wherever it appears in any spelling: North and
// South Korean initial sounds, Simplified and Traditional characters,
// full-width forms, with or without spaces.
type Term struct {
	Text string
	// Type is what the term is; empty means [TypeName].
	Type Type
	// Spellings are other ways the same term is written that no rule
	// derives: romanisations ("Ri Yong Hui"), Hanja, nicknames.
	Spellings []string
}

func (o *Options) threshold() float64 {
	if o == nil || o.Threshold <= 0 {
		return defaultThreshold
	}
	return o.Threshold
}

// cand is a candidate while the scan runs: Start and End are offsets in
// the normalised text until [scan.resolve] maps them back.
type cand struct {
	Candidate
	surname, given string // a name's parts, in Norm, when known
	person         string // the person a name mention belongs to, if known
}

// scan holds one analysis.
type scan struct {
	t     *Text
	o     *Options
	cands []cand
	toks  []token
	kv    *keyed
	// placeParts are the single places of every chain, for finding
	// their other mentions.
	placeParts []placeHit
	phones     map[phoneQuery]phoneAnswer // readPhone's answers
}

func (s *scan) add(c cand) {
	if c.Score < minScore || c.Start >= c.End {
		return
	}
	if (c.Type == TypeName || c.Type == TypePlace || c.Type == TypeOrg) && cutsWord(s.t.Norm, c.Start, c.End) {
		// HOERYONG in LYH_HOERYONG88 is part of an ID, not a place:
		// a replacement is a whole token or nothing.
		return
	}
	c.Score = min(c.Score, 1)
	s.cands = append(s.cands, c)
}

// cutsWord reports whether [ns, ne) starts or ends inside a word of
// Latin letters, digits and underscores.
func cutsWord(n string, ns, ne int) bool {
	inner := func(b byte) bool { return isASCIIAlnum(b) || b == '_' }
	return ns > 0 && inner(n[ns-1]) && inner(n[ns]) || ne < len(n) && inner(n[ne-1]) && inner(n[ne])
}

// Analyze runs every detector over text and returns the candidates, in
// order, none overlapping another: where two detectors claim the same
// bytes, the higher score wins. Every mention of a name found anywhere is
// found everywhere, in any spelling, and mentions of one person share a
// [Candidate.Person].
func Analyze(text string, opts *Options) ([]Candidate, error) {
	if len(text) > MaxTextBytes {
		return nil, ErrTooLarge
	}
	if opts == nil {
		opts = &Options{}
	}
	s := &scan{t: Normalize(text), o: opts}
	s.digits()
	s.online()
	s.gps()
	s.citizenCards()
	s.dates()
	s.places()
	s.orgs()
	s.names()
	s.terms()
	s.remembered()
	s.propagate()
	s.propagatePlaces()
	return s.resolve(), nil
}

// resolve drops candidates that overlap a better one, maps the rest back
// to the original text and numbers the persons.
func (s *scan) resolve() []Candidate {
	order := slices.Clone(s.cands)
	slices.SortStableFunc(order, func(a, b cand) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.End-a.Start != b.End-b.Start:
			return (b.End - b.Start) - (a.End - a.Start)
		case a.Type.priority() != b.Type.priority():
			return b.Type.priority() - a.Type.priority()
		}
		return a.Start - b.Start
	})
	var kept []cand // sorted by Start
	for _, c := range order {
		i, _ := slices.BinarySearchFunc(kept, c.Start, func(k cand, start int) int { return k.Start - start })
		if i > 0 && kept[i-1].End > c.Start || i < len(kept) && kept[i].Start < c.End {
			continue
		}
		kept = slices.Insert(kept, i, c)
	}
	persons := map[string]int{}
	out := make([]Candidate, 0, len(kept))
	for _, c := range kept {
		cd := c.Candidate
		cd.Start, cd.End = s.t.Span(c.Start, c.End)
		cd.Text = s.t.Orig[cd.Start:cd.End]
		if cd.Type == TypeName {
			key := personKey(c, s.t.Norm)
			if persons[key] == 0 {
				persons[key] = len(persons) + 1
			}
			cd.Person = persons[key]
		}
		out = append(out, cd)
	}
	return out
}

// Context windows, in runes.
const (
	nearRunes = 12 // a context word this close counts fully
	farRunes  = 40 // a context word this close counts a little
)

// before returns the lower-case normalised text in the n runes before
// byte i.
func (t *Text) before(i, n int) string {
	j := i
	for ; n > 0 && j > 0; n-- {
		_, k := utf8.DecodeLastRuneInString(t.lower[:j])
		j -= k
	}
	return t.lower[j:i]
}

// after returns the lower-case normalised text in the n runes from byte i.
func (t *Text) after(i, n int) string {
	j := i
	for ; n > 0 && j < len(t.lower); n-- {
		_, k := utf8.DecodeRuneInString(t.lower[j:])
		j += k
	}
	return t.lower[i:j]
}

// findWord returns the first of words (lower case) that occurs in window,
// or "". A word of ASCII letters must stand alone, not inside a longer
// ASCII word, so "wx" does not fire inside "wxyz" and "tel" not in
// "hotel".
func findWord(window string, words []string) string {
	for _, w := range words {
		if hasWord(window, w) {
			return w
		}
	}
	return ""
}

func hasWord(window, w string) bool {
	if w == "" {
		return false
	}
	if !isASCIIWord(w) {
		return strings.Contains(window, w)
	}
	for off := 0; ; {
		i := strings.Index(window[off:], w)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(w)
		if (i == 0 || !isASCIIAlnum(window[i-1])) && (j == len(window) || !isASCIIAlnum(window[j])) {
			return true
		}
		off = i + 1
	}
}

func isASCIIWord(w string) bool {
	for i := range len(w) {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// context looks for one of words near the span [ns, ne): first in the
// near window on either side, then in the far one. It returns the word
// and whether it was near.
func (s *scan) context(ns, ne int, words []string) (word string, near bool) {
	if w := findWord(s.t.before(ns, nearRunes), words); w != "" {
		return w, true
	}
	if w := findWord(s.t.after(ne, nearRunes), words); w != "" {
		return w, true
	}
	if w := findWord(s.t.before(ns, farRunes), words); w != "" {
		return w, false
	}
	if w := findWord(s.t.after(ne, farRunes), words); w != "" {
		return w, false
	}
	return "", false
}

// lang is the language of a stretch of text, for writing placeholders and
// generalisations in the language around them.
type lang int

const (
	langEn lang = iota
	langKo
	langZh
)

// langAt guesses the language around byte i of the normalised text.
func (t *Text) langAt(i int) lang { return langAround(t.Norm, i) }

// langAround guesses the language around byte i of s by counting Hangul,
// Han and Latin letters in a window of 40 runes on each side.
func langAround(s string, i int) lang {
	var ko, zh, en int
	count := func(s string) {
		for _, r := range s {
			switch {
			case isHangul(r):
				ko++
			case unicode.Is(unicode.Han, r):
				zh++
			case r < utf8.RuneSelf && unicode.IsLetter(r):
				en++
			}
		}
	}
	count(s[runeStart(s, i, 40):i])
	count(s[i:runeEnd(s, i, 40)])
	switch {
	case ko >= zh && ko*2 >= en && ko > 0:
		return langKo
	case zh > ko && zh*2 >= en:
		return langZh
	}
	return langEn
}

func runeStart(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, k := utf8.DecodeLastRuneInString(s[:i])
		i -= k
	}
	return i
}

func runeEnd(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, k := utf8.DecodeRuneInString(s[i:])
		i += k
	}
	return i
}

func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF || r >= 0x20000 && r <= 0x2FA1F
}
