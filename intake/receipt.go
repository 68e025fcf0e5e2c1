package intake

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"strings"
	"time"
	"unicode"

	"filippo.io/age"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"testimony/internal/bech32"
)

// A receipt is a random number she is shown twice: as six words from the
// word list of her language, and as twenty digits. Either way typed back
// gives the same number, and only an Argon2id derivation of it is stored.
// wordlists/README.md says where the words come from and why some are gone.

const (
	receiptWords  = 6
	receiptDigits = 20 // enough for 2048^6 < 10^20
)

//go:embed wordlists/*.txt
var wordlistFS embed.FS

type wordlist struct {
	words []string
	index map[string]int
	space *big.Int // len(words)^receiptWords
}

var wordlists = func() map[lang]*wordlist {
	m := map[lang]*wordlist{}
	for _, l := range languages {
		b, err := wordlistFS.ReadFile("wordlists/" + string(l) + ".txt")
		if err != nil {
			panic(err)
		}
		wl := &wordlist{index: map[string]int{}}
		for _, w := range strings.Fields(string(b)) {
			w = norm.NFC.String(w)
			wl.index[w] = len(wl.words)
			wl.words = append(wl.words, w)
		}
		if len(wl.index) != len(wl.words) {
			panic("duplicate word in the " + string(l) + " list")
		}
		n := big.NewInt(int64(len(wl.words)))
		wl.space = new(big.Int).Exp(n, big.NewInt(receiptWords), nil)
		m[l] = wl
	}
	return m
}()

// receipt is a receipt as shown: its words in one language and its digits.
type receipt struct {
	Words  string
	Digits string
	value  string // canonical: the number in receiptDigits decimal digits
}

// List is the receipt's words one by one, for the page that shows them
// numbered, one a line.
func (r receipt) List() []string { return strings.Fields(r.Words) }

// newReceipt draws a receipt for a survivor writing in l.
func newReceipt(l lang) receipt {
	wl := wordlists[l]
	v, err := rand.Int(rand.Reader, wl.space)
	if err != nil {
		panic(err)
	}
	return receiptFromValue(l, v)
}

func receiptFromValue(l lang, v *big.Int) receipt {
	wl := wordlists[l]
	n := big.NewInt(int64(len(wl.words)))
	words := make([]string, receiptWords)
	rest, idx := new(big.Int).Set(v), new(big.Int)
	for i := receiptWords - 1; i >= 0; i-- {
		rest.DivMod(rest, n, idx)
		words[i] = wl.words[idx.Int64()]
	}
	value := fmt.Sprintf("%0*s", receiptDigits, v.String())
	var digits strings.Builder
	for i, c := range value {
		if i > 0 && i%4 == 0 {
			digits.WriteByte(' ')
		}
		digits.WriteRune(c)
	}
	return receipt{Words: strings.Join(words, " "), Digits: digits.String(), value: value}
}

// errBadReceipt means what she typed is not a receipt: not six known words
// of one list, nor twenty digits.
var errBadReceipt = errors.New("intake: not a receipt")

// parseReceipt accepts a receipt as she may type it back: words or digits,
// in any of the three lists, with extra spaces, dashes or dots, full-width
// forms, any case; Chinese words may be typed without spaces. It returns
// the canonical value.
func parseReceipt(s string) (string, error) {
	if len(s) > 400 {
		return "", errBadReceipt
	}
	s = strings.ToLower(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("-.·,、，。_/", r) {
			return ' '
		}
		return r
	}, s)
	if digits := strings.ReplaceAll(strings.Join(strings.Fields(s), ""), " ", ""); digits != "" && strings.Trim(digits, "0123456789") == "" {
		if len(digits) != receiptDigits {
			return "", errBadReceipt
		}
		return digits, nil
	}
	fields := strings.Fields(s)
	if len(fields) == 1 && strings.IndexFunc(fields[0], func(r rune) bool { return !unicode.Is(unicode.Han, r) }) < 0 {
		fields = strings.Split(fields[0], "") // 的一是在不了, typed without spaces
	}
	if len(fields) != receiptWords {
		return "", errBadReceipt
	}
	for _, l := range languages {
		wl := wordlists[l]
		v, n := new(big.Int), big.NewInt(int64(len(wl.words)))
		ok := true
		for _, f := range fields {
			i, found := wl.index[f]
			if !found {
				ok = false
				break
			}
			v.Mul(v, n).Add(v, big.NewInt(int64(i)))
		}
		if ok {
			return fmt.Sprintf("%0*s", receiptDigits, v.String()), nil
		}
	}
	return "", errBadReceipt
}

// KDFParams are the Argon2id parameters that turn a receipt into its look-up
// tag and reply key. They set what each guess costs someone holding a copy
// of the store.
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory per derivation
	Threads   uint8  // lanes
}

// DefaultKDF is RFC 9106's second recommended option cut to one pass, with
// 64 MiB: a receipt has at least 64 bits of entropy, so the KDF is a second
// wall, not the first, and one pass keeps a return visit well under a second
// on two cores. docs/performance.md has what it costs.
var DefaultKDF = KDFParams{Time: 1, MemoryKiB: 64 << 10, Threads: 2}

// receiptKeys is what one Argon2id derivation of a receipt gives.
type receiptKeys struct {
	tag   []byte              // look-up tag stored with the submission
	reply *age.X25519Identity // replies are encrypted to its recipient
}

func deriveReceipt(value string, salt []byte, p KDFParams) (receiptKeys, error) {
	master := argon2.IDKey([]byte(value), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	tag, err := hkdf.Key(sha256.New, master, nil, "testimony receipt look-up v1", 32)
	if err != nil {
		return receiptKeys{}, err
	}
	scalar, err := hkdf.Key(sha256.New, master, nil, "testimony reply key v1", 32)
	if err != nil {
		return receiptKeys{}, err
	}
	id, err := age.ParseX25519Identity(strings.ToUpper(bech32.Encode("age-secret-key-", scalar)))
	if err != nil {
		return receiptKeys{}, err
	}
	return receiptKeys{tag: tag, reply: id}, nil
}

// errBusy means every KDF slot stayed taken for the whole queue wait.
var errBusy = errors.New("intake: too busy")

// kdfPool bounds concurrent derivations by a memory budget, so a flood of
// submissions cannot make the server hold gigabytes of Argon2 memory.
type kdfPool struct {
	slots  chan struct{}
	wait   time.Duration
	params KDFParams
	salt   []byte
}

// newKDFPool runs at most concurrency derivations at once, and fewer if
// the memory budget holds fewer.
func newKDFPool(p KDFParams, budget int64, concurrency int, wait time.Duration, salt []byte) *kdfPool {
	n := max(1, min(concurrency, int(budget/(int64(p.MemoryKiB)<<10))))
	return &kdfPool{slots: make(chan struct{}, n), wait: wait, params: p, salt: salt}
}

// bestKDFConcurrency is one derivation per p.Threads cores: each lane of
// Argon2id keeps a core busy, and more derivations than that only fight
// over the cores and their caches.
func bestKDFConcurrency(p KDFParams) int {
	return max(1, runtime.NumCPU()/max(1, int(p.Threads)))
}

// derive runs one derivation when a slot is free within the queue wait, and
// fails with errBusy otherwise.
func (p *kdfPool) derive(ctx context.Context, value string) (receiptKeys, error) {
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-t.C:
		return receiptKeys{}, errBusy
	case <-ctx.Done():
		return receiptKeys{}, ctx.Err()
	}
	defer func() { <-p.slots }()
	keys, err := deriveReceipt(value, p.salt, p.params)
	// Argon2 allocates its memory afresh for every derivation. Collect it
	// before the slot goes to the next one, or for a moment the pool holds
	// one derivation more than the budget allows (the garbage collector
	// runs concurrently and would let the next allocation come first).
	// Small derivations (tests, benchmarks) are not worth a collection.
	if p.params.MemoryKiB >= 8<<10 {
		runtime.GC()
	}
	return keys, err
}
