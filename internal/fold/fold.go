// Package fold prepares text for search and redaction so that the same word
// matches however it was typed or spelled: NFKC (full-width digits and
// letters become ASCII, compatibility jamo compose), lower case, and the
// North/South Korean initial-sound rule (두음법칙): South Korean spelling
// writes 이, 임, 유, 노동, 여자, 양강도 where North Korean keeps 리, 림, 류,
// 로동, 녀자, 량강도.
//
// # Basics
//
// [String] gives the search form of a string: each word's first syllable
// folded to the South Korean initial sound. [New] prepares a text for
// matching and [Text.Index] finds a query in it, returning byte offsets
// into the NFKC form of the text, for snippets and highlighting.
//
// # Two modes
//
// Search ([New], [NewMapped], [String]) folds every spelling to one form and
// compares forms: NFKC, case, the initial-sound rule at word starts,
// separators between digits left out, a dash between letters read as a
// space, and (with [NewMapped] and hanzi.Simplify, as review search does)
// Traditional Chinese as Simplified. It may over-match a little.
//
// Residual ([Alternatives], [Variants], [Expand], used by review/redact)
// goes the other way: from one term, every spelling it may appear in, so
// that a check can show none survives. Its normalisation (redact.Normalize)
// also drops invisible characters, and it ignores separators altogether.
// TestSearchAndResidualFoldAlike (review/redact) holds that the two modes
// fold the same spellings together.
//
// # Caveats
//
// The initial-sound rule applies at the start of a word, but compounds hide
// word starts: 조선로동당 is 조선+로동+당. So a match lets a query's word start
// fall anywhere in the text (the text's syllable there is folded as if it
// started a word), while syllables inside the query's words must match
// exactly. 로동 and 노동 then both find 조선로동당 and 조선노동당, but 근로
// does not find 근노. Search may over-match a little; it never misses a
// spelling variant the rule covers.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Hangul syllable arithmetic (Unicode 3.12): a syllable is
// 0xAC00 + (initial*21 + medial)*28 + final.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
	medials     = 21
	finals      = 28

	initialN = 2  // ㄴ
	initialR = 5  // ㄹ
	initialO = 11 // ㅇ (silent)
)

// iotated reports whether a medial vowel index is one of ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ,
// the vowels before which South Korean drops an initial ㄹ or ㄴ.
func iotated(medial int) bool {
	switch medial {
	case 20, 2, 6, 12, 17, 7: // ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ
		return true
	}
	return false
}

// Initial folds a syllable as if it started a word: ㄹ before ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ
// becomes ㅇ, ㄹ before other vowels becomes ㄴ, and ㄴ before ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ
// becomes ㅇ. Any other rune is returned as it is.
func Initial(r rune) rune {
	if r < hangulFirst || r > hangulLast {
		return r
	}
	s := int(r - hangulFirst)
	initial, medial, final := s/(medials*finals), s/finals%medials, s%finals
	switch {
	case initial == initialR && iotated(medial):
		initial = initialO
	case initial == initialR:
		initial = initialN
	case initial == initialN && iotated(medial):
		initial = initialO
	default:
		return r
	}
	return rune(hangulFirst + (initial*medials+medial)*finals + final)
}

// inWord reports whether r continues a word, so that the rune after it does
// not start one.
func inWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// Text is a string prepared for matching. The zero value is an empty text.
type Text struct {
	// Norm is the NFKC form of the string. Offsets returned by Index are
	// into Norm.
	Norm string

	offs  []int  // byte offset in Norm of each rune, and len(Norm) at the end
	ends  []int  // byte offset in Norm just after each rune
	plain []rune // each rune in lower case
	word  []rune // each rune lower-cased and folded as if it started a word
	start []bool // the rune starts a word
}

// New prepares s for matching. Invalid UTF-8 becomes U+FFFD first, so that
// every offset in Norm falls on a rune boundary.
//
// Besides NFKC, case and the initial-sound rule, the search form leaves
// out a space, dash or dot between two digits (139 1234 5678, 139-1234-5678
// and 13912345678 are one number), and reads a dash between two letters as
// a space (Young-hee as young hee), as the residual check does.
func New(s string) *Text { return NewMapped(s, nil) }

// NewMapped is New with each rune, after lower-casing, passed through m:
// search gives hanzi.Simplify, so that Traditional and Simplified Chinese
// characters match (劉 and 刘, 蘭 and 兰), as the residual check's variants
// do. (Package hanzi builds on this one, so it cannot be called from here.)
func NewMapped(s string, m func(rune) rune) *Text {
	t := &Text{Norm: norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))}
	type at struct {
		r    rune
		i, e int
	}
	var rs []at
	for i, r := range t.Norm {
		rs = append(rs, at{r, i, i + utf8.RuneLen(r)})
	}
	prev := rune(-1)
	for k, x := range rs {
		r := x.r
		if isDash(r) {
			r = '-'
		}
		next := rune(-1)
		if k+1 < len(rs) {
			next = rs[k+1].r
		}
		if (r == ' ' || r == '-' || r == '.') && unicode.IsDigit(prev) && next >= 0 && unicode.IsDigit(next) {
			continue // a digit group separator: 139 1234 5678
		}
		if r == '-' && unicode.IsLetter(prev) && next >= 0 && unicode.IsLetter(next) {
			r = ' ' // Young-hee, Kim Yong-hui
		}
		lower := unicode.ToLower(r)
		if m != nil {
			lower = m(lower)
		}
		t.offs = append(t.offs, x.i)
		t.ends = append(t.ends, x.e)
		t.plain = append(t.plain, lower)
		t.word = append(t.word, Initial(lower))
		t.start = append(t.start, prev < 0 || !inWord(prev))
		prev = r
	}
	t.offs = append(t.offs, len(t.Norm))
	return t
}

// isDash reports whether r is one of the dashes people type for a hyphen.
func isDash(r rune) bool {
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－':
		return true
	}
	return false
}

// String returns the search form of s: NFKC, lower case, and the first
// syllable of each word folded by [Initial]. Two spellings the rule
// covers have the same search form when they stand as whole words.
//
// Lower-casing after NFKC can leave a sequence NFKC would compose (J and a
// combining caron become j and the caron, which NFKC writes as ǰ), so the
// form is folded again until it no longer changes: the search form of a
// search form is itself (FuzzFold).
func String(s string) string {
	f := foldOnce(s)
	for range 4 {
		again := foldOnce(f)
		if again == f {
			break
		}
		f = again
	}
	return f
}

// foldOnce folds s in one pass, rune for rune of its NFKC form.
func foldOnce(s string) string {
	t := New(s)
	out := make([]rune, len(t.plain))
	for i := range t.plain {
		if t.start[i] {
			out[i] = t.word[i]
		} else {
			out[i] = t.plain[i]
		}
	}
	return string(out)
}

// Len returns the number of runes in the text.
func (t *Text) Len() int { return len(t.plain) }

// Index returns the byte offsets in t.Norm of the first match of q at or
// after rune from, or -1, -1. An empty query matches nothing.
func (t *Text) Index(q *Text, from int) (start, end int) {
	n := len(q.plain)
	if n == 0 {
		return -1, -1
	}
	for p := max(from, 0); p+n <= len(t.plain); p++ {
		if t.matchAt(q, p) {
			return t.offs[p], t.ends[p+n-1]
		}
	}
	return -1, -1
}

// RuneAt returns the rune index of byte offset off in t.Norm, for
// continuing a search after a match.
func (t *Text) RuneAt(off int) int {
	lo, hi := 0, len(t.offs)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if t.offs[mid] < off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func (t *Text) matchAt(q *Text, p int) bool {
	for i := range q.plain {
		if q.start[i] {
			// A word start in the query may fall inside a compound in
			// the text: compare both as word starts.
			if q.word[i] != t.word[p+i] {
				return false
			}
		} else if q.plain[i] != t.plain[p+i] {
			return false
		}
	}
	return true
}
