package agekey

import (
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"

	"testimony/internal/bech32"
)

// preparedX25519 unwraps age's X25519 stanzas exactly as age's
// X25519Identity does (age-encryption.org/v1, "X25519 recipient stanza"),
// with the private key made ready once. age calls x/crypto's
// curve25519.X25519, which builds a crypto/ecdh private key, and so
// computes its public key, on every call: two scalar multiplications per
// part where one is needed. A bundle of 10,000 short accounts spent most of
// its reading time there.
//
// It is used only to decrypt sealed originals in bulk (review's Workspace.eachPart);
// everything else sees the identities as loaded. TestPreparedX25519MatchesAge
// and FuzzPreparedX25519 compare it with age's own, stanza by stanza.
type preparedX25519 struct {
	priv *ecdh.PrivateKey
	pub  []byte
}

const x25519Label = "age-encryption.org/v1/X25519"

// stanzaBase64 is age's encoding of stanza arguments: standard alphabet,
// no padding, strict.
var stanzaBase64 = base64.RawStdEncoding.Strict()

// X25519FromScalar returns the age X25519 identity whose private key is
// the 32 bytes of scalar. age makes identities only from its own encoding
// (AGE-SECRET-KEY-1…), so the scalar is encoded that way and parsed back:
// the intake derives her reply key from her receipt this way, and the
// reviewers' tools read such a key the same way (prepareX25519).
func X25519FromScalar(scalar []byte) (*age.X25519Identity, error) {
	return age.ParseX25519Identity(strings.ToUpper(bech32.Encode("age-secret-key-", scalar)))
}

func prepareX25519(id *age.X25519Identity) (*preparedX25519, error) {
	hrp, scalar, err := bech32.Decode(id.String())
	if err != nil || hrp != "age-secret-key-" {
		return nil, errors.New("cannot read an X25519 identity back")
	}
	priv, err := ecdh.X25519().NewPrivateKey(scalar)
	if err != nil {
		return nil, err
	}
	p := &preparedX25519{priv: priv, pub: priv.PublicKey().Bytes()}
	if bech32.Encode("age", p.pub) != id.Recipient().String() {
		return nil, errors.New("an X25519 identity read back differs from itself")
	}
	return p, nil
}

// Unwrap implements age.Identity as age's X25519Identity does: the first
// stanza that unwraps gives the file key; stanzas for other keys are
// skipped; a malformed X25519 stanza is an error.
func (p *preparedX25519) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, s := range stanzas {
		fileKey, err := p.unwrap(s)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return fileKey, nil
	}
	return nil, age.ErrIncorrectIdentity
}

func (p *preparedX25519) unwrap(s *age.Stanza) ([]byte, error) {
	if s.Type != "X25519" {
		return nil, age.ErrIncorrectIdentity
	}
	if len(s.Args) != 1 {
		return nil, errors.New("invalid X25519 recipient block")
	}
	if strings.ContainsAny(s.Args[0], "\n\r") {
		return nil, errors.New("failed to parse X25519 recipient: unexpected newline character")
	}
	share, err := stanzaBase64.DecodeString(s.Args[0])
	if err != nil {
		return nil, fmt.Errorf("failed to parse X25519 recipient: %v", err)
	}
	theirs, err := ecdh.X25519().NewPublicKey(share)
	if err != nil {
		return nil, errors.New("invalid X25519 recipient block")
	}
	shared, err := p.priv.ECDH(theirs) // refuses a low-order share (all-zero secret)
	if err != nil {
		return nil, fmt.Errorf("invalid X25519 recipient: %v", err)
	}
	salt := append(append(make([]byte, 0, 64), share...), p.pub...)
	wrapping, err := hkdf.Key(sha256.New, shared, salt, x25519Label, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(wrapping)
	if err != nil {
		return nil, err
	}
	const fileKeySize = 16
	if len(s.Body) != fileKeySize+aead.Overhead() {
		return nil, errors.New("invalid X25519 recipient block: incorrect file key size")
	}
	fileKey, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), s.Body, nil)
	if err != nil {
		return nil, age.ErrIncorrectIdentity
	}
	return fileKey, nil
}

// Prepared returns identities with each X25519 identity, also those of an
// opened identity file, replaced by a preparedX25519 for bulk decryption.
// An identity that cannot be prepared is kept as it is. The prepared ones
// come first: age tries its own kinds of identity before others (a plugin
// would be started for every part, and its failure would end a read the
// X25519 key could finish), and a preparedX25519 is not one of age's kinds.
func Prepared(identities []age.Identity) []age.Identity {
	var first, rest []age.Identity
	for _, id := range identities {
		switch id := id.(type) {
		case *age.X25519Identity:
			if p, err := prepareX25519(id); err == nil {
				first = append(first, p)
				continue
			}
		case *encryptedIdentity:
			if id.ids != nil {
				opened := Prepared(id.ids)
				for _, o := range opened {
					if _, ok := o.(*preparedX25519); ok {
						first = append(first, o)
					} else {
						rest = append(rest, o)
					}
				}
				continue
			}
		}
		rest = append(rest, id)
	}
	return append(first, rest...)
}
