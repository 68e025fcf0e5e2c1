package clitest

import (
	"bytes"
	"errors"
	"io"
	"os"

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
		h, content, err := vault.OpenPart(ct, ids...)
		if err != nil || h.Kind != vault.KindReplyKey || it.ID != to {
			return err
		}
		b, err := io.ReadAll(content)
		replyKey = string(b)
		return err
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
