package agekey

import (
	"testing"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

func newX25519(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestParallelSafe(t *testing.T) {
	x := newX25519(t)
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	pluginID, err := plugin.NewIdentity(plugin.EncodeIdentity("nosuchkey", []byte("slot 1")), nil)
	if err != nil {
		t.Fatal(err)
	}
	opened := &encryptedIdentity{ids: []age.Identity{x}}
	for _, c := range []struct {
		name string
		ids  []age.Identity
		want bool
	}{
		{"x25519", []age.Identity{x}, true},
		{"post-quantum", []age.Identity{x, pq}, true},
		{"passphrase file opened", []age.Identity{opened}, true},
		{"passphrase file not yet opened", []age.Identity{&encryptedIdentity{}}, false},
		{"passphrase file holding a plugin key", []age.Identity{&encryptedIdentity{ids: []age.Identity{pluginID}}}, false},
		{"plugin", []age.Identity{x, pluginID}, false},
	} {
		if got := ParallelSafe(c.ids); got != c.want {
			t.Errorf("%s: ParallelSafe = %v", c.name, got)
		}
	}
}
