package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPseudonyms(t *testing.T) {
	text := "남편 리철수는 나를 팔았다. 철수는 다시 왔다. 언니 박순희 씨가 도왔다. 我老公王建国打我。王建国又来了。My husband, Kim Young-hee's brother Kim Chol-min, came."
	cands, err := Analyze(text, nil)
	if err != nil {
		t.Fatal(err)
	}
	p1, err := Suggest(text, cands, &Options{Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Suggest(text, cands, &Options{Seed: 42})
	p3, _ := Suggest(text, cands, &Options{Seed: 43})
	same, differ := true, false
	repl := map[string]string{}
	for i, d := range p1.Decisions {
		if d.Op != OpPseudonym {
			continue
		}
		if d.Replacement != p2.Decisions[i].Replacement {
			same = false
		}
		if d.Replacement != p3.Decisions[i].Replacement {
			differ = true
		}
		if prev, ok := repl[d.Original]; ok && prev != d.Replacement {
			t.Errorf("%q has two pseudonyms", d.Original)
		}
		repl[d.Original] = d.Replacement
		// The pseudonym is written in the script of the mention.
		r0, _ := utf8.DecodeRuneInString(d.Original)
		p0, _ := utf8.DecodeRuneInString(d.Replacement)
		if scriptOf(r0) != scriptOf(p0) {
			t.Errorf("%q → %q: another script", d.Original, d.Replacement)
		}
	}
	if !same {
		t.Error("the same seed gave other pseudonyms")
	}
	if !differ {
		t.Error("another seed gave the same pseudonyms")
	}
	// The given name alone gets the pseudonym's given name.
	if g, full := repl["철수"], repl["리철수"]; g == "" || !strings.HasSuffix(full, g) {
		t.Errorf("철수 → %q, 리철수 → %q", g, full)
	}
	// A Chinese name gets a Chinese pseudonym.
	if z := repl["王建国"]; z == "" || !pseudonymIn(z, pseudoZhSurnames, pseudoZhMale, pseudoZhFemale) {
		t.Errorf("王建国 → %q", z)
	}
	if k := repl["박순희"]; !pseudonymIn(k, pseudoKoSurnames, pseudoKoFemale, pseudoKoMale) {
		t.Errorf("박순희 → %q", k)
	}
	if _, err := Apply(text, p1); err != nil {
		t.Fatal(err)
	}
}

func pseudonymIn(s string, sur []pname, lists ...[]pname) bool {
	for _, sn := range sur {
		for _, l := range lists {
			for _, g := range l {
				if s == sn.ko+g.ko || s == sn.zh+g.zh || s == sn.en+" "+g.en {
					return true
				}
			}
		}
	}
	return false
}

// TestPseudonymsAvoidRealNames checks that no pseudonym uses a real
// surname or given name of the statement, in any spelling.
func TestPseudonymsAvoidRealNames(t *testing.T) {
	var b strings.Builder
	for _, sn := range pseudoKoSurnames[:20] {
		b.WriteString("남편 " + sn.ko + "순옥은 왔다. ")
	}
	text := b.String()
	p, err := NewPlan(text, &Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Decisions {
		if d.Op == OpPseudonym && (strings.HasPrefix(d.Replacement, string([]rune(d.Original)[:1])) || strings.HasSuffix(d.Replacement, "순옥")) {
			t.Errorf("%q → %q shares a part", d.Original, d.Replacement)
		}
	}
	if err := p.Check(text); err != nil {
		t.Fatal(err)
	}
}
