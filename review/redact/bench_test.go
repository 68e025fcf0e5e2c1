package redact

import (
	"strings"
	"testing"
)

// mixedStatements are generated Korean and Chinese testimonies, about
// 200 KB in all: the two languages the detectors spend most on.
func mixedStatements(tb testing.TB) []string {
	var out []string
	size := 0
	for _, d := range corpus(devSeed, 2000, false) {
		if d.lang == "en" {
			continue
		}
		out = append(out, d.text)
		size += len(d.text)
		if size > 200<<10 {
			break
		}
	}
	return out
}

func mixedText(tb testing.TB) string { return strings.Join(mixedStatements(tb), "") }

// BenchmarkAnalyze analyses each statement on its own, as the editor's
// tool does, and reports the throughput over all of them.
func BenchmarkAnalyze(b *testing.B) {
	docs := mixedStatements(b)
	Analyze(docs[0], nil) // data loaded once per process stays out of the loop
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, err := Analyze(d, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAnalyzeLong is one 200 KB text: the cost grows with the
// number of distinct people and places, whose other mentions are looked
// for everywhere.
func BenchmarkAnalyzeLong(b *testing.B) {
	text := mixedText(b)
	Analyze(text[:1000], nil) // data loaded once per process stays out of the loop
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(text, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := mixedText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(text)
	}
}

// BenchmarkResidual checks each redacted statement against its own plan,
// as export does.
func BenchmarkResidual(b *testing.B) {
	type job struct {
		p   *Plan
		out string
	}
	var jobs []job
	size := 0
	for i, d := range mixedStatements(b) {
		p, err := NewPlan(d, &Options{Seed: uint64(i + 1)})
		if err != nil {
			b.Fatal(err)
		}
		out, err := Apply(d, p)
		if err != nil {
			b.Fatal(err)
		}
		jobs = append(jobs, job{p, out})
		size += len(out)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, j := range jobs {
			j.p.Residual(Content{"statement", j.out})
		}
	}
}

// BenchmarkLoadWordList is the one-time cost of the embedded Korean word
// list, paid by the first statement a process analyses.
func BenchmarkLoadWordList(b *testing.B) {
	for b.Loop() {
		loadKoWords()
	}
}
