package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"testimony/vault"
)

// TestVerifyFindsEachProblem damages one thing at a time in a fresh copy
// of a workspace and checks Verify names it.
func TestVerifyFindsEachProblem(t *testing.T) {
	f := newFull(t)
	if err := f.reviewer(t).Note(f.rich, "a note"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reviewer(t).Read(f.plain); err != nil {
		t.Fatal(err)
	}
	rep, err := f.w.Verify()
	if err != nil || !rep.OK() || len(rep.Warnings) != 0 {
		t.Fatalf("a whole workspace: %+v, %v", rep, err)
	}
	if rep.Items != 5 || rep.Objects != 7 || rep.Bundles != 1 || rep.Server.Seq != 5 {
		t.Fatalf("counts %+v", rep)
	}
	items, _ := f.w.submission(f.rich)
	obj := items[0].Parts[0].Hash.String()
	o, err := f.w.object(items[0].Parts[0].Hash)
	if err != nil {
		t.Fatal(err)
	}
	pack := filepath.Join(objectsDir, o.Pack.String()+packSuffix)
	f.w.Close()

	db := func(change func(tx *bolt.Tx) error) func(dir string) {
		return func(dir string) {
			d, err := bolt.Open(filepath.Join(dir, indexFile), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.Update(change); err != nil {
				t.Fatal(err)
			}
		}
	}
	// editEntry rewrites entry seq of a chain with edit applied.
	editEntry := func(bucket []byte, seq uint64, edit func(*vault.Entry)) func(dir string) {
		return db(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucket)
			e, err := vault.ParseEntry(b.Get(seqKey(seq)))
			if err != nil {
				return err
			}
			edit(&e)
			return b.Put(seqKey(seq), e.Marshal())
		})
	}
	for _, c := range []struct {
		name    string
		damage  func(dir string)
		problem string // a substring of one problem; "" for none
		warning string
	}{
		{"object altered", func(dir string) {
			p := filepath.Join(dir, pack)
			b, _ := os.ReadFile(p)
			b[o.Offset+o.Size/2] ^= 1
			os.WriteFile(p, b, 0o600)
		}, "submission " + string(f.rich) + " item 0 part 1: sealed original " + obj + " does not match its hash: it was altered", ""},
		{"object header altered", func(dir string) {
			p := filepath.Join(dir, pack)
			b, _ := os.ReadFile(p)
			b[o.Offset+30] ^= 1 // inside the first recipient stanza
			os.WriteFile(p, b, 0o600)
		}, "submission " + string(f.rich) + " item 0 part 1: sealed original " + obj + " does not match its hash: it was altered", ""},
		{"object cut", func(dir string) {
			os.Truncate(filepath.Join(dir, pack), o.Offset+100)
		}, "sealed original " + obj + " has 100 bytes, its record says", ""},
		{"pack missing", func(dir string) {
			os.Remove(filepath.Join(dir, pack))
		}, "sealed original " + obj + " is missing: its pack " + pack + " is gone", ""},
		{"object record removed", db(func(tx *bolt.Tx) error { return tx.Bucket(bucketObjects).Delete(items[0].Parts[0].Hash[:]) }),
			"sealed original " + obj + " is missing: the index has no object record for it", ""},
		{"object record moved", db(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketObjects)
			v := bytes.Clone(b.Get(items[0].Parts[0].Hash[:]))
			binary.BigEndian.PutUint64(v[32:], uint64(o.Offset+1))
			return b.Put(items[0].Parts[0].Hash[:], v)
		}), "sealed original " + obj + " does not match its hash", ""},
		{"header commitment edited", db(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketObjects)
			v := bytes.Clone(b.Get(items[0].Parts[0].Hash[:]))
			v[len(v)-1] ^= 1
			return b.Put(items[0].Parts[0].Hash[:], v)
		}), "sealed original " + obj + " does not match the header commitment in its object record", ""},
		{"stray object record", db(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketObjects).Put(bytes.Repeat([]byte{9}, 32), make([]byte, objectRecordSize))
		}), "the index has an object record for 0909", ""},
		{"orphan pack", func(dir string) {
			os.WriteFile(filepath.Join(dir, objectsDir, strings.Repeat("ab", 32)+packSuffix), []byte("x"), 0o600)
		}, "", "objects/" + strings.Repeat("ab", 32) + ".pack is named by no object record"},
		{"staging left over", func(dir string) {
			os.Mkdir(filepath.Join(dir, ".import-123"), 0o700)
		}, "", ".import-123 was left by an interrupted import"},
		{"server entry edited", editEntry(bucketCustody, 2, func(e *vault.Entry) { e.Day = "2001-01-01" }),
			"server custody chain is broken at entry 3", ""},
		{"last server entry edited", editEntry(bucketCustody, 5, func(e *vault.Entry) { e.Day = "2001-01-01" }),
			"server custody chain ends at entry 5, but the workspace recorded its head as entry 5", ""},
		{"last server entry dropped", db(func(tx *bolt.Tx) error { return tx.Bucket(bucketCustody).Delete(seqKey(5)) }),
			"server custody chain ends at entry 4", ""},
		{"workspace entry edited", editEntry(bucketLog, 2, func(e *vault.Entry) { e.Actor = "someone-else" }),
			"workspace custody chain is broken at entry 3", ""},
		{"workspace chain cut", db(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketLog).Cursor()
			k, _ := c.Last()
			return tx.Bucket(bucketLog).Delete(k)
		}), "workspace custody chain ends at entry", ""},
		{"item record removed", db(func(tx *bolt.Tx) error { return tx.Bucket(bucketItems).Delete(itemKey(items[1])) }),
			"the workspace chain records the import of item", ""},
		{"item record added", db(func(tx *bolt.Tx) error {
			it := items[0]
			it.ID = vault.NewID()
			return tx.Bucket(bucketItems).Put(itemKey(it), it.Marshal())
		}), "is named by no entry of the server chain", ""},
		{"bundle record removed", db(func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketBundles).Cursor().First()
			return tx.Bucket(bucketBundles).Delete(k)
		}), "the workspace chain records the import of bundle", ""},
		{"bundle record added", db(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketBundles).Put(bytes.Repeat([]byte{7}, 32), []byte("1 2"))
		}), "bundle 0707070707070707070707070707070707070707070707070707070707070707 is recorded as imported, but the workspace chain has no entry for it", ""},
		{"note removed", db(func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketDerived).Cursor().First()
			return tx.Bucket(bucketDerived).Delete(k)
		}), "records a note, but its record is missing", ""},
		{"note moved", db(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketDerived)
			k, v := b.Cursor().First()
			k, v = bytes.Clone(k), bytes.Clone(v)
			b.Delete(k)
			return b.Put(append([]byte(f.plain), k[16:]...), v)
		}), "is filed under the wrong submission", ""},
		{"team member slipped in", db(func(tx *bolt.Tx) error {
			r := "age1kjgzkx4fk0wz95g89yda0gf9c9psvlxlvhtxhg5ehujd7v5z2vzq64hpct"
			h := vault.Hash(sha256Sum(r))
			return tx.Bucket(bucketTeam).Put(h[:], []byte(r))
		}), "was added without a workspace chain entry", ""},
		{"key check removed", db(func(tx *bolt.Tx) error {
			k, _ := tx.Bucket(bucketKeyCheck).Cursor().First()
			return tx.Bucket(bucketKeyCheck).Delete(k)
		}), "has no key check", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ws")
			copyTree(t, f.dir, dir)
			c.damage(dir)
			w, err := Open(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			rep, err := w.Verify()
			if err != nil {
				t.Fatal(err)
			}
			if c.problem == "" && !rep.OK() {
				t.Errorf("problems %q", rep.Problems)
			}
			if c.problem != "" && !contains(rep.Problems, c.problem) {
				t.Errorf("no problem with %q in %q", c.problem, rep.Problems)
			}
			if c.warning != "" && !contains(rep.Warnings, c.warning) {
				t.Errorf("no warning with %q in %q", c.warning, rep.Warnings)
			}
		})
	}
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }
