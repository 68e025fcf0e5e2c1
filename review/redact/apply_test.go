package redact

import (
	"errors"
	"strings"
	"testing"
)

func plan(text string, ds ...Decision) *Plan {
	return &Plan{Source: SourceHash(text), Seed: 1, Decisions: ds}
}

func TestApply(t *testing.T) {
	text := "남편 리철수와 이철수, 그리고 Ri Chol Su. 회령시 유선동."
	i := strings.Index(text, "리철수")
	j := strings.Index(text, "회령시 유선동")
	p := plan(text,
		Decision{Op: OpPseudonym, Type: TypeName, Start: i, End: i + len("리철수"), Original: "리철수", Replacement: "김광호"},
		// Every spelling of the name, including one the rule derives.
		Decision{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "리철수", Replacement: "김광호"},
		Decision{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "Ri Chol Su", Replacement: "Kim Kwang-ho"},
		Decision{Op: OpGeneralise, Type: TypePlace, Start: j, End: j + len("회령시 유선동"), Original: "회령시 유선동", Replacement: "함경북도"},
		// Overlapping the place: the union is replaced.
		Decision{Op: OpRemove, Type: TypePlace, Start: j + len("회령시 "), End: j + len("회령시 유선동."), Original: "유선동.", Replacement: "[장소]"},
		Decision{Op: OpKeep, Type: TypeName, Start: 0, End: len("남편"), Original: "남편"},
	)
	out, err := Apply(text, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "남편 김광호와 김광호, 그리고 Kim Kwang-ho. 함경북도"; out != want {
		t.Errorf("Apply = %q, want %q", out, want)
	}
	if leaks := p.Residual(Content{"out", out}); len(leaks) != 0 {
		t.Errorf("leaks: %v", leaks)
	}
}

func TestCheck(t *testing.T) {
	text := "브로커 김영희와 리영희."
	a := strings.Index(text, "김영희")
	b := strings.Index(text, "리영희")
	secret := "김영희"
	for _, c := range []struct {
		name string
		p    *Plan
		text string
		line int
		is   error
	}{
		{"other text", plan("something else"), text, 0, ErrSourceMismatch},
		{"wrong original", plan(text, Decision{Op: OpRemove, Type: TypeName, Start: a, End: a + 9, Original: "박순희", Replacement: "x"}), text, 1, nil},
		{"outside", plan(text, Decision{Op: OpRemove, Type: TypeName, Start: 10, End: 1000, Original: "박순희", Replacement: "x"}), text, 1, nil},
		{"two pseudonyms", plan(text,
			Decision{Op: OpPseudonym, Type: TypeName, Start: b, End: b + 9, Original: "리영희", Replacement: "박순옥"},
			Decision{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "이영희", Replacement: "최명희"}), text, 2, nil},
		{"pseudonym is a real name", plan(text,
			Decision{Op: OpPseudonym, Type: TypeName, Start: a, End: a + 9, Original: "김영희", Replacement: "이영희"},
			Decision{Op: OpPseudonym, Type: TypeName, Start: b, End: b + 9, Original: "리영희", Replacement: "박순옥"}), text, 1, nil},
		{"given name kept in a pseudonym", plan(text,
			Decision{Op: OpPseudonym, Type: TypeName, Start: a, End: a + 9, Original: "김영희", Replacement: "박영희"}), text, 1, nil},
	} {
		err := c.p.Check(c.text)
		if c.is != nil {
			if !errors.Is(err, c.is) {
				t.Errorf("%s: err = %v, want %v", c.name, err, c.is)
			}
			continue
		}
		var pe *PlanError
		if !errors.As(err, &pe) || pe.Line != c.line {
			t.Errorf("%s: err = %v, want a PlanError on line %d", c.name, err, c.line)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "리영희") {
			t.Errorf("%s: error quotes the text: %v", c.name, err)
		}
		if _, err := Apply(c.text, c.p); err == nil {
			t.Errorf("%s: Apply did not refuse", c.name)
		}
	}
}

func TestResidualTerms(t *testing.T) {
	for _, c := range []struct {
		d    Decision
		leak []string // each must be caught
		ok   []string // none of these may be
	}{
		{Decision{Op: OpPseudonym, Type: TypeName, Original: "리영희", Replacement: "박순옥"},
			[]string{"이영희 씨", "니영희", "리 영 희", "영희 언니", "리\u200b영희"}, []string{"박순옥", "영화를 보았다"}},
		{Decision{Op: OpPseudonym, Type: TypeName, Original: "王建国", Replacement: "陈德明"},
			[]string{"王建國", "王 建 国", "建国说"}, []string{"陈德明"}},
		{Decision{Op: OpPseudonym, Type: TypeName, Original: "Kim Young-hee", Replacement: "Pak Sun-ok"},
			[]string{"KIM YOUNGHEE", "Young-hee", "young hee"}, []string{"Kimchi", "Pak Sun-ok"}},
		{Decision{Op: OpPseudonym, Type: TypeName, Original: "김", Replacement: "박"},
			[]string{"김씨가", "김 선생", "Mr 김"}, []string{"김치", "2022년 김장", "박씨"}},
		{Decision{Op: OpPseudonym, Type: TypeName, Original: "연", Replacement: "박"},
			[]string{"연씨"}, []string{"2022년", "[장소]연"}},
		{Decision{Op: OpGeneralise, Type: TypePlace, Original: "함경북도 회령시 유선동", Replacement: "함경북도"},
			[]string{"회령에서", "유선동", "회령시", "유선에서"}, []string{"함경북도", "광유선", "무산군"}},
		{Decision{Op: OpGeneralise, Type: TypePlace, Original: "吉林省延吉市依兰镇光明村", Replacement: "吉林省"},
			[]string{"延吉市", "依兰镇", "光明村", "延吉市依蘭鎮"}, []string{"吉林省", "光明的未来"}},
		{Decision{Op: OpGeneralise, Type: TypePlace, Original: "천북군 화유리 14인민반", Replacement: "[장소]"},
			[]string{"화유리", "14인민반"}, []string{"14명"}},
		{Decision{Op: OpGeneralise, Type: TypeDate, Original: "2019년 3월 5일", Replacement: "2019년"},
			[]string{"2019.3.5", "2019-03-05", "2019年3月5日", "March 5, 2019", "3월 5일", "주체108년 3월 5일"}, []string{"2019년", "2019년 4월"}},
		{Decision{Op: OpRemove, Type: TypePhone, Original: "010-1234-5678", Replacement: "[전화]"},
			[]string{"01012345678", "+82 10 1234 5678", "0082-10-1234-5678", "010 1234 5678"}, []string{"9010-1234-56789"}},
		{Decision{Op: OpRemove, Type: TypePRCID, Original: "11010519491231002X", Replacement: "[ID]"},
			[]string{"11010519491231002x", "1101 0519 4912 3100 2X", "１１０１０５１９４９１２３１００２Ｘ"}, nil},
	} {
		d := c.d
		d.Start, d.End = Every, 0
		p := plan("", d)
		for _, s := range c.leak {
			if len(p.Residual(Content{"x", "앞 " + s + " 뒤"})) == 0 {
				t.Errorf("%s %q: %q not caught", d.Type, d.Original, s)
			}
		}
		for _, s := range c.ok {
			if leaks := p.Residual(Content{"x", s}); len(leaks) != 0 {
				t.Errorf("%s %q: %q caught: %v", d.Type, d.Original, s, leaks)
			}
		}
	}
}

func TestResidualWhere(t *testing.T) {
	p := plan("", Decision{Op: OpRemove, Type: TypePhone, Start: Every, Original: "13800138000", Replacement: "[전화]"})
	leaks := p.Residual(Content{"statement", "전화는 [전화]"}, Content{"file name of attachment 1", "사진_138-0013-8000.jpg"}, Content{"EXIF Artist", "ＡＢＣ１３８００１３８０００"})
	if len(leaks) != 2 || leaks[0].Where != "file name of attachment 1" || leaks[1].Where != "EXIF Artist" {
		t.Fatalf("leaks = %v", leaks)
	}
	if got := "사진_138-0013-8000.jpg"[leaks[0].Start:leaks[0].End]; got != "138-0013-8000" {
		t.Errorf("leak span %q", got)
	}
	if strings.Contains(leaks[0].String(), "138") {
		t.Errorf("Leak.String quotes the term: %s", leaks[0])
	}
	// It names the plan line and the term's place in her text, and the
	// line of the output, not offsets into an output never written.
	if got, want := leaks[0].String(), "plan line 1 redacts a phone (on every occurrence, in any spelling), yet file name of attachment 1 still holds it, in some spelling, on its line 1"; got != want {
		t.Errorf("Leak.String = %q, want %q", got, want)
	}
	p = plan("", Decision{Op: OpRemove, Type: TypePhone, Start: 3, End: 14, Original: "13800138000", Replacement: "[전화]"})
	leaks = p.Residual(Content{"the export", "first\nsecond 13800138000"})
	if len(leaks) != 1 || !strings.Contains(leaks[0].String(), "(at bytes 3-14 of her text)") || !strings.HasSuffix(leaks[0].String(), "on its line 2") {
		t.Errorf("leaks = %v", leaks)
	}
}
