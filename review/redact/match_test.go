package redact

import (
	"math/rand/v2"
	"testing"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// TestKeyIsEveryVariant checks that comparing match keys is the same as
// trying every expanded spelling: every variant fold and hanzi list has
// the key of the original, and a syllable outside the class does not.
func TestKeyIsEveryVariant(t *testing.T) {
	for _, s := range []string{"리영희", "로동자구", "량강도 혜산시", "녀자", "류명숙", "王建國", "劉英順", "延邊朝鮮族自治州", "Hoeryŏng"} {
		k := matchKey(s)
		vs, _ := fold.Variants(s, 0)
		hv, _ := hanzi.Variants(s, 0)
		for _, v := range append(vs, hv...) {
			if matchKey(v) != k {
				t.Errorf("%q and its variant %q have different keys", s, v)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 20000 {
		a := rune(0xAC00 + r.IntN(11172))
		b := rune(0xAC00 + r.IntN(11172))
		same := fold.Initial(a) == fold.Initial(b)
		if (keyRune(a) == keyRune(b)) != same {
			t.Fatalf("%q and %q: keys equal %v, alternatives %v", a, b, keyRune(a) == keyRune(b), same)
		}
	}
	if matchKey("Hoeryong") != matchKey("Hoeryŏng") || matchKey("Young-hee") != matchKey("young hee") {
		t.Error("Latin keys differ")
	}
}

func TestBounded(t *testing.T) {
	n := "Kimchi Kim 1380 138 김영희는"
	kv := newKeyed(n)
	count := func(term string) int {
		c := 0
		kv.each(matchKey(term), func(ns, ne int) bool {
			if bounded(n, ns, ne) {
				c++
			}
			return true
		})
		return c
	}
	if got := count("kim"); got != 1 {
		t.Errorf("kim found %d times, want 1 (not in Kimchi)", got)
	}
	if got := count("138"); got != 1 {
		t.Errorf("138 found %d times, want 1 (not in 1380)", got)
	}
	if got := count("영희"); got != 1 {
		t.Errorf("영희 found %d times, want 1 (Hangul has no word edge)", got)
	}
}
