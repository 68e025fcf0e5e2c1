//go:build ignore

// Command markup converts the hand-written evaluation markup to JSON lines and
// splits new batches of documents into dev and sealed.
//
// Markup: one document per line, "<lang>\t<text>", lang one of ko, zh, en.
// Lines that are empty or start with "#" are ignored. An entity mention is
// written [[type|text]] or [[type#id|text]]; mentions with the same type and id
// in one document are one entity, a mention without an id is an entity of its
// own.
//
//	go run tool/markup.go convert dev.markup > dev.jsonl
//	go run tool/markup.go convert sealed.markup > sealed.jsonl
//	go run tool/markup.go split -seed 18 -batch b1 batch1.markup   # appends to dev.markup, sealed.markup
//	go run tool/markup.go split -seed 18 -batch b3 -by-type batch3.markup
//	go run tool/markup.go stats dev.markup sealed.markup
//	go run tool/markup.go prcid 22240519870312041                    # prints the ID with its check digit
//
// convert checks every document: known language and types, balanced markup,
// that each byte range of the output slices to the marked text, PRC ID check
// digits, 15-digit old IDs, ROK resident registration numbers (date shape and,
// for numbers issued before October 2020, the check digit).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"sort"
	"strings"
)

var types = map[string]bool{
	"name": true, "place": true, "org": true,
	"phone": true, "wechat": true, "qq": true, "email": true, "url": true, "ip": true, "gps": true,
	"prc-id": true, "prc-id-15": true, "rok-rrn": true, "dprk-card": true, "number": true,
	"date": true,
}

var langs = map[string]bool{"ko": true, "zh": true, "en": true}

type Entity struct {
	Type     string   `json:"type"`
	Mentions [][2]int `json:"mentions"`
}

type Doc struct {
	Lang     string   `json:"lang"`
	Text     string   `json:"text"`
	Entities []Entity `json:"entities"`
}

// mention is one marked span before grouping.
type mention struct {
	typ, id, text string
	start, end    int
}

// parse turns one markup line into a document.
func parse(line string) (Doc, []mention, error) {
	lang, body, ok := strings.Cut(line, "\t")
	if !ok {
		return Doc{}, nil, errors.New("no tab after the language")
	}
	if !langs[lang] {
		return Doc{}, nil, fmt.Errorf("unknown language %q", lang)
	}
	var out strings.Builder
	var ms []mention
	rest := body
	for {
		i := strings.Index(rest, "[[")
		j := strings.Index(rest, "]]")
		if i < 0 {
			if j >= 0 {
				return Doc{}, nil, errors.New("]] without [[")
			}
			out.WriteString(rest)
			break
		}
		if j >= 0 && j < i {
			return Doc{}, nil, errors.New("]] without [[")
		}
		out.WriteString(rest[:i])
		rest = rest[i+2:]
		j = strings.Index(rest, "]]")
		if j < 0 {
			return Doc{}, nil, errors.New("[[ without ]]")
		}
		inner := rest[:j]
		rest = rest[j+2:]
		if strings.Contains(inner, "[[") {
			return Doc{}, nil, errors.New("nested [[")
		}
		head, text, ok := strings.Cut(inner, "|")
		if !ok || text == "" || strings.Contains(text, "|") {
			return Doc{}, nil, fmt.Errorf("bad mention %q", inner)
		}
		typ, id, _ := strings.Cut(head, "#")
		if !types[typ] {
			return Doc{}, nil, fmt.Errorf("unknown type %q", typ)
		}
		if strings.TrimSpace(text) != text {
			return Doc{}, nil, fmt.Errorf("mention %q has outer spaces", text)
		}
		if err := validate(typ, text); err != nil {
			return Doc{}, nil, fmt.Errorf("%s %q: %v", typ, text, err)
		}
		start := out.Len()
		out.WriteString(text)
		ms = append(ms, mention{typ: typ, id: id, text: text, start: start, end: out.Len()})
	}
	d := Doc{Lang: lang, Text: out.String(), Entities: []Entity{}}
	index := map[string]int{}
	for _, m := range ms {
		if m.id == "" {
			d.Entities = append(d.Entities, Entity{Type: m.typ, Mentions: [][2]int{{m.start, m.end}}})
			continue
		}
		k := m.typ + "#" + m.id
		if n, ok := index[k]; ok {
			d.Entities[n].Mentions = append(d.Entities[n].Mentions, [2]int{m.start, m.end})
			continue
		}
		index[k] = len(d.Entities)
		d.Entities = append(d.Entities, Entity{Type: m.typ, Mentions: [][2]int{{m.start, m.end}}})
	}
	// Check: each range slices to its marked text, ranges don't overlap.
	for _, m := range ms {
		if d.Text[m.start:m.end] != m.text {
			return Doc{}, nil, fmt.Errorf("offset check failed for %q", m.text)
		}
	}
	sorted := append([]mention(nil), ms...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].start < sorted[b].start })
	for k := 1; k < len(sorted); k++ {
		if sorted[k].start < sorted[k-1].end {
			return Doc{}, nil, errors.New("overlapping mentions")
		}
	}
	if strings.Contains(d.Text, "[[") || strings.Contains(d.Text, "]]") {
		return Doc{}, nil, errors.New("markup left in text")
	}
	return d, ms, nil
}

var (
	digits     = regexp.MustCompile(`[0-9]`)
	prcWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	rrnWeights = []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
)

func digitsOf(s string) string { return strings.Join(digits.FindAllString(s, -1), "") }

func prcCheck(d17 string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += int(d17[i]-'0') * prcWeights[i]
	}
	return "10X98765432"[s%11]
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 29
	}
	return d <= days
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func validate(typ, text string) error {
	switch typ {
	case "prc-id":
		s := strings.ToUpper(strings.ReplaceAll(text, " ", ""))
		if len(s) != 18 || digitsOf(s[:17]) != s[:17] {
			return errors.New("not 17 digits and a check character")
		}
		if !validDate(atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])) {
			return errors.New("bad birth date")
		}
		if c := prcCheck(s[:17]); s[17] != c {
			return fmt.Errorf("check character should be %c", c)
		}
	case "prc-id-15":
		s := digitsOf(text)
		if len(s) != 15 {
			return errors.New("not 15 digits")
		}
		if !validDate(1900+atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12])) {
			return errors.New("bad birth date")
		}
	case "rok-rrn":
		s := digitsOf(text)
		if len(s) != 13 {
			return errors.New("not 13 digits")
		}
		century := map[byte]int{'1': 1900, '2': 1900, '3': 2000, '4': 2000, '5': 1900, '6': 1900, '7': 2000, '8': 2000}[s[6]]
		if century == 0 || !validDate(century+atoi(s[0:2]), atoi(s[2:4]), atoi(s[4:6])) {
			return errors.New("bad date or sex digit")
		}
		sum := 0
		for i := 0; i < 12; i++ {
			sum += int(s[i]-'0') * rrnWeights[i]
		}
		if c := (11 - sum%11) % 10; int(s[12]-'0') != c {
			return fmt.Errorf("check digit should be %d", c)
		}
	}
	return nil
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimRight(l, "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

func convert(path string) error {
	lines, err := readLines(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for n, l := range lines {
		d, _, err := parse(l)
		if err != nil {
			return fmt.Errorf("%s: document %d: %v\n\t%s", path, n+1, err, l)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d); err != nil {
			return err
		}
		w.Write(buf.Bytes())
	}
	return nil
}

// rarity orders the structured identifier types, rarest first, for the
// stratified split.
var rarity = []string{"dprk-card", "prc-id-15", "rok-rrn", "ip", "gps", "url", "qq", "email", "number", "prc-id", "wechat", "phone"}

// stratum is the rarest identifier type in a document, or "" if it has none.
func stratum(ms []mention) string {
	for _, t := range rarity {
		for _, m := range ms {
			if m.typ == t {
				return t
			}
		}
	}
	return ""
}

// split appends the documents of a new batch to dev.markup and sealed.markup:
// per language, a shuffle by the seed and the batch name puts two thirds
// (rounded) into dev. With byType, the shuffled documents of the whole batch
// are grouped by the rarest identifier type they hold, then by language, and
// every third document of that order (from a random offset) goes to sealed, so
// that each identifier type and each language reach both parts in proportion.
// Earlier batches keep their place.
func split(seed int64, batch, path, devPath, sealedPath string, byType bool) error {
	lines, err := readLines(path)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range []string{devPath, sealedPath} {
		old, err := readLines(p)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, l := range old {
			seen[l] = true
		}
	}
	byLang := map[string][]string{}
	strat := map[string]string{}
	for n, l := range lines {
		_, ms, err := parse(l)
		strat[l] = stratum(ms)
		if err != nil {
			return fmt.Errorf("%s: document %d: %v\n\t%s", path, n+1, err, l)
		}
		if seen[l] {
			return fmt.Errorf("%s: document %d is already in dev or sealed", path, n+1)
		}
		seen[l] = true
		lang, _, _ := strings.Cut(l, "\t")
		byLang[lang] = append(byLang[lang], l)
	}
	var dev, sealed []string
	if byType {
		// One list for the whole batch, grouped by identifier type and, within
		// a type, by language; every third document from a random offset goes
		// to sealed: each type and each language reach sealed in proportion.
		var ls []string
		for _, lang := range []string{"ko", "zh", "en"} {
			ls = append(ls, byLang[lang]...)
		}
		var h int64
		for _, c := range batch {
			h = h*31 + int64(c)
		}
		r := rand.New(rand.NewSource(seed ^ h))
		r.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		rank := map[string]int{"": len(rarity)}
		for i, t := range rarity {
			rank[t] = i
		}
		lrank := map[string]int{"ko": 0, "zh": 1, "en": 2}
		key := func(l string) int {
			lang, _, _ := strings.Cut(l, "\t")
			return rank[strat[l]]*3 + lrank[lang]
		}
		sort.SliceStable(ls, func(i, j int) bool { return key(ls[i]) < key(ls[j]) })
		off := r.Intn(3)
		for i, l := range ls {
			if (i+off)%3 == 2 {
				sealed = append(sealed, l)
			} else {
				dev = append(dev, l)
			}
		}
	}
	for _, lang := range []string{"ko", "zh", "en"} {
		if byType {
			break
		}
		ls := byLang[lang]
		var h int64
		for _, c := range batch + "/" + lang {
			h = h*31 + int64(c)
		}
		r := rand.New(rand.NewSource(seed ^ h))
		r.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		nd := (2*len(ls) + 1) / 3
		dev = append(dev, ls[:nd]...)
		sealed = append(sealed, ls[nd:]...)
	}
	appendTo := func(p string, ls []string) error {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		fmt.Fprintf(f, "# batch %s (seed %d)\n", batch, seed)
		for _, l := range ls {
			fmt.Fprintln(f, l)
		}
		return f.Close()
	}
	if err := appendTo(devPath, dev); err != nil {
		return err
	}
	if err := appendTo(sealedPath, sealed); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "batch %s: %d to dev, %d to sealed\n", batch, len(dev), len(sealed))
	return nil
}

func stats(paths []string) error {
	for _, p := range paths {
		lines, err := readLines(p)
		if err != nil {
			return err
		}
		docs := map[string]int{}
		ents := map[string]int{}
		ments := map[string]int{}
		empty := 0
		for n, l := range lines {
			d, _, err := parse(l)
			if err != nil {
				return fmt.Errorf("%s: document %d: %v", p, n+1, err)
			}
			docs[d.Lang]++
			if len(d.Entities) == 0 {
				empty++
			}
			for _, e := range d.Entities {
				ents[e.Type]++
				ments[e.Type] += len(e.Mentions)
			}
		}
		fmt.Printf("%s: %d documents (ko %d, zh %d, en %d), %d without entities\n", p, len(lines), docs["ko"], docs["zh"], docs["en"], empty)
		var ks []string
		for k := range ents {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			fmt.Printf("  %-10s %4d entities %4d mentions\n", k, ents[k], ments[k])
		}
	}
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: markup convert|split|stats|prcid ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "convert":
		if len(os.Args) != 3 {
			err = errors.New("usage: markup convert FILE.markup > FILE.jsonl")
			break
		}
		err = convert(os.Args[2])
	case "split":
		fs := flag.NewFlagSet("split", flag.ExitOnError)
		seed := fs.Int64("seed", 18, "fixed seed")
		batch := fs.String("batch", "", "batch name (part of the shuffle's seed)")
		devPath := fs.String("dev", "dev.markup", "dev markup to append to")
		sealedPath := fs.String("sealed", "sealed.markup", "sealed markup to append to")
		byType := fs.Bool("by-type", false, "stratify by language and by the rarest identifier type")
		fs.Parse(os.Args[2:])
		if *batch == "" || fs.NArg() != 1 {
			err = errors.New("usage: markup split -seed N -batch NAME BATCH.markup")
			break
		}
		err = split(*seed, *batch, fs.Arg(0), *devPath, *sealedPath, *byType)
	case "stats":
		err = stats(os.Args[2:])
	case "prcid":
		for _, a := range os.Args[2:] {
			if len(a) != 17 || digitsOf(a) != a {
				err = fmt.Errorf("%s: want 17 digits", a)
				break
			}
			fmt.Printf("%s%c\n", a, prcCheck(a))
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "markup:", err)
		os.Exit(1)
	}
}
