package redact

import (
	"strings"
)

// Names cannot be caught by a pattern: statistical NER finds about two
// thirds of Korean and Chinese names. The detector here combines surname
// lists, given-name shapes and context words (씨, 언니, 남편, 老公, 大哥,
// Mr), and then [scan.propagate] finds every other mention of each name
// it found, in any spelling, and the given name alone. Entity-level recall
// depends on that second step: one mention with context is enough.

func allIn(s string, set map[rune]bool) bool {
	for _, r := range s {
		if !set[r] {
			return false
		}
	}
	return s != ""
}

// startsWithAny returns the first of words s starts with, such that what
// follows is a particle or nothing.
func startsWithAny(s string, words []string) string {
	for _, w := range words {
		if rest, ok := strings.CutPrefix(s, w); ok && (particleOrEmpty(rest) || strings.HasPrefix(rest, "님") && particleOrEmpty(rest[len("님"):])) {
			// 장 집사님이: the honorific 님 may follow the title.
			return w
		}
	}
	return ""
}

func (s *scan) names() {
	s.quotedNames()
	s.koNames()
	s.zhNames()
	s.enNames()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// splitOrWhole splits a Korean or Chinese name, or returns it whole as the
// given name.
func splitOrWhole(name string) (surname, given string) {
	if sn, g, ok := splitKoName(name); ok {
		return sn, g
	}
	if sn, g, ok := splitZhName(name); ok {
		return sn, g
	}
	return "", name
}
