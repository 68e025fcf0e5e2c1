package redact

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"testimony/internal/fold"
	"testimony/internal/hanzi"
)

// The evaluation reports, per entity type, entity-level recall (an entity
// counts as found only if every one of its mentions is covered, as in the
// Text Anonymization Benchmark), precision (the share of proposed spans
// that overlap something that had to go) and F2, on two generated corpora:
// the development seed, which never uses the held-out templates, and the
// held-out seed, which does. Run with -v to see the tables; -eval.corpus
// evaluates a labelled corpus from a file instead (one JSON object per
// line: {"lang": "ko", "text": "...", "entities": [{"type": "name",
// "mentions": [[start, end], ...]}]}, byte offsets), and -eval.dump writes
// the generated corpora in that form.

var (
	evalCorpus = flag.String("eval.corpus", "", "evaluate this labelled corpus (JSON lines) instead of the generated ones")
	evalDump   = flag.String("eval.dump", "", "write the generated corpora as JSON lines into this directory")
	evalN      = flag.Int("eval.n", 360, "testimonies per generated corpus")
	evalShow   = flag.Bool("eval.show", false, "log the text of misses and false blocks (synthetic text only)")
	evalSeed   = flag.Uint64("eval.seed", 0, "evaluate one more generated corpus from this seed, with held-out templates")
)

const (
	devSeed     = 20240601
	heldoutSeed = 77031
)

// Targets from the issue.
var (
	validated = []Type{TypePRCID, TypePRCOldID, TypeRRN, TypePhone, TypeEmail, TypeURL, TypeIP, TypeGPS, TypeWeChat}
	targets   = map[Type]float64{TypeName: 0.95, TypePlace: 0.95}
)

func init() {
	for _, t := range validated {
		targets[t] = 0.99
	}
}

type jsonDoc struct {
	Lang     string `json:"lang"`
	Text     string `json:"text"`
	Entities []struct {
		Type     Type     `json:"type"`
		Mentions [][2]int `json:"mentions"`
	} `json:"entities"`
}

func loadCorpus(t *testing.T, path string) []doc {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) {
		// go test runs in the package's directory; a path given from the
		// repository's root (review/redact/testdata/…) is found too.
		f, err = os.Open(filepath.Join("..", "..", path))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var j jsonDoc
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		d := doc{lang: j.Lang, text: j.Text}
		line := len(out) + 1
		for _, e := range j.Entities {
			for _, m := range e.Mentions {
				if m[0] < 0 || m[1] > len(j.Text) || m[0] >= m[1] || !utf8.ValidString(j.Text[m[0]:m[1]]) {
					t.Fatalf("%s line %d: mention %v is not a span of whole characters in the text (byte offsets)", path, line, m)
				}
			}
			d.entities = append(d.entities, &goldEntity{typ: e.Type, mentions: e.Mentions})
		}
		out = append(out, d)
	}
	return out
}

func dumpCorpus(t *testing.T, path string, docs []doc) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, d := range docs {
		j := jsonDoc{Lang: d.lang, Text: d.text}
		for _, e := range d.entities {
			j.Entities = append(j.Entities, struct {
				Type     Type     `json:"type"`
				Mentions [][2]int `json:"mentions"`
			}{e.typ, e.mentions})
		}
		if err := enc.Encode(j); err != nil {
			t.Fatal(err)
		}
	}
}

type score struct {
	entities, found    int // gold entities of the type, and those fully covered
	predicted, correct int // proposed spans of the type, and those overlapping gold
	missed             []string
	wrong              []string // proposals that overlap nothing marked
}

// multiScore is the scores one observation counts in: overall and per
// language.
type multiScore []*score

func (m multiScore) each(fn func(*score)) {
	for _, s := range m {
		fn(s)
	}
}

func (s *score) recall() float64 {
	if s.entities == 0 {
		return 1
	}
	return float64(s.found) / float64(s.entities)
}

func (s *score) precision() float64 {
	if s.predicted == 0 {
		return 1
	}
	return float64(s.correct) / float64(s.predicted)
}

func f2(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 5 * p * r / (4*p + r)
}

// evaluate runs the detectors over docs and scores them per type.
func evaluate(t *testing.T, docs []doc) map[Type]*score {
	return evaluateBy(t, docs, nil)
}

// evaluateBy is evaluate; when byLang is not nil it also scores each
// language apart, keyed by the documents' lang.
func evaluateBy(t *testing.T, docs []doc, byLang map[string]map[Type]*score) map[Type]*score {
	scores := map[Type]*score{}
	for _, d := range docs {
		var ls map[Type]*score
		if byLang != nil {
			if byLang[d.lang] == nil {
				byLang[d.lang] = map[Type]*score{}
			}
			ls = byLang[d.lang]
		}
		get := func(ty Type) *multiScore {
			if scores[ty] == nil {
				scores[ty] = &score{}
			}
			m := multiScore{scores[ty]}
			if ls != nil {
				if ls[ty] == nil {
					ls[ty] = &score{}
				}
				m = append(m, ls[ty])
			}
			return &m
		}
		cands, err := Analyze(d.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		covered := make([]bool, len(d.text))
		var proposed []Candidate
		for _, c := range cands {
			if c.Score < defaultThreshold {
				continue
			}
			proposed = append(proposed, c)
			for i := c.Start; i < c.End; i++ {
				covered[i] = true
			}
		}
		gold := make([]bool, len(d.text))
		for _, e := range d.entities {
			s := get(e.typ)
			s.each(func(s *score) { s.entities++ })
			all := true
			for _, m := range e.mentions {
				for i := m[0]; i < m[1]; i++ {
					gold[i] = true
					if !covered[i] && !unicode.IsSpace(rune(d.text[i])) {
						all = false
					}
				}
			}
			var ms []string
			for _, m := range e.mentions {
				ms = append(ms, d.text[m[0]:m[1]])
			}
			s.each(func(s *score) {
				if all {
					s.found++
				} else if len(s.missed) < 12 {
					s.missed = append(s.missed, fmt.Sprintf("%s %q", d.lang, ms))
				}
			})
		}
		for _, c := range proposed {
			s := get(c.Type)
			right := slices.Contains(gold[c.Start:c.End], true)
			s.each(func(s *score) {
				s.predicted++
				if right {
					s.correct++
				} else if len(s.wrong) < 12 {
					s.wrong = append(s.wrong, fmt.Sprintf("%s %q", d.lang, c.Text))
				}
			})
		}
	}
	return scores
}

func report(t *testing.T, name string, scores map[Type]*score) {
	var ts []Type
	for ty := range scores {
		ts = append(ts, ty)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].priority() > ts[j].priority() })
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-10s %8s %8s %9s %9s %6s\n", name, "type", "entities", "recall", "proposed", "precision", "F2")
	for _, ty := range ts {
		s := scores[ty]
		fmt.Fprintf(&b, "%-10s %8d %8.3f %9d %9.3f %6.3f\n", ty, s.entities, s.recall(), s.predicted, s.precision(), f2(s.precision(), s.recall()))
	}
	var pred, corr int
	for _, s := range scores {
		pred += s.predicted
		corr += s.correct
	}
	fmt.Fprintf(&b, "%-10s %8s %8s %9d %9.3f\n", "all", "", "", pred, float64(corr)/float64(max(pred, 1)))
	t.Log(b.String())
	for _, ty := range ts {
		s := scores[ty]
		if want, ok := targets[ty]; ok && s.entities > 0 && s.recall() < want {
			t.Errorf("%s: %s recall %.3f is below %.2f; missed e.g. %s", name, ty, s.recall(), want, strings.Join(s.missed, "; "))
		} else if testing.Verbose() && len(s.missed) > 0 {
			t.Logf("%s: %s missed e.g. %s", name, ty, strings.Join(s.missed, "; "))
		}
		if *evalShow && len(s.wrong) > 0 {
			t.Logf("%s: %s proposed wrongly e.g. %s", name, ty, strings.Join(s.wrong, "; "))
		}
	}
}

// reportLangs logs the scores of each language, without asserting: a
// language has too few documents for its own targets.
func reportLangs(t *testing.T, name string, byLang map[string]map[Type]*score) {
	var langs []string
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		scores := byLang[l]
		var ts []Type
		for ty := range scores {
			ts = append(ts, ty)
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i].priority() > ts[j].priority() })
		var b strings.Builder
		fmt.Fprintf(&b, "%s, lang %s\n%-10s %8s %8s %9s %9s\n", name, l, "type", "entities", "recall", "proposed", "precision")
		var pred, corr int
		for _, ty := range ts {
			s := scores[ty]
			pred += s.predicted
			corr += s.correct
			fmt.Fprintf(&b, "%-10s %8d %8.3f %9d %9.3f\n", ty, s.entities, s.recall(), s.predicted, s.precision())
		}
		fmt.Fprintf(&b, "%-10s %8s %8s %9d %9.3f\n", "all", "", "", pred, float64(corr)/float64(max(pred, 1)))
		t.Log(b.String())
	}
}

func TestEval(t *testing.T) {
	if *evalCorpus != "" {
		byLang := map[string]map[Type]*score{}
		docs := loadCorpus(t, *evalCorpus)
		report(t, fmt.Sprintf("%s (%d testimonies)", *evalCorpus, len(docs)), evaluateBy(t, docs, byLang))
		reportLangs(t, *evalCorpus, byLang)
		return
	}
	dev := corpus(devSeed, *evalN, false)
	held := corpus(heldoutSeed, *evalN, true)
	if *evalDump != "" {
		dumpCorpus(t, filepath.Join(*evalDump, "dev.jsonl"), dev)
		dumpCorpus(t, filepath.Join(*evalDump, "heldout.jsonl"), held)
	}
	report(t, fmt.Sprintf("development seed %d (%d testimonies)", devSeed, len(dev)), evaluate(t, dev))
	report(t, fmt.Sprintf("held-out seed %d with held-out templates (%d testimonies)", heldoutSeed, len(held)), evaluate(t, held))
	if *evalSeed != 0 {
		extra := corpus(*evalSeed, *evalN, true)
		report(t, fmt.Sprintf("seed %d with held-out templates (%d testimonies)", *evalSeed, len(extra)), evaluate(t, extra))
	}
}

func TestCorpusShape(t *testing.T) {
	docs := corpus(devSeed, *evalN, false)
	langs := map[string]int{}
	for _, d := range docs {
		langs[d.lang]++
		for _, e := range d.entities {
			for _, m := range e.mentions {
				if m[0] < 0 || m[1] > len(d.text) || m[0] >= m[1] || !utf8.ValidString(d.text[m[0]:m[1]]) {
					t.Fatalf("bad mention span %v", m)
				}
			}
		}
	}
	ko := langs["ko"] + langs["ko-nk"]
	if len(docs) < 300 || ko == 0 || langs["zh"] == 0 || langs["en"] == 0 {
		t.Fatalf("corpus: %v", langs)
	}
	if nk := float64(langs["ko-nk"]) / float64(ko); nk < 0.35 || nk > 0.45 {
		t.Errorf("North Korean spelling in %.2f of Korean testimonies, want about 0.4", nk)
	}
	t.Logf("languages: %v", langs)
}

// TestValidators checks every validator on generated valid and invalid
// numbers: each must be judged right, every time.
func TestValidators(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		id := genPRCID(r, false)
		if v, ok := checkPRCID(id); !ok || v != Valid {
			t.Fatalf("valid PRC ID judged %v, %v", v, ok)
		}
		bad := genPRCID(r, true)
		if v, ok := checkPRCID(bad); !ok || v != Invalid {
			t.Fatalf("PRC ID with a wrong check character judged %v, %v", v, ok)
		}
		// A changed digit is always caught: the weights are non-zero
		// mod 11, a prime.
		i := r.IntN(17)
		d := byte('0' + (int(id[i]-'0')+1+r.IntN(9))%10)
		changed := id[:i] + string(d) + id[i+1:]
		if v, ok := checkPRCID(changed); ok && v == Valid {
			t.Fatalf("PRC ID with digit %d changed judged valid", i)
		}
		old := id[:6] + id[8:17]
		if _, ok := checkPRCOldID(old); !ok {
			t.Fatalf("15-digit ID not recognised")
		}
		if _, ok := checkPRCOldID(old[:8] + "13" + old[10:]); ok {
			t.Fatalf("15-digit ID with month 13 recognised")
		}
		rrn := genRRN(r, false)
		if v, ok := checkRRN(rrn); !ok || v != Valid {
			t.Fatalf("valid RRN judged %v, %v", v, ok)
		}
		wrong := rrn[:12] + string('0'+(rrn[12]-'0'+1)%10)
		if v, ok := checkRRN(wrong); !ok || v != Unknown {
			// Numbers issued since October 2020 have no check
			// digit: a failed check is "unknown", never "invalid".
			t.Fatalf("RRN with a failed check judged %v, %v, want unknown", v, ok)
		}
		if _, ok := checkRRN(rrn[:2] + "13" + rrn[4:]); ok {
			t.Fatalf("RRN with month 13 recognised")
		}
	}
	for range 3000 {
		s, region := genPhone(r)
		var d strings.Builder
		for _, c := range s {
			if c >= '0' && c <= '9' {
				d.WriteRune(c)
			}
		}
		p, ok := readPhone(d.String(), strings.Contains(s, "+"))
		if !ok || p.v != Valid {
			t.Fatalf("valid %s number %s judged %+v, %v", region, s, p, ok)
		}
	}
	// Numbers of the right shape in ranges no carrier has: never valid.
	for _, bad := range []struct {
		d    string
		plus bool
	}{{"14012345678", false}, {"10012345678", false}, {"01059781234", false}, {"8501949999999", true}, {"86140123456789", true}, {"8501941234567", true}} {
		if p, ok := readPhone(bad.d, bad.plus); ok && p.v == Valid {
			t.Errorf("unallocated number judged valid: %+v", p)
		}
	}
}

// variantsOf returns spellings of a redacted term the residual check
// must catch: North/South initial sounds, Simplified/Traditional, full
// width, spaces, zero-width characters, dashes in numbers, case, and
// mixes of them.
func variantsOf(r *rand.Rand, s string) []string {
	var out []string
	fv, _ := fold.Variants(s, 64)
	out = append(out, fv...)
	hv, _ := hanzi.Variants(s, 64)
	out = append(out, hv...)
	wide := strings.Map(func(c rune) rune {
		if c > ' ' && c < 0x7f {
			return c - '!' + '！'
		}
		return c
	}, s)
	rs := []rune(s)
	join := func(sep string) string {
		var parts []string
		for _, c := range rs {
			parts = append(parts, string(c))
		}
		return strings.Join(parts, sep)
	}
	out = append(out, wide, join(" "), join("\u200b"), join("\u00ad"), strings.ToUpper(s), strings.ToLower(s), join("-"))
	// Mixes: a random spelling, widened, with random spaces.
	for range 4 {
		v := []rune(out[r.IntN(len(out))])
		var b strings.Builder
		for i, c := range v {
			if i > 0 && r.IntN(3) == 0 {
				b.WriteString([]string{" ", "\u200b", "\u2060", "·"}[r.IntN(4)])
			}
			b.WriteRune(c)
		}
		out = append(out, b.String())
	}
	return out
}

// TestEvalResidual redacts every generated testimony with the suggested
// plan, checks that the residual check passes on the output, then injects
// spellings of every redacted term into the output and into a file name,
// and requires every one to be caught.
func TestEvalResidual(t *testing.T) {
	for _, c := range []struct {
		name    string
		seed    uint64
		heldout bool
	}{{"development", devSeed, false}, {"held-out", heldoutSeed, true}} {
		n := *evalN / 3
		if testing.Short() {
			n = 24
		}
		docs := corpus(c.seed, n, c.heldout)
		r := rand.New(rand.NewPCG(c.seed, 3))
		injected, caught, falseBlocks, unsettled := 0, 0, 0, 0
		for di, d := range docs {
			p, err := NewPlan(d.text, &Options{Seed: uint64(di + 1)})
			if err != nil {
				t.Fatal(err)
			}
			out, err := Apply(d.text, p)
			if err != nil {
				t.Fatalf("%v\n%s", err, d.text)
			}
			if un, err := p.Unsettled(d.text, nil); err != nil {
				t.Fatal(err)
			} else if len(un) > 0 {
				unsettled++
				if *evalShow {
					for _, l := range un {
						t.Logf("%s: unsettled %s %q in %q", c.name, l.Type, l.Text, out[max(0, l.Start-30):min(len(out), l.End+30)])
					}
				}
			}
			if leaks := p.Residual(Content{"statement", out}); len(leaks) > 0 {
				falseBlocks++
				if *evalShow {
					for _, l := range leaks {
						dec := p.Decisions[l.Decision]
						t.Logf("%s: blocked: %s %q (→ %q) found as %q", c.name, dec.Type, dec.Original, dec.Replacement, out[l.Start:l.End])
					}
				}
			}
			for i, dec := range p.Decisions {
				if dec.Op == OpKeep {
					continue
				}
				for _, v := range variantsOf(r, dec.Original) {
					at := r.IntN(len(out) + 1)
					for at > 0 && at < len(out) && !utf8.RuneStart(out[at]) {
						at--
					}
					for _, content := range []Content{
						{"statement", out[:at] + " " + v + " " + out[at:]},
						{"file name", "사진_" + v + ".jpg"},
					} {
						injected++
						found := false
						for _, l := range p.Residual(content) {
							if l.Decision == i || p.Decisions[l.Decision].Original == dec.Original {
								found = true
							}
						}
						if found {
							caught++
						} else {
							t.Errorf("%s: a %s spelling of a redacted %s was not caught (decision %d)", c.name, content.Where, dec.Type, i)
						}
					}
				}
			}
		}
		t.Logf("%s: residual check caught %d of %d injected spellings (%.2f%%); %d of %d clean outputs blocked",
			c.name, caught, injected, 100*float64(caught)/float64(max(injected, 1)), falseBlocks, len(docs))
		// A blocked clean output is not a leak but a false alarm the
		// editor must look at; keep them rare.
		if float64(falseBlocks) > 0.02*float64(len(docs)) {
			t.Errorf("%s: %d of %d clean outputs blocked", c.name, falseBlocks, len(docs))
		}
		// The suggested plan settles what the detectors find in her
		// text; what they find anew in its output must be rare too, or
		// the editor learns to wave the check through.
		t.Logf("%s: %d of %d outputs of the suggested plan hold a candidate it does not settle", c.name, unsettled, len(docs))
		if float64(unsettled) > 0.05*float64(len(docs)) {
			t.Errorf("%s: %d of %d outputs of the suggested plan hold unsettled candidates", c.name, unsettled, len(docs))
		}
	}
}
