package review

import (
	"errors"
	"fmt"
	"os"

	"filippo.io/age"
)

// maxIdentityFile bounds an identity file, as age does.
const maxIdentityFile = 16 << 20

// LoadIdentities reads age identity files (X25519 "AGE-SECRET-KEY-1…" and
// post-quantum "AGE-SECRET-KEY-PQ-1…" lines). Errors name the file but never
// echo its content.
func LoadIdentities(paths []string) ([]age.Identity, error) {
	if len(paths) == 0 {
		return nil, errors.New("no identity file given")
	}
	var ids []age.Identity
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		got, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		ids = append(ids, got...)
	}
	return ids, nil
}
