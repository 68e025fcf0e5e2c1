package visible

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ in, text, line string }{
		{"plain 조선말 中文", "plain 조선말 中文", "plain 조선말 中文"},
		{"two\nlines\ttab", "two\nlines\ttab", `two\x0alines\x09tab`},
		{"crlf\r\nok", "crlf\nok", `crlf\x0d\x0aok`},
		{"hide\rover", `hide\x0dover`, `hide\x0dover`},
		{"\x1b]0;PWNED\x07title", `\x1b]0;PWNED\x07title`, `\x1b]0;PWNED\x07title`},
		{"\x1b[31mred\x1b[8mhidden", `\x1b[31mred\x1b[8mhidden`, `\x1b[31mred\x1b[8mhidden`},
		{"evil\u202egpj.exe", `evil\u202egpj.exe`, `evil\u202egpj.exe`},
		{"\u2066iso\u2069 \u200f\u200b\ufeff", `\u2066iso\u2069 \u200f\u200b\ufeff`, `\u2066iso\u2069 \u200f\u200b\ufeff`},
		{"c1 \u009b31m csi", `c1 \u009b31m csi`, `c1 \u009b31m csi`},
		{"bad \xff byte", `bad \xff byte`, `bad \xff byte`},
		{"tag \U000E0041", `tag \U000e0041`, `tag \U000e0041`},
		{"del\x7f", `del\x7f`, `del\x7f`},
		{"sep\u2028x", `sep\u2028x`, `sep\u2028x`},
	} {
		if got := Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
		for _, got := range []string{Text(c.in), Line(c.in)} {
			if strings.ContainsFunc(got, func(r rune) bool { return r != '\n' && r != '\t' && Escape(r) }) {
				t.Errorf("%q still holds a control", got)
			}
		}
	}
}

// FuzzText checks that nothing Escape reports survives, for any input, and
// that text without such characters is unchanged.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\x1b[2J", "\u202e", "\xff", "\r\n", "조선말"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{Text(s), Line(s)} {
			if strings.ContainsFunc(got, func(r rune) bool { return r != '\n' && r != '\t' && Escape(r) }) {
				t.Fatalf("%q: a control survives in %q", s, got)
			}
			if strings.ContainsRune(got, '\ufffd') && !strings.ContainsRune(s, '\ufffd') {
				t.Fatalf("%q: a replacement character appeared", s)
			}
		}
		if strings.ContainsAny(Line(s), "\n\t\r") {
			t.Fatalf("Line(%q) is not one line", s)
		}
	})
}
