package vault

import (
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// groupCommit runs the write transactions of concurrent submissions
// together: whatever is waiting when the writer becomes free goes into one
// bbolt transaction, with one pair of fsyncs. Each caller still returns
// only after the transaction holding its writes is on disk, so a receipt
// is never shown for anything less durable than before. One writer at a
// time is all bbolt allows anyway; without grouping, eight clients each
// wait for seven others' fsyncs.
//
// Unlike bbolt's DB.Batch, nothing waits for a timer: a lone submission
// commits at once, and the batch is simply what queued up while the
// previous one was syncing.
type groupCommit struct {
	db       *bolt.DB
	requests chan commitRequest
	done     chan struct{}
	stopOnce sync.Once
}

type commitRequest struct {
	fn     func(*bolt.Tx) error
	size   int64 // bytes of ciphertext fn puts
	result chan error
}

// A group is at most maxGroup callers and, beyond its first, maxGroupBytes
// of ciphertext: bbolt copies what a transaction puts into its own pages at
// commit, and a submission with many files brings all of them at once.
const (
	maxGroup      = 16
	maxGroupBytes = 8 << 20
)

func newGroupCommit(db *bolt.DB) *groupCommit {
	g := &groupCommit{db: db, requests: make(chan commitRequest), done: make(chan struct{})}
	go g.run()
	return g
}

// update runs fn, which puts about size bytes, in a write transaction,
// possibly shared with other callers', and returns when that transaction
// is committed and synced. fn may run more than once, so it must only
// change the transaction: if another caller's function fails, the shared
// transaction is rolled back and every function is run again in a
// transaction of its own.
func (g *groupCommit) update(size int64, fn func(*bolt.Tx) error) error {
	req := commitRequest{fn: fn, size: size, result: make(chan error, 1)}
	select {
	case g.requests <- req:
	case <-g.done:
		return bolterrors.ErrDatabaseNotOpen
	}
	err := <-req.result
	if p, ok := err.(panicked); ok {
		panic(p.value) // in the caller's goroutine, as db.Update would
	}
	return err
}

// panicked carries a function's panic back to its caller.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprint("panic in a write transaction: ", p.value) }

func (g *groupCommit) run() {
	var carried *commitRequest // taken, but would have made the last group too big
	for {
		var first commitRequest
		if carried != nil {
			first, carried = *carried, nil
		} else {
			select {
			case first = <-g.requests:
			case <-g.done:
				return
			}
		}
		group := []commitRequest{first}
		size := first.size
	gather:
		for len(group) < maxGroup {
			select {
			case req := <-g.requests:
				if size+req.size > maxGroupBytes {
					carried = &req
					break gather
				}
				group = append(group, req)
				size += req.size
			default:
				break gather
			}
		}
		g.commit(group)
	}
}

// errOneFailed marks a shared transaction rolled back because one of its
// functions failed.
var errOneFailed = errors.New("one function of the group failed")

func (g *groupCommit) commit(group []commitRequest) {
	if len(group) > 1 {
		err := g.db.Update(func(tx *bolt.Tx) error {
			for _, req := range group {
				if !succeeds(req.fn, tx) {
					return errOneFailed
				}
			}
			return nil
		})
		if err == nil {
			for _, req := range group {
				req.result <- nil
			}
			return
		}
	}
	// Alone, or after a failure: each in its own transaction, so one
	// caller's error is its own and never undoes another's commit.
	for _, req := range group {
		req.result <- g.alone(req.fn)
	}
}

func succeeds(fn func(*bolt.Tx) error, tx *bolt.Tx) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return fn(tx) == nil
}

func (g *groupCommit) alone(fn func(*bolt.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicked{p}
		}
	}()
	return g.db.Update(fn)
}

// stop ends the committer once no caller is waiting. Callers that come
// later get bolterrors.ErrDatabaseNotOpen.
func (g *groupCommit) stop() { g.stopOnce.Do(func() { close(g.done) }) }
