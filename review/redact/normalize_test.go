package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, norm string }{
		{"１３８００１３８０００", "13800138000"},
		{"ＱＱ：１２３４５", "QQ:12345"},
		{"리\u200b영\u200d희", "리영희"},
		{"김\u00ad영\ufeff희", "김영희"},
		{"010–1234—5678", "010-1234-5678"},
		{"138\u30000013\u00a08000", "138 0013 8000"},
		{"ᄅ\u1175", "리"},
		{"\u202e\u2066abc\u2069", "abc"},
		{"a\ufe0fb\u3164c", "abc"},
		{"", ""},
	} {
		if got := Normalize(c.in).Norm; got != c.norm {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.norm)
		}
	}
}

func TestSpanMapsBack(t *testing.T) {
	in := "전화 １３８－００１３－８０００ 리\u200b영희"
	n := Normalize(in)
	i := strings.Index(n.Norm, "138-0013-8000")
	s, e := n.Span(i, i+len("138-0013-8000"))
	if in[s:e] != "１３８－００１３－８０００" {
		t.Errorf("span maps to %q", in[s:e])
	}
	i = strings.Index(n.Norm, "리영희")
	s, e = n.Span(i, i+len("리영희"))
	if in[s:e] != "리\u200b영희" {
		t.Errorf("span maps to %q", in[s:e])
	}
	// A composed syllable maps to both jamo it came from.
	in = "xᄅ\u1175y"
	n = Normalize(in)
	i = strings.Index(n.Norm, "리")
	s, e = n.Span(i, i+len("리"))
	if in[s:e] != "ᄅ\u1175" {
		t.Errorf("composed span maps to %q", in[s:e])
	}
}

// FuzzNormalize checks that every span of the normalised text maps to a
// span of the original on rune boundaries, in order.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"１３８", "리\u200b영희", "ᄅ\u1175", "\xff\xfe", "a\u0301\u0302b", "㈜㎏①"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n.Norm) {
			t.Fatalf("normalised text is not valid UTF-8")
		}
		prevS, prevE := 0, 0
		for i := range n.Norm {
			for j := i + 1; j <= len(n.Norm) && j <= i+8; j++ {
				if j < len(n.Norm) && !utf8.RuneStart(n.Norm[j]) {
					continue
				}
				a, b := n.Span(i, j)
				if a < 0 || b > len(s) || a > b {
					t.Fatalf("Span(%d, %d) = %d, %d", i, j, a, b)
				}
				// Only valid input has rune boundaries to keep: invalid
				// bytes map to themselves one by one.
				if utf8.ValidString(s) && (a < len(s) && !utf8.RuneStart(s[a]) || b < len(s) && !utf8.RuneStart(s[b])) {
					t.Fatalf("Span(%d, %d) = %d, %d cuts a rune", i, j, a, b)
				}
			}
			a, b := n.Span(i, i+1)
			if a < prevS || b < prevE {
				t.Fatalf("spans go backwards at %d", i)
			}
			prevS, prevE = a, b
		}
	})
}
