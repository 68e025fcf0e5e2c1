package redact

import (
	"strings"
	"unicode/utf8"
)

// particleChain reports whether rest is nothing or one or two particles:
// 에게는 is 에게 + 는.
func particleChain(rest string) bool {
	if particleOrEmpty(rest) {
		return true
	}
	for _, p := range koParticles {
		if r, ok := strings.CutPrefix(rest, p); ok && particleSet[r] {
			return true
		}
	}
	return false
}

// hangulRest returns the Hangul letters that follow byte ne in the same
// word.
func hangulRest(n string, ne int) string {
	end := ne
	for end < len(n) {
		r, k := utf8.DecodeRuneInString(n[end:])
		if !isHangul(r) {
			break
		}
		end += k
	}
	return n[ne:end]
}

// particlesByLast indexes koParticles by their last rune, longest first,
// so splitting a word tries only the particles it can end in.
var particlesByLast, particleSet = func() (map[rune][]string, map[string]bool) {
	by := map[rune][]string{}
	set := map[string]bool{}
	for _, p := range koParticles {
		r, _ := utf8.DecodeLastRuneInString(p)
		by[r] = append(by[r], p)
		set[p] = true
	}
	return by, set
}()

// stems returns the ways a Hangul token splits into a stem and a particle
// (or nothing), longest stem first.
func stems(tok string) []string {
	out := []string{tok}
	last, _ := utf8.DecodeLastRuneInString(tok)
	for _, p := range particlesByLast[last] {
		if strings.HasSuffix(tok, p) && len(tok) > len(p) {
			out = append(out, tok[:len(tok)-len(p)])
		}
	}
	return out
}

// particleOrEmpty reports whether rest is nothing or one particle.
func particleOrEmpty(rest string) bool {
	return rest == "" || particleSet[rest]
}
