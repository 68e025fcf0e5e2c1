package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// Matching in any spelling. A term and a text are both turned into a key:
// each rune lower-cased, Hangul folded to its South Korean initial sound
// (fold.Initial, so 리 = 이 = 니 and 로 = 노), Han characters folded to
// Simplified (hanzi.Simplify), Latin letters without diacritics (ŏ = o),
// and spaces and punctuation dropped (so "김 영희", "138-0013-8000" and
// "Young-hee" match "김영희", "13800138000" and "Younghee"). A term is
// found wherever its key occurs in the text's key.
//
// Comparing keys is the same as trying every expanded spelling (what
// fold.Variants and hanzi.Variants list) against the text, without the
// exponential list: two runes have the same key exactly when one is an
// alternative of the other. The tests check that equivalence.

// skipped reports whether r is left out of keys.
func skipped(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '+' || r == '·' || r == '•'
}

// keyRune returns the key of one rune of normalised text.
func keyRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case isHangul(r):
		return fold.Initial(r)
	case isHan(r):
		return hanzi.Simplify(r)
	case r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF:
		// Latin with diacritics, as in McCune–Reischauer (Hoeryŏng)
		// and pinyin with tones (Lǐ): the base letter.
		d := norm.NFD.String(string(r))
		b, _ := utf8.DecodeRuneInString(d)
		return unicode.ToLower(b)
	}
	return unicode.ToLower(r)
}

// matchKey returns the key of s.
func matchKey(s string) string {
	return normKey(Normalize(s).Norm)
}

// normKey returns the key of a string that is already normalised (a
// slice of Text.Norm), without normalising it again.
func normKey(s string) string {
	var b []byte
	for _, r := range s {
		if !skipped(r) {
			b = utf8.AppendRune(b, keyRune(r))
		}
	}
	return string(b)
}

func indexFrom(s, sub string, off int) int {
	i := strings.Index(s[off:], sub)
	if i < 0 {
		return -1
	}
	return i + off
}

// keyed is the key of a normalised text with a map back to it.
type keyed struct {
	norm string
	key  string
	at   []int32 // for each byte of key: where its rune starts in norm
	end  []int32 // for each byte of key: where its rune ends in norm
}

func newKeyed(normText string) *keyed {
	k := &keyed{norm: normText}
	var b strings.Builder
	b.Grow(len(normText))
	k.at = make([]int32, 0, len(normText))
	k.end = make([]int32, 0, len(normText))
	for i, r := range normText {
		if skipped(r) {
			continue
		}
		n := utf8.RuneLen(r)
		kr := keyRune(r)
		before := b.Len()
		b.WriteRune(kr)
		for range b.Len() - before {
			k.at = append(k.at, int32(i))
			k.end = append(k.end, int32(i+n))
		}
	}
	k.key = b.String()
	return k
}

// each calls fn with the normalised span of every occurrence of termKey,
// left to right, not overlapping. fn returns false to stop.
func (k *keyed) each(termKey string, fn func(ns, ne int) bool) {
	if termKey == "" {
		return
	}
	for off := 0; off < len(k.key); {
		i := strings.Index(k.key[off:], termKey)
		if i < 0 {
			return
		}
		i += off
		j := i + len(termKey)
		if !fn(int(k.at[i]), int(k.end[j-1])) {
			return
		}
		off = j
	}
}

// bounded reports whether the span [ns, ne) of a normalised text starts
// and ends at a word edge for Latin letters and digits: "kim" is not
// found in "Kimchi", nor "138" in "1380". Hangul and Han have no such
// edge: names and places run into particles and compounds.
func bounded(normText string, ns, ne int) bool {
	first, _ := utf8.DecodeRuneInString(normText[ns:])
	last, _ := utf8.DecodeLastRuneInString(normText[:ne])
	if ns > 0 {
		prev, _ := utf8.DecodeLastRuneInString(normText[:ns])
		if sameWordClass(prev, first) {
			return false
		}
	}
	if ne < len(normText) {
		next, _ := utf8.DecodeRuneInString(normText[ne:])
		if sameWordClass(last, next) {
			return false
		}
	}
	return true
}

func sameWordClass(a, b rune) bool {
	da, db := unicode.IsDigit(a), unicode.IsDigit(b)
	if da && db {
		return true
	}
	la := unicode.IsLetter(a) && !isHangul(a) && !isHan(a)
	lb := unicode.IsLetter(b) && !isHangul(b) && !isHan(b)
	return la && lb
}
