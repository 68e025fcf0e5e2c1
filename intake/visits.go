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
	// maxVisits bounds memory (about 300 bytes a visit, 30 MB full).
	maxVisits = 100000
	// visitsPerSubmission is how many visits one receipt may hold open:
	// her phone and one more. A third ends the oldest of them, so one
	// receipt, an attacker's own among them, cannot fill the table.
	visitsPerSubmission = 2
)

// visits is the table of visits in progress. Filling it takes
// maxVisits/visitsPerSubmission submissions, each with its own receipt,
// and a return through the KDF for every visit (THREAT_MODEL has the
// cost). Once it is full, a new visit ends the one begun longest ago, not
// the one idle longest: an attacker who keeps his own visits alive with
// clicks would otherwise end every survivor who stops to write, while in
// this order hers ends only after maxVisits newer visits, each of which
// cost him a derivation.
type visits struct {
	mu    sync.Mutex
	m     map[string]*visit
	order []string              // tokens in the order begun; ended ones are skipped
	byID  map[vault.ID][]string // the visits of each submission, oldest first
}

func (v *visits) start(id vault.ID, reply *age.X25519Identity) string {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m, v.byID = map[string]*visit{}, map[vault.ID][]string{}
	}
	if mine := v.byID[id]; len(mine) >= visitsPerSubmission {
		v.endLocked(mine[0])
	}
	now := time.Now()
	for len(v.order) > 0 {
		// Visits begun first and gone quiet end here, and with them the
		// reply keys they held.
		x := v.m[v.order[0]]
		if x != nil && !now.After(x.expires) {
			break
		}
		v.endLocked(v.order[0])
		v.order = v.order[1:]
	}
	for len(v.m) >= maxVisits && len(v.order) > 0 {
		oldest := v.order[0]
		v.order = v.order[1:]
		v.endLocked(oldest)
	}
	if len(v.order) > 2*len(v.m)+1024 {
		// Ended visits are skipped lazily; drop them once they are many.
		live := make([]string, 0, len(v.m)+1)
		for _, t := range v.order {
			if v.m[t] != nil {
				live = append(live, t)
			}
		}
		v.order = live
	}
	v.m[token] = &visit{id: id, reply: reply, expires: now.Add(visitIdle)}
	v.order = append(v.order, token)
	v.byID[id] = append(v.byID[id], token)
	return token
}

// endLocked ends a visit, if it is still in the table.
func (v *visits) endLocked(token string) {
	x := v.m[token]
	if x == nil {
		return
	}
	delete(v.m, token)
	mine := v.byID[x.id]
	for i, t := range mine {
		if t == token {
			mine = append(mine[:i:i], mine[i+1:]...)
			break
		}
	}
	if len(mine) == 0 {
		delete(v.byID, x.id)
	} else {
		v.byID[x.id] = mine
	}
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
		v.endLocked(token)
		return nil
	}
	x.expires = time.Now().Add(visitIdle)
	return x
}

func (v *visits) end(token string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.endLocked(token)
}
