package redact

import (
	"syscall"
	"testing"
	"time"
)

// CPU time instead of wall time: on a shared machine a benchmark's wall
// time measures the neighbours as much as the code. These report the
// process's user and system time per operation (cpu-ns/op) beside it,
// so two versions benchmarked in one session compare on what each
// spent.

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchCPU(b *testing.B, size int, op func()) {
	b.SetBytes(int64(size))
	var spent time.Duration
	n := 0
	for b.Loop() {
		t := cpuNow()
		op()
		spent += cpuNow() - t
		n++
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(n), "cpu-ns/op")
	b.ReportMetric(float64(size)/spent.Seconds()*float64(n)/1e6, "cpu-MB/s")
}

func BenchmarkCPUAnalyzeLong(b *testing.B) {
	text := mixedText(b)
	Analyze(text[:1000], nil)
	benchCPU(b, len(text), func() {
		if _, err := Analyze(text, nil); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkCPUAnalyze(b *testing.B) {
	docs := mixedStatements(b)
	Analyze(docs[0], nil)
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	benchCPU(b, size, func() {
		for _, d := range docs {
			if _, err := Analyze(d, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCPUResidual(b *testing.B) {
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
	benchCPU(b, size, func() {
		for _, j := range jobs {
			j.p.Residual(Content{"statement", j.out})
		}
	})
}

// BenchmarkCPUResidualDetect is the whole residual check as export runs
// it: the plan's terms in every spelling, then the detectors over the
// redacted text ([Plan.Unsettled]).
func BenchmarkCPUResidualDetect(b *testing.B) {
	type job struct {
		p         *Plan
		text, out string
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
		jobs = append(jobs, job{p, d, out})
		size += len(out)
	}
	benchCPU(b, size, func() {
		for _, j := range jobs {
			j.p.Residual(Content{"statement", j.out})
			if _, err := j.p.Unsettled(j.text, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
