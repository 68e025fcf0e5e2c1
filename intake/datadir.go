package intake

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"

	"testimony/internal/agekey"
	"testimony/vault"
)

// Files in the data directory.
const (
	StoreFile      = "store.db"
	RecipientsFile = "recipients.txt" // the public keys the store's data is encrypted to
	AdminSocket    = "admin.sock"     // local administration while serving
)

// DemoKeyFile is the demo reviewer identity -demo writes into the data
// directory. Its presence marks the directory as a demonstration forever.
const DemoKeyFile = "demo-reviewer.key"

// openDirect opens the store of a data directory no server is running on.
func openDirect(dataDir string) (*vault.Store, error) {
	if _, err := os.Stat(filepath.Join(dataDir, StoreFile)); err != nil {
		return nil, fmt.Errorf("no store in %s: is it the -data directory of intake serve?", dataDir)
	}
	store, err := vault.Open(filepath.Join(dataDir, StoreFile), &vault.Options{LockTimeout: 500 * time.Millisecond})
	if errors.Is(err, vault.ErrLocked) {
		return nil, fmt.Errorf("the store in %s is in use, but no server answers on its admin socket", dataDir)
	}
	return store, err
}

// LoadRecipients reads a recipients file, giving the path in errors.
func LoadRecipients(path string) ([]age.Recipient, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := agekey.ParseRecipients(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// prepareRecipients loads the reviewers' recipients, or in demo mode makes a
// demo identity, and records them in the data directory for exports.
func prepareRecipients(o RunOptions, lg *log.Logger) ([]age.Recipient, error) {
	demoKey := filepath.Join(o.DataDir, DemoKeyFile)
	_, statErr := os.Stat(demoKey)
	hasDemoKey := statErr == nil
	var text string
	if o.Demo || o.RecipientsFile != "" {
		if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
			return nil, err
		}
	}
	switch {
	case o.Demo && o.RecipientsFile != "":
		return nil, errors.New("-demo makes its own key: give -demo or -recipients, not both")
	case o.Demo:
		id, err := loadOrMakeDemoKey(demoKey)
		if err != nil {
			return nil, err
		}
		text = "# DEMO reviewer key, kept next to the store: not for real testimony\n" + id.Recipient().String() + "\n"
		lg.Printf("DEMO MODE: the reviewer's PRIVATE key is %s, on this same machine.", demoKey)
		lg.Printf("DEMO MODE: anyone with this machine can read what is sent. Never use -demo for real testimony.")
	case hasDemoKey:
		return nil, fmt.Errorf("%s holds a demo key (%s): its testimony is readable by anyone with this machine; use a new -data directory for real use", o.DataDir, DemoKeyFile)
	case o.RecipientsFile == "":
		return nil, errors.New("no reviewer keys: give -recipients FILE (age public keys, one a line), or -demo to try it out")
	default:
		b, err := os.ReadFile(o.RecipientsFile)
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	recipients, err := agekey.ParseRecipients(strings.NewReader(text))
	if err == nil {
		// Refused now rather than at her first submission, which would be
		// answered "try again later" and stored nowhere.
		err = agekey.CheckRecipients(recipients)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.RecipientsFile, err)
	}
	path := filepath.Join(o.DataDir, RecipientsFile)
	if err := os.WriteFile(path+".new", []byte(text), 0o600); err != nil {
		return nil, err
	}
	return recipients, os.Rename(path+".new", path)
}

func loadOrMakeDemoKey(path string) (*age.X25519Identity, error) {
	if b, err := os.ReadFile(path); err == nil {
		ids, err := age.ParseIdentities(strings.NewReader(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if id, ok := ids[0].(*age.X25519Identity); ok {
			return id, nil
		}
		return nil, fmt.Errorf("%s: not an X25519 identity", path)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	content := fmt.Sprintf("# DEMO reviewer key made by intake serve -demo. NOT FOR REAL TESTIMONY.\n# public key: %s\n%s\n", id.Recipient(), id)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return nil, err
	}
	return id, nil
}
