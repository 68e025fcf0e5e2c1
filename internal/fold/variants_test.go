package fold

import (
	"slices"
	"testing"
)

func TestAlternatives(t *testing.T) {
	for _, c := range []struct {
		in   rune
		want string
	}{
		{'리', "리이니"}, {'이', "이리니"}, {'니', "니이리"},
		{'류', "류유뉴"}, {'유', "유류뉴"},
		{'로', "로노"}, {'노', "노로"},
		{'녀', "녀여려"}, {'여', "여려녀"},
		{'량', "량양냥"}, {'림', "림임님"}, {'라', "라나"},
		{'김', "김"}, {'a', "a"}, {'里', "里"}, {'ㄹ', "ㄹ"},
	} {
		if got := string(Alternatives(c.in)); got != c.want {
			t.Errorf("Alternatives(%q) = %q, want %q", c.in, got, c.want)
		}
		for _, a := range Alternatives(c.in) {
			if Initial(a) != Initial(c.in) {
				t.Errorf("%q and its alternative %q fold differently", c.in, a)
			}
		}
	}
}

// TestAlternativesComplete checks the class against brute force over every
// Hangul syllable: two syllables are alternatives exactly when they fold
// to the same initial sound.
func TestAlternativesComplete(t *testing.T) {
	classes := map[rune][]rune{}
	for r := rune(hangulFirst); r <= hangulLast; r++ {
		classes[Initial(r)] = append(classes[Initial(r)], r)
	}
	for r := rune(hangulFirst); r <= hangulLast; r++ {
		got := slices.Clone(Alternatives(r))
		want := slices.Clone(classes[Initial(r)])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("Alternatives(%q) = %q, want %q", r, string(got), string(want))
		}
	}
}

func TestVariants(t *testing.T) {
	// Every syllable varies, 영 as well as 리: 9 spellings.
	got, complete := Variants("리영희", 0)
	if !complete || len(got) != 9 || got[0] != "리영희" || !slices.Contains(got, "이영희") || !slices.Contains(got, "니영희") {
		t.Errorf("Variants(리영희) = %q, %v", got, complete)
	}
	got, _ = Variants("로동녀성", 0)
	for _, want := range []string{"로동녀성", "노동여성", "로동여성", "노동녀성", "노동려성"} {
		if !slices.Contains(got, want) {
			t.Errorf("Variants(로동녀성) lacks %q", want)
		}
	}
	if len(got) != 2*3 {
		t.Errorf("Variants(로동녀성) has %d entries, want 6", len(got))
	}
	if got, complete := Variants("리리리리리리리리", 10); complete || len(got) != 10 {
		t.Errorf("limit not applied: %d, %v", len(got), complete)
	}
	if got, _ := Variants("", 0); !slices.Equal(got, []string{""}) {
		t.Errorf("Variants(\"\") = %q", got)
	}
}
