package redact

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the plan test vectors in testdata/plans")

// vectorInputs are the statements the vectors are made from, with lines
// an editor added by hand (romanisations, a missed nickname).
var vectorInputs = []struct {
	name  string
	text  string
	added []Decision
}{
	{"ko", "저는 량강도 혜산시 연봉동에서 살았습니다. 주체108년 3월 5일에 브로커 김씨가 저를 중국으로 데려갔습니다.\n" +
		"남편 리철수는 저를 때렸습니다. 철수의 손전화 번호는 138-0013-8000입니다. 이웃 언니 박순희 씨가 도와주었습니다.\n",
		[]Decision{{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "Ri Chol Su", Replacement: "Ham Thae-ho", Explanation: "romanisation the editor listed"}}},
	{"zh", "我叫金英姬，2018年5月被卖到吉林省延吉市依兰镇光明村。老公王建国每天打我，他的微信号是wxid_abcdef123456789。\n" +
		"后来邻居李秀兰帮我逃到沈阳。我的身份证号码是222405199003070029。\n", nil},
	{"en", "In March 2019 the broker, Zhang Wei, took me across the river near Hoeryong. My husband Pak Chol-min\n" +
		"kept my phone (+86 138 0013 8000). Contact: helper.kim@example.org. We met on 5 June 2019 in Yanji.\n",
		[]Decision{{Op: OpPseudonym, Type: TypeName, Start: Every, Original: "박철민", Replacement: "권대성", Explanation: "Hangul spelling the editor listed"}}},
}

func vectorFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/plans/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteVectors(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the vectors")
	}
	for _, in := range vectorInputs {
		p, err := NewPlan(in.text, &Options{Seed: 0x5eed})
		if err != nil {
			t.Fatal(err)
		}
		p.Decisions = append(p.Decisions, in.added...)
		plan, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		out, err := Apply(in.text, p)
		if err != nil {
			t.Fatal(err)
		}
		a := &txtar.Archive{
			Comment: []byte("A statement, its plan, and the redacted output. TestVectors checks that the\n" +
				"plan parses and writes back byte for byte, and that Apply gives the output.\n"),
			Files: []txtar.File{{Name: "text", Data: []byte(in.text)}, {Name: "plan", Data: plan}, {Name: "out", Data: []byte(out)}},
		}
		if err := os.WriteFile(filepath.Join("testdata/plans", in.name+".txtar"), txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestVectors(t *testing.T) {
	files := vectorFiles(t)
	if len(files) < 3 {
		t.Fatalf("only %d vectors", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			a, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			parts := map[string][]byte{}
			for _, file := range a.Files {
				parts[file.Name] = file.Data
			}
			text := string(parts["text"])
			p, err := ParsePlan(parts["plan"])
			if err != nil {
				t.Fatal(err)
			}
			if p.Source != SourceHash(text) {
				t.Fatal("source hash does not match the text")
			}
			again, err := p.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, parts["plan"]) {
				t.Errorf("plan does not write back byte for byte:\n%s", again)
			}
			out, err := Apply(text, p)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(parts["out"]) {
				t.Errorf("Apply:\n%s\nwant:\n%s", out, parts["out"])
			}
			if leaks := p.Residual(Content{"out", out}); len(leaks) > 0 {
				t.Errorf("residual check on the output: %v", leaks)
			}
			if leaks := p.Residual(Content{"text", text}); len(leaks) == 0 {
				t.Errorf("residual check finds nothing in the original")
			}
		})
	}
}

// FuzzParsePlan checks that any plan that parses writes back to text
// that parses to the same plan and writes back to the same bytes: the
// text form is canonical after one round.
func FuzzParsePlan(f *testing.F) {
	for _, file := range []string{"ko", "zh", "en"} {
		if a, err := txtar.ParseFile(filepath.Join("testdata/plans", file+".txtar")); err == nil {
			for _, fl := range a.Files {
				if fl.Name == "plan" {
					f.Add(fl.Data)
				}
			}
		}
	}
	f.Add([]byte("redaction-plan/v1\nsource sha256:" + strings.Repeat("0", 64) + "\nseed 0000000000000000\nkeep date 1-2 \"x\"\ngeneralize place * \"a\" \"b\" # c\n"))
	f.Add([]byte("redaction-plan/v2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan(data)
		if err != nil {
			var pe *PlanError
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		b1, err := p.MarshalText()
		if err != nil {
			t.Fatalf("a parsed plan does not write: %v", err)
		}
		q, err := ParsePlan(b1)
		if err != nil {
			t.Fatalf("a written plan does not parse: %v", err)
		}
		b2, err := q.MarshalText()
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("not canonical:\n%s\n%s", b1, b2)
		}
		if q.Source != p.Source || q.Seed != p.Seed || len(q.Decisions) != len(p.Decisions) {
			t.Fatalf("header or decisions changed")
		}
		for i := range p.Decisions {
			a, b := p.Decisions[i], q.Decisions[i]
			a.line, b.line = 0, 0
			if a != b {
				t.Fatalf("decision %d changed: %+v → %+v", i, a, b)
			}
		}
	})
}

func TestParsePlanErrors(t *testing.T) {
	head := "redaction-plan/v1\nsource sha256:" + strings.Repeat("ab", 32) + "\nseed 00000000000000ff\n"
	secret := "리영희"
	for _, c := range []struct {
		plan string
		line int
	}{
		{"", 1},
		{"hello\n", 1},
		{"redaction-plan/v9\n", 1},
		{"redaction-plan/v1\nsource md5:00\n", 2},
		{"redaction-plan/v1\nsource sha256:" + strings.Repeat("AB", 32) + "\nseed 0\n", 2},
		{"redaction-plan/v1\nsource sha256:" + strings.Repeat("ab", 32) + "\nseed xyz\n", 3},
		{head + "erase name 1-4 \"" + secret + "\" \"x\"\n", 4},
		{head + "remove person 1-4 \"" + secret + "\" \"x\"\n", 4},
		{head + "remove name 4-1 \"" + secret + "\" \"x\"\n", 4},
		{head + "remove name -1-4 \"" + secret + "\" \"x\"\n", 4},
		{head + "remove name 1-4 " + secret + " \"x\"\n", 4},
		{head + "remove name 1-4 \"" + secret + "\"\n", 4},
		{head + "remove name 1-4 \"" + secret + "\" \"x\" trailing\n", 4},
		{head + "keep name 1-4 \"" + secret + "\" \"x\"\n", 4},
		{head + "remove name 1-4 \"\" \"x\"\n", 4},
		{head + "# fine\n\nremove name 1-4 \"" + secret + "\" \"unterminated\n", 6},
	} {
		_, err := ParsePlan([]byte(c.plan))
		var pe *PlanError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want a PlanError", c.plan, err)
			continue
		}
		if pe.Line != c.line {
			t.Errorf("%q: error on line %d, want %d (%v)", c.plan, pe.Line, c.line, err)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "trailing") {
			t.Errorf("error quotes the plan: %v", err)
		}
	}
	if _, err := ParsePlan([]byte("\xff\xfe")); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}
