package clitest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"

	"testimony/vault"
)

// replies writes a reply bundle the way the reviewers' side does: it reads
// the export bundle with the reviewer's key, takes the server's reply
// authentication key from it and the survivor's reply key from the
// submission's reply-key part, and seals TEXT to it.
func replies(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 5 {
		ts.Fatalf("usage: replies BUNDLE KEYFILE ID TEXT OUT")
	}
	keyFile, err := os.Open(ts.MkAbs(args[1]))
	ts.Check(err)
	ids, err := age.ParseIdentities(keyFile)
	keyFile.Close()
	ts.Check(err)
	to, err := vault.ParseID(ts.Getenv(args[2]))
	if err != nil {
		to, err = vault.ParseID(args[2])
	}
	ts.Check(err)
	var replyKey string
	r := vault.BundleReader{Identities: ids, Part: func(it vault.Item, _ int, ct io.Reader) error {
		return vault.EachSection(ct, ids, func(h vault.PartHeader, content io.Reader) error {
			if h.Kind != vault.KindReplyKey || it.ID != to {
				return nil
			}
			b, err := io.ReadAll(content)
			replyKey = string(b)
			return err
		})
	}}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	b, err := r.Read(f)
	ts.Check(err)
	if replyKey == "" {
		ts.Check(errors.New("the bundle holds no reply key for " + string(to)))
	}
	ct, err := vault.SealReply([]byte(args[3]), replyKey)
	ts.Check(err)
	var out bytes.Buffer
	ts.Check(vault.WriteReplies(&out, b.Server, b.ReplyAuth, b.Created, []vault.Reply{{To: to, Ciphertext: ct}}))
	ts.Check(os.WriteFile(ts.MkAbs(args[4]), out.Bytes(), 0o600))
}

// decrypt decrypts an age file with an identity file, as a reviewer would
// with age -d, creating OUT's directory.
func decrypt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: decrypt KEYFILE IN OUT")
	}
	keyFile, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	ids, err := age.ParseIdentities(keyFile)
	keyFile.Close()
	ts.Check(err)
	in, err := os.Open(ts.MkAbs(args[1]))
	ts.Check(err)
	defer in.Close()
	r, err := age.Decrypt(in, ids...)
	ts.Check(err)
	out := ts.MkAbs(args[2])
	ts.Check(os.MkdirAll(filepath.Dir(out), 0o700))
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	ts.Check(err)
	_, err = io.Copy(f, r)
	ts.Check(err)
	ts.Check(f.Close())
}
