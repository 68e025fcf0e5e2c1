package agekey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
	"filippo.io/age/plugin"
)

const (
	// maxIdentityFile bounds an identity file, as age does.
	maxIdentityFile = 16 << 20
	// maxIdentityLine bounds one line, as age's CLI (and sshd) do.
	maxIdentityLine = 8 << 10
)

// ErrNoPassphrase means an identity file is passphrase-protected and there
// is no way to ask for the passphrase.
var ErrNoPassphrase = errors.New("no way to ask for the passphrase")

// ErrWrongPassphrase means a passphrase-protected identity file did not
// open with the passphrase given.
var ErrWrongPassphrase = errors.New("incorrect passphrase")

// ErrPluginMissing means an identity needs an age plugin that is not
// installed.
var ErrPluginMissing = errors.New("age plugin not installed")

// IdentityOptions says how identities ask the person at the keyboard for
// what they need. The zero value asks nothing: a passphrase-protected file
// then fails with [ErrNoPassphrase], and plugins get no answer to their
// requests.
type IdentityOptions struct {
	// Passphrase returns the passphrase for the identity file named. It is
	// called at most once per file, and only when the file is first needed
	// to decrypt something.
	Passphrase func(file string) (string, error)

	// PluginUI is given to plugins (hardware keys) that want to show a
	// message, ask for a PIN or ask for a touch. Nil means an empty
	// ClientUI, which refuses every request.
	PluginUI *plugin.ClientUI
}

// LoadIdentities reads identity files with the zero [IdentityOptions].
func LoadIdentities(paths []string) ([]age.Identity, error) {
	return IdentityOptions{}.Load(paths)
}

// Load reads identity files as age's own CLI does. A file holds, one a
// line, X25519 ("AGE-SECRET-KEY-1…"), post-quantum ("AGE-SECRET-KEY-PQ-1…")
// or plugin ("AGE-PLUGIN-NAME-1…") identities; or it is an age file,
// binary or armored, encrypted with a passphrase ("age -p"), whose content
// is such a file. The passphrase is asked for only when the identities are
// first needed. Errors name the file and the line but never echo content.
func (o IdentityOptions) Load(paths []string) ([]age.Identity, error) {
	if len(paths) == 0 {
		return nil, errors.New("no identity file given")
	}
	var ids []age.Identity
	for _, p := range paths {
		got, err := o.loadFile(p)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

func (o IdentityOptions) loadFile(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxIdentityFile {
		return nil, fmt.Errorf("%s: the identity file is too long", path)
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(data, []byte("age-encryption.org/")):
		return []age.Identity{&encryptedIdentity{file: path, contents: data, opts: o}}, nil
	case bytes.HasPrefix(trimmed, []byte(armor.Header)):
		contents, err := io.ReadAll(armor.NewReader(bytes.NewReader(trimmed)))
		if err != nil {
			return nil, fmt.Errorf("%s: the armored identity file is damaged", path)
		}
		return []age.Identity{&encryptedIdentity{file: path, contents: contents, opts: o}}, nil
	}
	ids, err := o.parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ids, nil
}

// parse reads identity lines. Like age's CLI, and unlike
// age.ParseIdentities, it accepts plugin identities.
func (o IdentityOptions) parse(r io.Reader) ([]age.Identity, error) {
	ui := o.PluginUI
	if ui == nil {
		ui = &plugin.ClientUI{}
	}
	var ids []age.Identity
	err := Lines(r, maxIdentityLine, func(n int, line string) error {
		var id age.Identity
		var err error
		switch {
		case strings.HasPrefix(line, "AGE-PLUGIN-"):
			var pid *plugin.Identity
			if pid, err = plugin.NewIdentity(line, ui); err == nil {
				id = &pluginIdentity{id: pid}
			}
		case strings.HasPrefix(line, "AGE-SECRET-KEY-PQ-1"):
			id, err = age.ParseHybridIdentity(line)
		case strings.HasPrefix(line, "AGE-SECRET-KEY-1"):
			id, err = age.ParseX25519Identity(line)
		case strings.HasPrefix(line, "age1"):
			return fmt.Errorf("line %d is a public key (recipient), not an identity: give the private key file", n)
		default:
			err = errors.New("unknown")
		}
		if err != nil {
			return fmt.Errorf("malformed identity at line %d", n)
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New("no identities found")
	}
	return ids, nil
}

// encryptedIdentity is a passphrase-protected identity file, as age's CLI
// handles them: it asks for the passphrase the first time it is needed,
// then holds the identities inside in memory.
type encryptedIdentity struct {
	file     string
	contents []byte
	opts     IdentityOptions

	ids []age.Identity
	err error // sticky: a wrong passphrase is asked for once, not for every part
}

func (e *encryptedIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	if e.ids == nil && e.err == nil {
		e.ids, e.err = e.decrypt()
	}
	if e.err != nil {
		return nil, e.err
	}
	for _, id := range e.ids {
		key, err := id.Unwrap(stanzas)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		return key, err
	}
	return nil, age.ErrIncorrectIdentity
}

func (e *encryptedIdentity) decrypt() ([]age.Identity, error) {
	r, err := age.Decrypt(bytes.NewReader(e.contents), &lazyScrypt{e})
	if IsNoMatch(err) {
		return nil, fmt.Errorf("%s is encrypted with age, but not with a passphrase", e.file)
	}
	if err != nil {
		return nil, err
	}
	ids, err := e.opts.parse(io.LimitReader(r, maxIdentityFile))
	if err != nil {
		return nil, fmt.Errorf("%s (decrypted): %w", e.file, err)
	}
	for _, id := range ids {
		if _, nested := id.(*encryptedIdentity); nested {
			return nil, fmt.Errorf("%s holds another encrypted identity file", e.file)
		}
	}
	return ids, nil
}

// pluginIdentity is a plugin's identity whose plugin may be missing. age
// stops at an identity that fails for another reason than not matching, so
// one whose plugin is not installed would stop every command even when a
// later -i is a team key; the docs promise that the first identity that
// belongs to the team acts. So a missing plugin counts as not matching (it
// cannot decrypt anything, here), and the error is kept inside age's
// "no identity matched" for [IdentityError] to name the plugin when no
// other identity matched either. It is tried once per command.
type pluginIdentity struct {
	id      *plugin.Identity
	missing error
}

func (p *pluginIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	if p.missing != nil {
		return nil, p.missing
	}
	key, err := p.id.Unwrap(stanzas)
	var nf *plugin.NotFoundError
	if errors.As(err, &nf) {
		p.missing = fmt.Errorf("%w (%w)", age.ErrIncorrectIdentity, nf)
		return nil, p.missing
	}
	return key, err
}

// ParallelSafe reports whether identities may unwrap file keys from
// several goroutines at once. age's own keys may. A plugin may not (a
// hardware key may ask for a touch or a PIN), nor a passphrase-protected
// file not yet opened (it would ask for its passphrase more than once).
func ParallelSafe(identities []age.Identity) bool {
	for _, id := range identities {
		switch id := id.(type) {
		case *age.X25519Identity, *age.HybridIdentity, *preparedX25519:
		case *encryptedIdentity:
			// Once opened, its identities never change.
			if id.ids == nil || !ParallelSafe(id.ids) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// lazyScrypt asks for the passphrase only if the file is encrypted with
// one, as age's LazyScryptIdentity does.
type lazyScrypt struct{ e *encryptedIdentity }

func (l *lazyScrypt) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	if len(stanzas) != 1 || stanzas[0].Type != "scrypt" {
		return nil, age.ErrIncorrectIdentity
	}
	if l.e.opts.Passphrase == nil {
		return nil, fmt.Errorf("%w for %s: it is passphrase-protected", ErrNoPassphrase, l.e.file)
	}
	pass, err := l.e.opts.Passphrase(l.e.file)
	if err != nil {
		return nil, fmt.Errorf("reading the passphrase for %s: %w", l.e.file, err)
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	key, err := id.Unwrap(stanzas)
	if errors.Is(err, age.ErrIncorrectIdentity) {
		// age's API says "no identity matched"; with one passphrase, say
		// what it means.
		return nil, fmt.Errorf("%w for %s", ErrWrongPassphrase, l.e.file)
	}
	return key, err
}

// IdentityError says plainly what went wrong with an identity, without
// echoing what a plugin or age said about the data.
func IdentityError(err error) error {
	if m := PluginMissing(err); m != nil {
		return m
	}
	return err
}

// PluginMissing returns ErrPluginMissing, naming the plugin, if err says a
// plugin is not installed, even inside age's "no identity matched".
func PluginMissing(err error) error {
	var nf *plugin.NotFoundError
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: an identity needs age-plugin-%s, which is not in PATH", ErrPluginMissing, nf.Name)
	}
	return nil
}

// IsNoMatch reports whether err is age's "no identity matched".
func IsNoMatch(err error) bool {
	var noMatch *age.NoIdentityMatchError
	return errors.As(err, &noMatch)
}
