//go:build ignore

// gen writes the data files of this directory from Debian packages:
//
//	ko-words.txt.gz  every Hangul word of 1 to 6 syllables in hunspell-ko's
//	                 ko.dic (NFC), one a line, sorted
//	hangul.txt       the Korean readings (Unihan kHangul) of Han characters,
//	                 "character TAB readings", a Simplified character taking
//	                 those of its Traditional form (kTraditionalVariant)
//
// Run from this directory, with hunspell-ko and unicode-data installed:
//
//	go run gen.go
//
// The output is deterministic: the same packages give the same bytes.
package main

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

func main() {
	words()
	readings()
}

func words() {
	f, err := os.Open("/usr/share/hunspell/ko.dic")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	set := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Scan() // the count
	for sc.Scan() {
		w, _, _ := strings.Cut(sc.Text(), "/")
		w = norm.NFC.String(w)
		n := 0
		ok := true
		for _, r := range w {
			n++
			ok = ok && r >= 0xAC00 && r <= 0xD7A3
		}
		if ok && n >= 1 && n <= 6 {
			set[w] = true
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	var ws []string
	for w := range set {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	out, err := os.Create("ko-words.txt.gz")
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	for _, w := range ws {
		fmt.Fprintln(zw, w)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}

func unihan(file, field string) map[rune]string {
	f, err := os.Open("/usr/share/unicode/" + file)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	m := map[rune]string{}
	sc := bufio.NewScanner(bzip2.NewReader(f))
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 3 || p[1] != field {
			continue
		}
		cp, err := strconv.ParseUint(strings.TrimPrefix(p[0], "U+"), 16, 32)
		if err != nil {
			log.Fatal(err)
		}
		m[rune(cp)] = p[2]
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return m
}

func readings() {
	hangul := unihan("Unihan_Readings.txt.bz2", "kHangul")
	trad := unihan("Unihan_Variants.txt.bz2", "kTraditionalVariant")
	// "룡:0E 용:0" → 룡 용: the readings without their source tags.
	clean := func(s string) []string {
		var out []string
		for _, f := range strings.Fields(s) {
			r, _, _ := strings.Cut(f, ":")
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
		return out
	}
	all := map[rune][]string{}
	for r, s := range hangul {
		all[r] = clean(s)
	}
	for r, t := range trad {
		if _, ok := all[r]; ok {
			continue
		}
		var rs []string
		for _, f := range strings.Fields(t) {
			cp, err := strconv.ParseUint(strings.TrimPrefix(f, "U+"), 16, 32)
			if err != nil {
				log.Fatal(err)
			}
			for _, x := range clean(hangul[rune(cp)]) {
				if !slices.Contains(rs, x) {
					rs = append(rs, x)
				}
			}
		}
		if len(rs) > 0 {
			all[r] = rs
		}
	}
	var keys []rune
	for r := range all {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	out, err := os.Create("hangul.txt")
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(out)
	for _, r := range keys {
		fmt.Fprintf(w, "%c\t%s\n", r, strings.Join(all[r], " "))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}
