package intake

import (
	"context"
	"sync"
	"time"
)

// sentForms remembers, in memory only and for a short while, what became
// of the write forms that were sent, so that the same form sent again
// (a double tap on a slow link, a connection dropped after sending, Back
// then Resend) tells her the truth: the receipt she may never have seen,
// once, or that her account arrived. A receipt is never written to disk;
// here it lives at most receiptAgainFor, and only until it is shown once.
type sentForms struct {
	mu      sync.Mutex
	m       map[[16]byte]*sentForm
	byCheck map[[16]byte][16]byte // check form token → write form token
}

type sentForm struct {
	done      chan struct{} // closed when the first request has finished
	committed bool
	receipt   *receipt // nil once shown again, or after receiptAgainFor
	expires   time.Time
	check     [16]byte // the token of the receipt page's check form
}

const (
	// receiptAgainFor is how long after the commit a second sending of
	// the same form shows the receipt (once).
	receiptAgainFor = 2 * time.Minute
	// arrivedFor is how long a form is remembered as committed, to say
	// "it arrived" rather than "too old": as long as the form lives.
	arrivedFor = 24 * time.Hour
	// maxSentForms bounds the table. An entry is made only by a form
	// whose token was valid and unspent, so filling it takes as many
	// whole POSTs; when it is full, the oldest entries go first, and a
	// form sent again then gets the "too old" page with her text back.
	maxSentForms = 100000
)

// start records that the form id is being sent; the caller must call
// finish with what it returns.
func (s *sentForms) start(id [16]byte) *sentForm {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[[16]byte]*sentForm{}
	}
	if len(s.m) >= maxSentForms {
		now := time.Now()
		var oldest [16]byte
		var oldestExp time.Time
		for k, f := range s.m {
			select {
			case <-f.done:
			default:
				continue // in flight: bounded by the connections
			}
			if now.After(f.expires) {
				s.drop(k, f)
			} else if oldestExp.IsZero() || f.expires.Before(oldestExp) {
				oldest, oldestExp = k, f.expires
			}
		}
		if len(s.m) >= maxSentForms && !oldestExp.IsZero() {
			s.drop(oldest, s.m[oldest])
		}
	}
	f := &sentForm{done: make(chan struct{})}
	s.m[id] = f
	return f
}

// finish records the outcome of sending form id: rc is her receipt if it
// was committed, nil if nothing was stored (the entry then goes, with the
// token released by the caller).
func (s *sentForms) finish(id [16]byte, f *sentForm, rc *receipt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rc == nil {
		if s.m[id] == f {
			delete(s.m, id)
		}
	} else {
		now := time.Now()
		f.committed, f.receipt, f.expires = true, rc, now.Add(arrivedFor)
		// The receipt goes sooner than the entry.
		time.AfterFunc(receiptAgainFor, func() {
			s.mu.Lock()
			f.receipt = nil
			delete(s.byCheck, f.check)
			s.mu.Unlock()
		})
	}
	close(f.done)
}

// again is the answer for form id sent again: it waits while the first
// sending is still in flight, then returns her receipt the first time it
// is asked within receiptAgainFor, and reports whether the form was
// committed at all. known is false if the form is not remembered (it may
// have been stored long ago, or its first sending failed and was released).
func (s *sentForms) again(ctx context.Context, id [16]byte) (rc *receipt, committed, known bool) {
	s.mu.Lock()
	f := s.m[id]
	s.mu.Unlock()
	if f == nil {
		return nil, false, false
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, false, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[id] != f {
		return nil, false, false
	}
	rc, f.receipt = f.receipt, nil
	return rc, f.committed, true
}

// seen forgets the receipt whose page had the check form check: she used
// that form, so the receipt page reached her, and sending the form again
// must not show it a second time.
func (s *sentForms) seen(check [16]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byCheck[check]
	if !ok {
		return
	}
	delete(s.byCheck, check)
	if f := s.m[id]; f != nil && f.check == check {
		f.receipt = nil
	}
}

// checked records the token of the check form shown with form id's
// receipt.
func (s *sentForms) checked(id [16]byte, f *sentForm, check [16]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byCheck == nil {
		s.byCheck = map[[16]byte][16]byte{}
	}
	f.check = check
	s.byCheck[check] = id
}

// drop forgets entry k; s.mu must be held.
func (s *sentForms) drop(k [16]byte, f *sentForm) {
	delete(s.m, k)
	delete(s.byCheck, f.check)
}
