// Package visible makes text someone else controls safe to print on a
// terminal: every character that would act on the terminal or hide text
// instead of showing itself is shown as an escape, so whoever wrote the
// text cannot clear the screen, set the title, recolour, overwrite a line
// with \r, or reorder it with a bidi override, and the reader sees that
// something was there.
//
// Shown as \xNN, \uNNNN or \UNNNNNNNN (Go's notation): C0 controls and DEL
// (ESC among them, so no escape sequence survives), C1 controls (U+0080 to
// U+009F, which some terminals take as CSI and OSC), format characters
// (Unicode Cf: the bidi embeddings, overrides and isolates, LRM and RLM,
// zero-width characters, the byte-order mark, tag characters), the line
// and paragraph separators, and bytes that are not UTF-8.
package visible

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns s for printing as several lines: newlines and tabs stay,
// "\r\n" becomes "\n", and everything else Escape reports is escaped.
func Text(s string) string { return clean(s, true) }

// Line returns s for printing on one line: as Text, but newlines, tabs and
// carriage returns are escaped too.
func Line(s string) string { return clean(s, false) }

func clean(s string, multiline bool) string {
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if !needs(s, multiline) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case Escape(r):
			b.WriteString(Rune(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needs(s string, multiline bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return true
			}
		}
		if Escape(r) && !(multiline && (r == '\n' || r == '\t')) {
			return true
		}
	}
	return false
}

// Escape reports whether r is shown escaped.
func Escape(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
}

// Rune returns the escape that shows r.
func Rune(r rune) string {
	switch {
	case r < 0x80:
		return fmt.Sprintf(`\x%02x`, r)
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04x`, r)
	}
	return fmt.Sprintf(`\U%08x`, r)
}
