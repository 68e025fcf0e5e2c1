package agekey

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/plugin"
	"filippo.io/age/tag"
)

const (
	// maxRecipientsFile bounds a recipients file, as age's CLI does.
	maxRecipientsFile = 16 << 20
	// maxRecipientLine bounds one line, as age's CLI (and sshd) do.
	maxRecipientLine = 8 << 10
)

// ParseRecipients reads a recipients file: one age recipient a line, X25519
// ("age1…"), post-quantum hybrid ("age1pq1…") or plugin ("age1name1…");
// empty lines and lines starting with "#" are ignored. Errors give the line
// number but never the line, which might be a secret pasted by mistake.
// Plugin recipients run their plugin binary non-interactively.
func ParseRecipients(r io.Reader) ([]age.Recipient, error) {
	var recs []age.Recipient
	lr := &io.LimitedReader{R: r, N: maxRecipientsFile + 1}
	err := Lines(lr, maxRecipientLine, func(n int, line string) error {
		rec, err := parseRecipient(line)
		if err != nil {
			if strings.HasPrefix(line, "AGE-") {
				return fmt.Errorf("line %d looks like a private key, not a recipient: remove it, and treat that key as exposed", n)
			}
			return fmt.Errorf("malformed recipient at line %d", n)
		}
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lr.N == 0 {
		return nil, errors.New("recipients file is too long")
	}
	if len(recs) == 0 {
		return nil, errors.New("no recipients found")
	}
	return recs, nil
}

func parseRecipient(s string) (age.Recipient, error) {
	switch {
	case strings.HasPrefix(s, "age1tag1") || strings.HasPrefix(s, "age1tagpq1"):
		// Tagged P-256 (and hybrid) keys, which hardware keys' plugins
		// make: age encrypts to them itself, with no plugin binary, as the
		// age command does.
		return tag.ParseRecipient(s)
	case strings.HasPrefix(s, "age1pq1"):
		return age.ParseHybridRecipient(s)
	case strings.HasPrefix(s, "age1") && strings.Count(s, "1") > 1:
		return plugin.NewRecipient(s, &plugin.ClientUI{})
	case strings.HasPrefix(s, "age1"):
		return age.ParseX25519Recipient(s)
	}
	return nil, errors.New("unknown recipient type")
}

// ErrIncompatibleRecipients means age cannot encrypt one file to all the
// recipients given: it refuses to mix post-quantum and classic keys, and a
// plugin recipient needs its plugin binary.
var ErrIncompatibleRecipients = errors.New("these recipients cannot be used together")

// CheckRecipients makes sure age can encrypt to every one of recs in one
// file, here and now, by encrypting an empty file to them: what the intake
// server and the reviewers' tools would otherwise only learn at the first
// submission. A plugin recipient runs its plugin.
func CheckRecipients(recs []age.Recipient) error {
	w, err := age.Encrypt(io.Discard, recs...)
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		return nil
	}
	var nf *plugin.NotFoundError
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: a recipient needs age-plugin-%s, which is not in PATH: install it, or remove that key (%v)", ErrIncompatibleRecipients, nf.Name, err)
	}
	if strings.Contains(err.Error(), "post-quantum") {
		return fmt.Errorf("%w: %v; make the whole team post-quantum (age-keygen -pq) or the whole team classic", ErrIncompatibleRecipients, err)
	}
	return fmt.Errorf("%w: %v", ErrIncompatibleRecipients, err)
}
