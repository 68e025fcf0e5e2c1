package intake

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"filippo.io/age"

	"testimony/vault"
)

// A visit is her time on the site after she typed her receipt: she can read
// replies, add more and withdraw consent without typing it again. It lives
// only in the server's memory, named by a random token that her pages carry
// in a hidden form field: no cookie, nothing left on her phone once the tab
// is closed. The reply key it holds is the one moment the server can read
// her replies.
type visit struct {
	id      vault.ID
	reply   *age.X25519Identity
	expires time.Time
}

const (
	// visitIdle is how long a visit lasts without a click.
	visitIdle = 20 * time.Minute
	// maxVisits bounds memory: past it, the oldest visit ends.
	maxVisits = 10000
)

type visits struct {
	mu sync.Mutex
	m  map[string]*visit
}

func (v *visits) start(id vault.ID, reply *age.X25519Identity) string {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[string]*visit{}
	}
	now := time.Now()
	if len(v.m) >= maxVisits {
		var oldest string
		for t, x := range v.m {
			if x.expires.Before(now) {
				delete(v.m, t)
			} else if oldest == "" || x.expires.Before(v.m[oldest].expires) {
				oldest = t
			}
		}
		if len(v.m) >= maxVisits {
			delete(v.m, oldest)
		}
	}
	v.m[token] = &visit{id: id, reply: reply, expires: now.Add(visitIdle)}
	return token
}

// get returns the visit named by token and extends it, or nil.
func (v *visits) get(token string) *visit {
	v.mu.Lock()
	defer v.mu.Unlock()
	x := v.m[token]
	if x == nil {
		return nil
	}
	if time.Now().After(x.expires) {
		delete(v.m, token)
		return nil
	}
	x.expires = time.Now().Add(visitIdle)
	return x
}

func (v *visits) end(token string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.m, token)
}
