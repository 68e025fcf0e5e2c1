package hanzi

import (
	"slices"
	"testing"
	"unicode"
)

func TestTableConsistent(t *testing.T) {
	seen := map[rune]bool{}
	for _, p := range pairs {
		rs := []rune(p)
		if len(rs) < 2 || rs[1] == rs[0] {
			t.Errorf("pair %q has no Traditional form", p)
		}
		if seen[rs[0]] {
			t.Errorf("%q is listed twice", rs[0])
		}
		seen[rs[0]] = true
		for _, r := range rs {
			if !unicode.Is(unicode.Han, r) {
				t.Errorf("pair %q holds a non-Han rune %q", p, r)
			}
		}
	}
	// A Simplified character is never itself folded to another one, so
	// folding is idempotent.
	for tr, s := range simple {
		if Simplify(s) != s {
			t.Errorf("%q → %q → %q: not idempotent", tr, s, Simplify(s))
		}
	}
}

func TestFold(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"劉", "刘"}, {"張英順", "张英顺"}, {"延邊朝鮮族自治州", "延边朝鲜族自治州"},
		{"遼寧省瀋陽市", "辽宁省沈阳市"}, {"黑龍江省", "黑龙江省"}, {"鐘", "钟"}, {"鍾", "钟"},
		{"沈", "沈"}, {"王", "王"}, {"a1", "a1"},
	} {
		if String(c.a) != String(c.b) {
			t.Errorf("%q and %q fold to %q and %q", c.a, c.b, String(c.a), String(c.b))
		}
	}
	// 鮮 is in the table; 朝 and 族 are the same in both scripts.
	if String("朝鮮族") != "朝鲜族" {
		t.Errorf("String(朝鮮族) = %q", String("朝鮮族"))
	}
}

func TestVariants(t *testing.T) {
	got, complete := Variants("刘英顺", 0)
	want := []string{"刘英顺", "刘英順", "劉英顺", "劉英順"}
	slices.Sort(got)
	slices.Sort(want)
	if !complete || !slices.Equal(got, want) {
		t.Errorf("Variants(刘英顺) = %q", got)
	}
	for _, v := range got {
		if String(v) != "刘英顺" {
			t.Errorf("variant %q folds to %q", v, String(v))
		}
	}
	if got := Alternatives('发'); !slices.Equal(got, []rune{'发', '發', '髮'}) {
		t.Errorf("Alternatives(发) = %q", string(got))
	}
	if got := Alternatives('髮'); !slices.Equal(got, []rune{'髮', '发', '發'}) {
		t.Errorf("Alternatives(髮) = %q", string(got))
	}
}
