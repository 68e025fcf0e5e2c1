package intake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"sync"
	"time"
)

// formTokens are single-use tokens in the hidden fields of the forms that
// carry a secret or store something: the form she writes in, the return
// form, the receipt check, and the forms of a visit. A browser keeps every
// form she sent in the tab's history, and Back then Resend would send it
// again: her receipt (opening her visit to whoever holds the phone), her
// receipt check (showing her receipt again), or her account (storing it
// twice). A token is spent by its first use; a page sent again finds it
// spent. Tokens are sealed with a key the store keeps, so a restart does
// not spoil the form she is writing in; the spent ones live in memory
// until they expire.
type formTokens struct {
	aead cipher.AEAD
	mu   sync.Mutex
	used map[[16]byte]time.Time
}

// maxSpentTokens bounds the memory of spent tokens. Past it, spending
// fails until some expire: a flood can make forms refuse, not the server
// grow.
const maxSpentTokens = 500000

// Purposes and lifetimes of form tokens.
const (
	tokenWrite  = "write"  // the form she writes in: long, she may write for hours
	tokenReturn = "return" // the form she types her receipt into
	tokenCheck  = "check"  // the "type it once" form under her receipt
	tokenVisit  = "visit"  // the add and withdraw forms of a visit
)

var tokenTTL = map[string]time.Duration{
	tokenWrite:  24 * time.Hour,
	tokenReturn: time.Hour,
	tokenCheck:  time.Hour,
	tokenVisit:  visitIdle,
}

func newFormTokens(key []byte) (*formTokens, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &formTokens{aead: aead, used: map[[16]byte]time.Time{}}, nil
}

// issue returns a fresh token for purpose.
func (f *formTokens) issue(purpose string) string {
	var plain [24]byte
	rand.Read(plain[:16])
	binary.BigEndian.PutUint64(plain[16:], uint64(time.Now().Add(tokenTTL[purpose]).Unix()))
	nonce := make([]byte, f.aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(f.aead.Seal(nonce, nonce, plain[:], []byte(purpose)))
}

// release gives back a token spent by a request that then stored
// nothing, so the same page can be sent again.
func (f *formTokens) release(token string) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < f.aead.NonceSize() {
		return
	}
	for _, purpose := range []string{tokenWrite, tokenReturn, tokenCheck, tokenVisit} {
		if plain, err := f.aead.Open(nil, b[:f.aead.NonceSize()], b[f.aead.NonceSize():], []byte(purpose)); err == nil && len(plain) == 24 {
			f.mu.Lock()
			delete(f.used, [16]byte(plain[:16]))
			f.mu.Unlock()
			return
		}
	}
}

// spend reports whether token is a valid, unexpired, unspent token for
// purpose, and spends it.
func (f *formTokens) spend(token, purpose string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < f.aead.NonceSize() {
		return false
	}
	plain, err := f.aead.Open(nil, b[:f.aead.NonceSize()], b[f.aead.NonceSize():], []byte(purpose))
	if err != nil || len(plain) != 24 {
		return false
	}
	expiry := time.Unix(int64(binary.BigEndian.Uint64(plain[16:])), 0)
	now := time.Now()
	if now.After(expiry) {
		return false
	}
	id := [16]byte(plain[:16])
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, spent := f.used[id]; spent {
		return false
	}
	if len(f.used) >= maxSpentTokens {
		for k, exp := range f.used {
			if now.After(exp) {
				delete(f.used, k)
			}
		}
		if len(f.used) >= maxSpentTokens {
			return false
		}
	}
	f.used[id] = expiry
	return true
}
