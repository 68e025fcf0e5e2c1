package intake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"sync"
	"time"
)

// formTokens are single-use tokens in the hidden fields of the forms that
// carry a secret or store something: the form she writes in, the return
// form, the receipt check, and every form of a visit, including the one
// that only shows it. A browser keeps every form she sent in the tab's
// history, and Back then Resend would send it again: her receipt (opening
// her visit to whoever holds the phone), her receipt check (showing her
// receipt again), her visit's page, or her account (storing it twice). A
// token is spent by its first use; a page sent again finds it spent.
//
// Tokens are sealed with a key made anew when the process starts and kept
// only in its memory, and the spent ones are remembered in memory until
// their expiry. So a restart forgets both at once: every token issued
// before it dies, and nothing about tokens (no times, no count) is ever on
// disk. A form that dies that way is not lost: the refusal gives her text
// back in a fresh form (see stale).
//
// The table of spent tokens is bounded. When it is full of unexpired
// tokens, the key is made anew and the table emptied (a new generation):
// every token then outstanding dies as at a restart. A flood can thus cost
// survivors a refused form that gives their text back, never a site that
// refuses everyone, and never unbounded memory.
type formTokens struct {
	mu    sync.Mutex
	aead  cipher.AEAD
	max   int
	spent map[[16]byte]time.Time // token ID → its expiry, to drop it after
	// generations counts the times the table filled up; for tests and
	// the operator's log.
	generations int
}

// maxSpentTokens bounds the memory of spent tokens: about 40 bytes of
// map entry each, so some 20 MB when full. Filling it takes as many
// token-spending POSTs (each with a token from a GET) within a token's
// lifetime; what it costs survivors is one generation change (above).
const maxSpentTokens = 500000

// Purposes and lifetimes of form tokens.
const (
	tokenWrite  = "write"  // the form she writes in: long, she may write for hours
	tokenReturn = "return" // the form she types her receipt into
	tokenCheck  = "check"  // the "type it once" form under her receipt
	tokenSecond = "second" // the form that gives her the second receipt
	tokenVisit  = "visit"  // the forms of a visit: show, add, withdraw
)

var tokenTTL = map[string]time.Duration{
	tokenWrite:  24 * time.Hour,
	tokenReturn: time.Hour,
	tokenCheck:  time.Hour,
	tokenSecond: time.Hour,
	tokenVisit:  visitIdle,
}

// tokenState is what spending a token found.
type tokenState int

const (
	tokenOK    tokenState = iota // valid and unspent: now spent
	tokenSpent                   // valid, but already spent
	tokenStale                   // not a token of this process's current key, or expired
)

func newFormTokens(max int) *formTokens {
	f := &formTokens{max: max, spent: map[[16]byte]time.Time{}}
	f.newKey()
	return f
}

// newKey makes a fresh key; f.mu must be held (or f not yet shared).
func (f *formTokens) newKey() {
	key := make([]byte, 32)
	rand.Read(key)
	block, _ := aes.NewCipher(key)
	f.aead, _ = cipher.NewGCM(block)
}

// issue returns a fresh token for purpose.
func (f *formTokens) issue(purpose string) string {
	token, _ := f.issueID(purpose)
	return token
}

// issueID returns a fresh token for purpose, and its ID.
func (f *formTokens) issueID(purpose string) (string, [16]byte) {
	var plain [24]byte
	rand.Read(plain[:16])
	binary.BigEndian.PutUint64(plain[16:], uint64(time.Now().Add(tokenTTL[purpose]).Unix()))
	f.mu.Lock()
	aead := f.aead
	f.mu.Unlock()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain[:], []byte(purpose))), [16]byte(plain[:16])
}

// open returns the token's ID and expiry if it was sealed for purpose by
// the current key.
func (f *formTokens) open(aead cipher.AEAD, token, purpose string) (id [16]byte, expiry time.Time, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < aead.NonceSize() {
		return id, expiry, false
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(purpose))
	if err != nil || len(plain) != 24 {
		return id, expiry, false
	}
	return [16]byte(plain[:16]), time.Unix(int64(binary.BigEndian.Uint64(plain[16:])), 0), true
}

// spend spends token for purpose and reports what it found, with the
// token's ID (zero if stale).
func (f *formTokens) spend(token, purpose string) ([16]byte, tokenState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, expiry, ok := f.open(f.aead, token, purpose)
	now := time.Now()
	if !ok || now.After(expiry) {
		return [16]byte{}, tokenStale
	}
	if _, spent := f.spent[id]; spent {
		return id, tokenSpent
	}
	if !f.room(now) {
		// A new generation: this token dies with the others.
		return [16]byte{}, tokenStale
	}
	f.spent[id] = expiry
	return id, tokenOK
}

// spendOnce records that something was done once for a token that is not
// (or no longer) valid, such as giving her text back from a stale form, so
// that the same page sent again does not do it again. It reports whether
// this is the first time. The record is a hash of the token, kept as long
// as a write token lives.
func (f *formTokens) spendOnce(token string) bool {
	sum := sha256.Sum256([]byte("stale " + token))
	id := [16]byte(sum[:16])
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, done := f.spent[id]; done {
		return false
	}
	now := time.Now()
	if !f.room(now) {
		return true
	}
	f.spent[id] = now.Add(tokenTTL[tokenWrite])
	return true
}

// room makes room for one more spent token, by dropping expired ones or,
// failing that, by starting a new generation; it reports false in the
// latter case. f.mu must be held.
func (f *formTokens) room(now time.Time) bool {
	if len(f.spent) < f.max {
		return true
	}
	for k, exp := range f.spent {
		if now.After(exp) {
			delete(f.spent, k)
		}
	}
	if len(f.spent) < f.max {
		return true
	}
	f.newKey()
	clear(f.spent)
	f.generations++
	return false
}

// release gives back a token spent by a request that then stored
// nothing, so the same page can be sent again.
func (f *formTokens) release(id [16]byte) {
	f.mu.Lock()
	delete(f.spent, id)
	f.mu.Unlock()
}
