package redact

import (
	"unicode"
	"unicode/utf8"
)

// script classes for tokens.
type script int

const (
	scriptOther script = iota
	scriptHangul
	scriptHan
	scriptLatin
	scriptDigit
)

func scriptOf(r rune) script {
	switch {
	case isHangul(r):
		return scriptHangul
	case isHan(r):
		return scriptHan
	case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'),
		r >= 0xC0 && r <= 0x24F && unicode.IsLetter(r):
		return scriptLatin
	case '0' <= r && r <= '9':
		return scriptDigit
	}
	return scriptOther
}

// A token is a run of one script in the normalised text. Latin tokens
// keep inner hyphens and apostrophes (Young-hee, Ch'ongjin).
type token struct {
	s, e   int
	script script
}

// tokenize splits the normalised text into tokens of Hangul, Han, Latin
// and digits; everything else separates them.
func tokenize(n string) []token {
	var out []token
	cur := token{s: -1}
	flush := func(end int) {
		if cur.s >= 0 {
			cur.e = end
			out = append(out, cur)
			cur.s = -1
		}
	}
	for i := 0; i < len(n); {
		r, size := utf8.DecodeRuneInString(n[i:])
		sc := scriptOf(r)
		if (r == '-' || r == '\'' || r == '’') && cur.s >= 0 && cur.script == scriptLatin && i+size < len(n) {
			// Inner hyphen or apostrophe in a Latin word.
			next, k := utf8.DecodeRuneInString(n[i+size:])
			// Kim Chol-ho's: the possessive is not part of the name.
			possessive := r != '-' && (next == 's' || next == 'S') && (i+size+k == len(n) || scriptOf(rune(n[i+size+k])) != scriptLatin)
			if scriptOf(next) == scriptLatin && !possessive {
				i += size
				continue
			}
		}
		switch {
		case sc == scriptOther:
			flush(i)
		case cur.s >= 0 && cur.script == sc:
		default:
			flush(i)
			cur = token{s: i, script: sc}
		}
		i += size
	}
	flush(len(n))
	return out
}

// text returns the token's text in n, the normalised text it was cut
// from.
func (t token) text(n string) string { return n[t.s:t.e] }

// gapOnly reports whether the normalised text between two offsets is only
// spaces and the given punctuation.
func gapOnly(n string, a, b int, punct string) bool {
	if a > b {
		return false
	}
	for _, r := range n[a:b] {
		if unicode.IsSpace(r) {
			continue
		}
		ok := false
		for _, p := range punct {
			if r == p {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// tokens returns the text's tokens, computed once.
func (s *scan) tokens() []token {
	if s.toks == nil {
		s.toks = tokenize(s.t.Norm)
	}
	return s.toks
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }

func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, k := utf8.DecodeLastRuneInString(s[:i])
		i -= k
	}
	return s[i:]
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, k := utf8.DecodeRuneInString(s[i:])
		i += k
	}
	return s[:i]
}
