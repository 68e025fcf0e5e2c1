package redact

import (
	"strings"
	"testing"
)

// The editor's decisions on her earlier text survive her addition; her
// deletions of suggestions stay deleted; what she added gets suggestions;
// a name already given a pseudonym keeps it.
func TestResuggestKeepsDecisions(t *testing.T) {
	before := "저는 2019년 3월 5일 회령시에서 브로커 김영철에게 팔려 갔습니다."
	old, err := NewPlan(before, &Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// The editor keeps the place as it is, drops the date line, and adds a
	// romanised spelling.
	var edited []Decision
	var pseudonym string
	for _, d := range old.Decisions {
		switch d.Type {
		case TypeDate:
			continue
		case TypePlace:
			d.Op, d.Replacement, d.Explanation = OpKeep, "", "the editor: a city is not identifying here"
		case TypeName:
			pseudonym = d.Replacement
		}
		edited = append(edited, d)
	}
	if pseudonym == "" {
		t.Fatal("the suggestion has no pseudonym for 김영철")
	}
	edited = append(edited, Decision{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "Kim Yong-chol", Replacement: "Pak Song-il"})
	old.Decisions = edited
	if err := old.Check(before); err != nil {
		t.Fatal(err)
	}

	after := before + "\n\n" + "그 뒤 김영철이 2020년 1월 2일 다시 찾아왔고, 전화번호 010-2345-6789 로 연락했습니다."
	p, rep, err := Resuggest(old, after, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(after); err != nil {
		t.Fatalf("the new plan does not fit her new text: %v", err)
	}
	if rep.From != len(before) || rep.Kept != len(edited) || rep.Dropped != 0 || rep.New == 0 {
		t.Errorf("carried %+v, want From %d, Kept %d, none dropped, some new", rep, len(before), len(edited))
	}
	if p.Seed != old.Seed {
		t.Error("the seed changed")
	}
	var sawPlace, sawEvery, sawPhone, sawLaterName, sawLaterDate bool
	for _, d := range p.Decisions {
		switch {
		case d.Start >= 0 && d.Start < len(before) && d.Type == TypeDate:
			t.Errorf("the date line the editor deleted is back: %+v", d)
		case d.Type == TypePlace && d.Start < len(before):
			sawPlace = d.Op == OpKeep && strings.HasPrefix(d.Explanation, "the editor")
		case d.Start == Every:
			sawEvery = d.Original == "Kim Yong-chol"
		case d.Type == TypePhone:
			sawPhone = d.Start > len(before)
		case d.Type == TypeName && d.Start > len(before):
			sawLaterName = d.Replacement == pseudonym
		case d.Type == TypeDate && d.Start > len(before):
			sawLaterDate = true
		}
	}
	if !sawPlace || !sawEvery || !sawPhone || !sawLaterName || !sawLaterDate {
		t.Errorf("kept place %v, kept * line %v, new phone %v, later name with the same pseudonym %v, new date %v\n%s",
			sawPlace, sawEvery, sawPhone, sawLaterName, sawLaterDate, mustMarshal(t, p))
	}
}

// When the earlier text is not a beginning of the new one, decisions whose
// original is still at its place are kept, the others are dropped, and
// suggestions fill in around them.
func TestResuggestUnrelatedText(t *testing.T) {
	old := &Plan{Source: SourceHash("something else"), Seed: 1, Decisions: []Decision{
		{Op: OpKeep, Type: TypeName, Start: 0, End: 9, Original: "김영철"},
		{Op: OpRemove, Type: TypePhone, Start: 100, End: 113, Original: "010-2345-6789", Replacement: "[전화번호]"},
	}}
	text := "김영철 씨의 전화번호는 010-2345-6789 입니다."
	p, rep, err := Resuggest(old, text, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(text); err != nil {
		t.Fatal(err)
	}
	if rep.From != -1 || rep.Kept != 1 || rep.Dropped != 1 {
		t.Errorf("carried %+v, want From -1, 1 kept, 1 dropped", rep)
	}
	for _, d := range p.Decisions {
		if d.Start == 0 && d.Op != OpKeep {
			t.Errorf("the editor's keep became %s", d.Op)
		}
	}
}

func mustMarshal(t *testing.T, p *Plan) string {
	b, err := p.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Whatever the earlier plan (any plan that parses) and texts, the new plan
// fits the new text, and writes and parses back.
func FuzzResuggest(f *testing.F) {
	f.Add([]byte("redaction-plan/v1\nsource sha256:"+strings.Repeat("0", 64)+"\nseed 0000000000000001\npseudonym name 0-9 \"김영철\" \"구상민\"\nremove phone * \"010\" \"[x]\"\n"),
		"김영철 씨", "\n\n김영철 010-2345-6789")
	f.Add([]byte("redaction-plan/v1\nsource sha256:"+strings.Repeat("0", 64)+"\nseed 0000000000000002\nkeep place 3-12 \"延吉市\"\n"),
		"我在延吉市", "\n\n李秀兰 13912345678")
	f.Add([]byte("redaction-plan/v1\nsource sha256:"+strings.Repeat("0", 64)+"\nseed 0000000000000003\n"), "", "Kim Young-hee, Hoeryong")
	f.Fuzz(func(t *testing.T, plan []byte, before, added string) {
		old, err := ParsePlan(plan)
		if err != nil {
			return
		}
		old.Source = SourceHash(before)
		text := before + added
		p, _, err := Resuggest(old, text, nil)
		if err != nil {
			return // too large, or not UTF-8 for the detectors
		}
		if err := p.Check(text); err != nil {
			// The editor's own decisions are kept as they were, and two of
			// them may disagree (one name, two pseudonyms) or carry each
			// other: the earlier plan was not checked here.
			if old.Check(before) == nil {
				t.Fatalf("the new plan does not fit the text: %v\n%s", err, mustMarshal(t, p))
			}
			return
		}
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParsePlan(b); err != nil {
			t.Fatal(err)
		}
	})
}
