// Package fuzzseeds writes the seed corpora in testdata/fuzz of the
// decoders' fuzz targets from real encodings made by the real code, so
// each fuzzer starts from whole, valid inputs. Run by hand after a format
// changes:
//
//	go test ./tests/fuzzseeds -run Seeds -write-seeds
package fuzzseeds

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"

	"testimony/tests/vaulttest"
	"testimony/vault"
)

var writeSeeds = flag.Bool("write-seeds", false, "rewrite the testdata/fuzz seed corpora")

// seed writes one corpus file in the "go test fuzz v1" format.
func seed(t *testing.T, pkgDir, target, name string, args ...any) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%s)\n", strconv.Quote(string(v)))
		case string:
			fmt.Fprintf(&b, "string(%s)\n", strconv.Quote(v))
		}
	}
	dir := filepath.Join("..", "..", pkgDir, "testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-seeds to rewrite the seed corpora")
	}
	id := vaulttest.Identity(t)
	s, _ := vaulttest.Open(t)
	a := vaulttest.Put(t, s, "나는 2019년에 팔려 갔습니다.\n我被卖了。", id.Recipient())
	sub, _ := s.BeginAddition(a, []age.Recipient{id.Recipient()})
	w, _ := sub.CreatePart(vault.PartHeader{Kind: vault.KindAttachment, Name: "사진.jpg", Type: "image/jpeg"})
	w.Write(bytes.Repeat([]byte{0xff, 0xd8}, 3000))
	w.Close()
	sub.Commit(nil)
	var bun bytes.Buffer
	if _, err := s.WriteBundle(&bun, []age.Recipient{id.Recipient()}, true); err != nil {
		t.Fatal(err)
	}
	r, _ := age.Decrypt(bytes.NewReader(bun.Bytes()), id)
	plain, _ := io.ReadAll(r)
	seed(t, "vault", "FuzzReadBundle", "bundle-two-items", plain)

	entries, _ := s.Custody()
	for i, e := range entries {
		seed(t, "vault", "FuzzParseEntry", fmt.Sprintf("entry-%d", i), e.Marshal())
	}
	// Item records, read back from the bundle.
	br := bufio.NewReader(bytes.NewReader(plain))
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			break
		}
		var n int
		if _, err := fmt.Sscanf(l, "item %d\n", &n); err == nil {
			rec := make([]byte, n)
			io.ReadFull(br, rec)
			seed(t, "vault", "FuzzParseItem", fmt.Sprintf("item-%d", len(rec)), rec)
		}
	}
	// A part's plaintext, as decodePart reads it.
	var ct bytes.Buffer
	pw, _ := vault.NewPartWriter(&ct, vault.PartHeader{Kind: vault.KindText}, id.Recipient())
	pw.Write([]byte("겪은 일"))
	pw.Close()
	pr, _ := age.Decrypt(&ct, id)
	part, _ := io.ReadAll(pr)
	seed(t, "vault", "FuzzDecodePart", "text-part", part)
	ct.Reset()
	pw, _ = vault.NewPartWriter(&ct, vault.PartHeader{Kind: vault.KindText}, id.Recipient())
	pw.Write([]byte("겪은 일"))
	pw.Section(vault.PartHeader{Kind: vault.KindConsent})
	pw.Write([]byte(`{"version":1,"given":["review"]}`))
	pw.Section(vault.PartHeader{Kind: vault.KindReplyKey})
	pw.Close()
	pr, _ = age.Decrypt(&ct, id)
	part, _ = io.ReadAll(pr)
	seed(t, "vault", "FuzzDecodePart", "form-part", part)

	var rb bytes.Buffer
	vault.WriteReplies(&rb, s.ServerID(), vault.ReplyAuth{7}, "2026-11-23", []vault.Reply{{To: a, Ciphertext: []byte("ciphertext")}})
	seed(t, "vault", "FuzzReadReplies", "one-reply", rb.Bytes())
	seed(t, "internal/agekey", "FuzzParseRecipients", "two-keys", id.Recipient().String()+"\n# a comment\n"+vaulttest.Identity(t).Recipient().String()+"\n")

	// An X25519 stanza as age writes it (for another key than the fuzzer's).
	var hdr bytes.Buffer
	aw, _ := age.Encrypt(&hdr, id.Recipient())
	aw.Close()
	if h, err := age.ExtractHeader(&hdr); err == nil {
		lines := strings.Split(string(h), "\n")
		args := strings.Fields(lines[1]) // "-> X25519 <share>"
		body, _ := base64.RawStdEncoding.DecodeString(lines[2])
		seed(t, "internal/agekey", "FuzzPreparedX25519", "stanza", args[1], args[2], body)
	}
	seed(t, "internal/bech32", "FuzzDecode", "secret-key", id.String())
	seed(t, "internal/bech32", "FuzzDecode", "recipient", id.Recipient().String())

	seed(t, "intake", "FuzzParseReceipt", "digits", "0123 4567 8901 2345 6789")
	seed(t, "intake", "FuzzParseReceipt", "korean-words", "가격 가끔 가난 가능 가득 가르침")
	seed(t, "intake", "FuzzParseReceipt", "chinese-no-spaces", "的一是在不了")
	seed(t, "intake", "FuzzSubmit", "testimony", "testimony", []byte("겪은 일"))
	seed(t, "intake", "FuzzSubmit", "consent", "consent", []byte("publish"))
}
