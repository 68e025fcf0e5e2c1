package intake

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"runtime"
	"sync/atomic"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/argon2"

	"testimony/internal/agekey"
)

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
	id, err := agekey.X25519FromScalar(scalar)
	if err != nil {
		return receiptKeys{}, err
	}
	return receiptKeys{tag: tag, reply: id}, nil
}

// kdfPool bounds concurrent derivations by a memory budget, so a flood of
// submissions cannot make the server hold gigabytes of Argon2 memory.
type kdfPool struct {
	slots  chan struct{}
	wait   time.Duration
	params KDFParams
	salt   []byte
	runs   atomic.Int64 // derivations run, for the tests that count them
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
	keys, err := p.deriveAll(ctx, value)
	if err != nil {
		return receiptKeys{}, err
	}
	return keys[0], nil
}

// deriveAll runs the derivations of values one after the other in one
// slot: a submission's two receipts (safe.go) wait for the pool once, so
// a client gone after sending its form cannot leave the second one
// underived once the first has run.
func (p *kdfPool) deriveAll(ctx context.Context, values ...string) ([]receiptKeys, error) {
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-t.C:
		return nil, errBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.slots }()
	out := make([]receiptKeys, len(values))
	for i, v := range values {
		p.runs.Add(1)
		keys, err := deriveReceipt(v, p.salt, p.params)
		// Argon2 allocates its memory afresh for every derivation. Collect
		// it before the slot goes to the next one, or for a moment the pool
		// holds one derivation more than the budget allows (the garbage
		// collector runs concurrently and would let the next allocation
		// come first). Small derivations (tests, benchmarks) are not worth
		// a collection.
		if p.params.MemoryKiB >= 8<<10 {
			runtime.GC()
		}
		if err != nil {
			return nil, err
		}
		out[i] = keys
	}
	return out, nil
}
