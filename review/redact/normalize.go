package redact

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTextBytes bounds a text given to [Analyze], [Apply] and the residual
// check. A statement is a few hundred kilobytes at most; the limit keeps
// offsets in 32 bits and the work per call bounded.
const MaxTextBytes = 64 << 20

// Text is a normalised view of a string with a map back to it. Detectors
// read Norm; every span they find maps back to exact byte offsets in Orig
// with [Text.Span], so a plan names the bytes the survivor wrote, not the
// normalised ones.
//
// Norm is Orig with:
//   - NFKC applied, so full-width digits and letters become ASCII, the
//     ideographic space becomes a space, and compatibility jamo compose;
//   - every dash-like character (‐ ‑ ‒ – — ― − ﹣) written as '-';
//   - invisible characters removed: format characters (zero-width space and
//     joiners, soft hyphen, bidi controls, byte order mark), variation
//     selectors, the combining grapheme joiner and the Hangul fillers,
//     which can be slipped into a name or number to break a match.
//
// Digit separators are not removed here, because "1990 13812345678" must
// stay two numbers; [digitChains] joins digit groups across separators
// when it looks for identifiers, and the residual check ignores separators
// altogether.
type Text struct {
	Orig string // the text as given
	Norm string // the normalised text

	// from[i] and to[i] are the bytes of Orig that produced Norm[i]: the
	// NFKC segment it came from. from has one more entry, len(Orig).
	from []int32
	to   []int32
	// lower is Norm with ASCII letters in lower case, same offsets, for
	// matching context words and patterns without regexp's (?i) cost.
	lower string
}

// invisible reports whether r is dropped from the normalised text.
func invisible(r rune) bool {
	switch {
	case r == 0x034F, // combining grapheme joiner
		r >= 0xFE00 && r <= 0xFE0F,   // variation selectors
		r >= 0xE0100 && r <= 0xE01EF, // variation selectors supplement
		r == 0x115F, r == 0x1160,     // Hangul choseong and jungseong fillers
		r == 0x3164, r == 0xFFA0, // Hangul filler, half-width filler
		r == 0x180E, // Mongolian vowel separator
		r == 0x2800: // Braille blank, used as an invisible space
		return true
	}
	return r >= 0x80 && unicode.Is(unicode.Cf, r)
}

// dash folds dash-like characters to '-'.
func dash(r rune) rune {
	switch r {
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0x2043:
		return '-'
	}
	return r
}

// Normalize returns the normalised view of s. s longer than
// [MaxTextBytes] is the caller's error; Normalize does not check.
func Normalize(s string) *Text {
	t := &Text{Orig: s}
	buf := make([]byte, 0, len(s)+len(s)/8)
	t.from = make([]int32, 0, len(s)+1)
	t.to = make([]int32, 0, len(s)+1)
	emit := func(b []byte, p0, p1 int) {
		buf = append(buf, b...)
		for range b {
			t.from = append(t.from, int32(p0))
			t.to = append(t.to, int32(p1))
		}
	}
	var rb [utf8.UTFMax]byte
	// emitRune appends one rune of the normalised text that came from
	// Orig[p0:p1], dropping invisible ones and folding dashes.
	emitRune := func(r rune, p0, p1 int) {
		if r == utf8.RuneError {
			// Invalid UTF-8 stays a replacement character: it must
			// still map back to its byte.
			emit([]byte(string(utf8.RuneError)), p0, p1)
			return
		}
		if invisible(r) {
			return
		}
		r = dash(r)
		k := utf8.EncodeRune(rb[:], r)
		emit(rb[:k], p0, p1)
	}
	for pos := 0; pos < len(s); {
		// Most text is already in NFKC: QuickSpan finds how much, and
		// that part maps rune by rune.
		q := pos + norm.NFKC.QuickSpanString(s[pos:])
		for pos < q {
			r, n := utf8.DecodeRuneInString(s[pos:])
			if r < utf8.RuneSelf {
				buf = append(buf, byte(r))
				t.from = append(t.from, int32(pos))
				t.to = append(t.to, int32(pos+1))
			} else {
				emitRune(r, pos, pos+n)
			}
			pos += n
		}
		if pos >= len(s) {
			break
		}
		// One NFKC segment the slow way: it may compose, decompose or
		// reorder, so all its output maps to all its input.
		end := pos + norm.NFKC.NextBoundaryInString(s[pos:], true)
		if end <= pos {
			end = pos + 1 // never loop forever
		}
		for _, r := range norm.NFKC.String(s[pos:end]) {
			emitRune(r, pos, end)
		}
		pos = end
	}
	t.Norm = string(buf)
	t.from = append(t.from, int32(len(s)))
	t.to = append(t.to, int32(len(s)))
	low := []byte(t.Norm)
	for i, b := range low {
		if 'A' <= b && b <= 'Z' {
			low[i] = b + 'a' - 'A'
		}
	}
	t.lower = string(low)
	return t
}

// Span maps the normalised span [ns, ne) to the span of Orig that
// produced it. The result covers whole NFKC segments, so it never cuts a
// character of the original in two; invisible characters between two
// mapped bytes fall inside the span.
func (t *Text) Span(ns, ne int) (start, end int) {
	if ns >= ne {
		p := int(t.from[ns])
		return p, p
	}
	return int(t.from[ns]), int(t.to[ne-1])
}
