package intake

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"math/big"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// KDFParams are the Argon2id parameters that turn a receipt into its look-up
// tag. They set what each guess costs someone holding a copy of the store.
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory per derivation
	Threads   uint8  // lanes
}

// DefaultKDF is RFC 9106's second recommended option cut to one pass, with
// 64 MiB: a receipt has 79 bits of entropy, so the KDF is a second wall, not
// the first; one pass keeps a return visit under a second on two cores.
// MEASURED.md has what it costs.
var DefaultKDF = KDFParams{Time: 1, MemoryKiB: 64 << 10, Threads: 2}

// receiptDigits is the length of a receipt: 24 decimal digits, 79.7 bits.
// Digits read the same in Korean, Chinese and English and can be typed on
// any phone keyboard.
const receiptDigits = 24

// newReceipt returns a fresh receipt, grouped by four for reading aloud.
func newReceipt() string {
	var b strings.Builder
	max := big.NewInt(10)
	for i := range receiptDigits {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		d, _ := rand.Int(rand.Reader, max)
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String()
}

// errBadReceipt means the text typed is not shaped like a receipt.
var errBadReceipt = errors.New("intake: not a receipt")

// normalizeReceipt accepts a receipt as she may type it back: full-width
// digits, spaces, dashes and dots anywhere.
func normalizeReceipt(s string) (string, error) {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '.' || r == '·':
		default:
			return "", errBadReceipt
		}
	}
	if b.Len() != receiptDigits {
		return "", errBadReceipt
	}
	return b.String(), nil
}

// receiptKeys is what one Argon2id derivation of a receipt gives.
type receiptKeys struct {
	tag []byte // look-up tag stored with the submission
}

func deriveReceipt(receipt string, salt []byte, p KDFParams) (receiptKeys, error) {
	master := argon2.IDKey([]byte(receipt), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	tag, err := hkdf.Key(sha256.New, master, nil, "testimony receipt look-up v1", 32)
	if err != nil {
		return receiptKeys{}, err
	}
	return receiptKeys{tag: tag}, nil
}

// errBusy means every KDF slot stayed taken for the whole queue wait.
var errBusy = errors.New("intake: too many receipts being made")

// kdfPool bounds concurrent derivations by a memory budget, so a flood of
// submissions cannot make the server hold gigabytes of Argon2 memory.
type kdfPool struct {
	slots  chan struct{}
	wait   time.Duration
	params KDFParams
	salt   []byte
}

func newKDFPool(p KDFParams, budget int64, wait time.Duration, salt []byte) *kdfPool {
	n := max(1, int(budget/(int64(p.MemoryKiB)<<10)))
	return &kdfPool{slots: make(chan struct{}, n), wait: wait, params: p, salt: salt}
}

// derive runs one derivation when a slot is free within the queue wait, and
// fails with errBusy otherwise.
func (p *kdfPool) derive(ctx context.Context, receipt string) (receiptKeys, error) {
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
	return deriveReceipt(receipt, p.salt, p.params)
}
