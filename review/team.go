package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/agekey"
	"testimony/vault"
)

// The team is the set of reviewer recipients (public keys) that everything
// the workspace derives is encrypted to. Each member also has a key check:
// a tiny age file encrypted to that recipient alone. Decrypting one tells
// which member an identity belongs to, whatever kind of identity it is
// (X25519, post-quantum, passphrase-protected, or a plugin whose public key
// the tool cannot compute), and so which fingerprint names the reviewer in
// the custody log.

const keyCheckMagic = "testimony-keycheck/v1"

// actorTool is the custody actor for what the tool does on its own, such as
// recording the team at init.
const actorTool = "review"

// member is one team recipient.
type member struct {
	rec  age.Recipient
	str  string     // its encoding, "age1…"
	hash vault.Hash // SHA-256 of str: its key in the team bucket
}

// Fingerprint returns the custody actor naming the reviewer whose public
// key (recipient encoding) is recipient: "reviewer:" and the first 16 hex
// digits of its SHA-256. It identifies a key without spelling it out.
func Fingerprint(recipient string) string {
	h := sha256.Sum256([]byte(recipient))
	return "reviewer:" + hex.EncodeToString(h[:8])
}

func teamOf(recipients []age.Recipient) ([]member, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipients: the team needs at least one reviewer key")
	}
	var team []member
	seen := map[string]bool{}
	for i, r := range recipients {
		s, ok := r.(fmt.Stringer)
		if !ok {
			return nil, fmt.Errorf("recipient %d has no text form", i+1)
		}
		str := s.String()
		if seen[str] {
			continue
		}
		seen[str] = true
		team = append(team, member{rec: r, str: str, hash: sha256.Sum256([]byte(str))})
	}
	if err := checkTogether(team); err != nil {
		return nil, err
	}
	return team, nil
}

// checkTogether makes sure age accepts these recipients in one file: it
// refuses, for one, to mix post-quantum and classic keys.
func checkTogether(team []member) error {
	if err := agekey.CheckRecipients(recipientsOf(team)); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

func recipientsOf(team []member) []age.Recipient {
	var recs []age.Recipient
	for _, m := range team {
		recs = append(recs, m.rec)
	}
	return recs
}

// addMember records m in the team, with its key check and a custody entry.
func (w *Workspace) addMember(tx *bolt.Tx, m member, actor string) error {
	var buf bytes.Buffer
	a, err := age.Encrypt(&buf, m.rec)
	if err != nil {
		return err
	}
	fmt.Fprintf(a, "%s\n%s\n", keyCheckMagic, m.hash)
	if err := a.Close(); err != nil {
		return err
	}
	if err := tx.Bucket(bucketTeam).Put(m.hash[:], []byte(m.str)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketKeyCheck).Put(m.hash[:], buf.Bytes()); err != nil {
		return err
	}
	_, err = w.appendLog(tx, actor, ActionRecipientAdd, m.hash)
	return err
}

// teamTx returns the team's members, their recipients parsed again from
// the encodings stored in tx.
func teamTx(tx *bolt.Tx) ([]member, error) {
	var team []member
	err := tx.Bucket(bucketTeam).ForEach(func(k, v []byte) error {
		recs, err := agekey.ParseRecipients(strings.NewReader(string(v)))
		if err != nil || len(recs) != 1 {
			return fmt.Errorf("team recipient %x is not readable: run \"review verify\"", k[:8])
		}
		var m member
		copy(m.hash[:], k)
		m.rec, m.str = recs[0], string(v)
		team = append(team, m)
		return nil
	})
	return team, err
}

// Recipients returns the team's recipients (public keys), in their text form.
func (w *Workspace) Recipients() ([]string, error) {
	var out []string
	err := w.db.View(func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		for _, m := range team {
			out = append(out, m.str)
		}
		return err
	})
	return out, err
}

// Reviewer is a reviewer unlocked in a workspace ([Workspace.Unlock]):
// identities checked once against the team's key checks, and the actor
// that names them in the custody log. A command unlocks once and then
// acts through its Reviewer: the check decrypts, and an identity behind a
// plugin (a hardware key) may ask its holder for a touch or a PIN at each
// decryption. When every method checked again, "review note" and "review
// reply" checked twice, and a program calling several methods paid once
// per call.
type Reviewer struct {
	w     *Workspace
	ids   []age.Identity
	actor string
}

// Actor returns the custody actor naming the reviewer ([Fingerprint] of
// their team recipient).
func (rv *Reviewer) Actor() string { return rv.actor }

// Unlock checks identities against the workspace's team, once, and
// returns the Reviewer they unlock: its actor is the fingerprint of the
// first team recipient one of them decrypts the key check of. If none
// does, the error is [ErrNotOnTeam], which wraps [ErrNoIdentityMatch].
// Errors other than a mismatch (a wrong passphrase, a missing plugin) are
// returned as they are.
//
// In a workspace without a team (made by Open with create), the actor is
// the fingerprint of the first identity whose public key is known.
func (w *Workspace) Unlock(identities []age.Identity) (*Reviewer, error) {
	actor, err := w.check(identities)
	if err != nil {
		return nil, err
	}
	return &Reviewer{w: w, ids: identities, actor: actor}, nil
}

// check returns the custody actor for identities (see Unlock).
func (w *Workspace) check(identities []age.Identity) (string, error) {
	type check struct {
		str string
		ct  []byte
	}
	var checks []check
	err := w.db.View(func(tx *bolt.Tx) error {
		team, kc := tx.Bucket(bucketTeam), tx.Bucket(bucketKeyCheck)
		return team.ForEach(func(k, v []byte) error {
			checks = append(checks, check{string(v), bytes.Clone(kc.Get(k))})
			return nil
		})
	})
	if err != nil {
		return "", err
	}
	if len(checks) == 0 {
		for _, id := range identities {
			if r, ok := id.(interface{ Recipient() *age.X25519Recipient }); ok {
				return Fingerprint(r.Recipient().String()), nil
			}
			if r, ok := id.(interface{ Recipient() *age.HybridRecipient }); ok {
				return Fingerprint(r.Recipient().String()), nil
			}
		}
		return "reviewer:unknown", nil
	}
	var missing error // a plugin identity whose plugin is not installed
	for _, id := range identities {
		for _, c := range checks {
			want := fmt.Sprintf("%s\n%x\n", keyCheckMagic, sha256.Sum256([]byte(c.str)))
			r, err := age.Decrypt(bytes.NewReader(c.ct), id)
			if agekey.IsNoMatch(err) {
				if m := agekey.PluginMissing(err); m != nil && missing == nil {
					missing = m
				}
				continue
			}
			if err != nil {
				return "", agekey.IdentityError(err)
			}
			got, err := io.ReadAll(io.LimitReader(r, int64(len(want))+1))
			if err != nil || string(got) != want {
				return "", fmt.Errorf("%w: the key check for team recipient %s is damaged: run \"review verify\"", vault.ErrMalformed, Fingerprint(c.str))
			}
			return Fingerprint(c.str), nil
		}
	}
	if missing != nil {
		return "", missing
	}
	return "", ErrNotOnTeam
}

// noMatch turns age's "no identity matched" into ErrNoIdentityMatch naming
// what could not be decrypted, and leaves other errors as they are.
func noMatch(err error, what string) error {
	if m := agekey.PluginMissing(err); m != nil {
		return m
	}
	if agekey.IsNoMatch(err) {
		return fmt.Errorf("%w %s: it was encrypted to other keys", ErrNoIdentityMatch, what)
	}
	return agekey.IdentityError(err)
}

// AddRecipient adds a reviewer's public key to the team and re-encrypts
// everything the workspace derived (notes, tags) to the new team, in one
// transaction. The sealed originals are never touched: submissions already
// imported stay readable only by the keys the server encrypted them to.
func (rv *Reviewer) AddRecipient(rec age.Recipient) error {
	w := rv.w
	return rv.changeTeam(rec, func(tx *bolt.Tx, actor string, team []member, add member) error {
		for _, m := range team {
			if m.hash == add.hash {
				return fmt.Errorf("%s is already in the team", Fingerprint(m.str))
			}
		}
		team = append(team, add)
		if err := checkTogether(team); err != nil {
			return err
		}
		if err := reencrypt(tx, rv.ids, recipientsOf(team)); err != nil {
			return err
		}
		return w.addMember(tx, add, actor)
	})
}

// changeTeam is what adding and retiring share: the caller's actor, rec as
// a member, and one transaction with the current team for change to edit.
func (rv *Reviewer) changeTeam(rec age.Recipient, change func(tx *bolt.Tx, actor string, team []member, m member) error) error {
	w := rv.w
	actor := rv.actor
	m, err := teamOf([]age.Recipient{rec})
	if err != nil {
		return err
	}
	return w.db.Update(func(tx *bolt.Tx) error {
		team, err := teamTx(tx)
		if err != nil {
			return err
		}
		return change(tx, actor, team, m[0])
	})
}

// RetireRecipient removes a reviewer's public key from the team and
// re-encrypts everything the workspace derived to the remaining members.
// It refuses to retire the last member, or the key the caller is using.
// Older copies of the workspace (backups, or pages bbolt has freed but not
// yet reused) may still hold derived data the retired key can read.
func (rv *Reviewer) RetireRecipient(rec age.Recipient) error {
	w := rv.w
	return rv.changeTeam(rec, func(tx *bolt.Tx, actor string, team []member, gone member) error {
		i := -1
		for j, m := range team {
			if m.hash == gone.hash {
				i = j
			}
		}
		switch {
		case i < 0:
			return fmt.Errorf("%s is not in the team", Fingerprint(gone.str))
		case len(team) == 1:
			return errors.New("it is the team's last recipient: add its successor first")
		case Fingerprint(team[i].str) == actor:
			return errors.New("it is the key you are using: another reviewer must retire it")
		}
		team = append(team[:i], team[i+1:]...)
		if err := reencrypt(tx, rv.ids, recipientsOf(team)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTeam).Delete(gone.hash[:]); err != nil {
			return err
		}
		if err := tx.Bucket(bucketKeyCheck).Delete(gone.hash[:]); err != nil {
			return err
		}
		_, err := w.appendLog(tx, actor, ActionRecipientRetire, gone.hash)
		return err
	})
}
