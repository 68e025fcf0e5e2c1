package vault

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/failpoint"
)

const (
	bundleMagic = "testimony-bundle/v1"
	// MaxBundleEntries bounds the custody entries and the items of one
	// bundle, which the reader holds in memory (a few hundred bytes each).
	MaxBundleEntries = 1 << 20
)

// ErrNothingNew means there is nothing to export since the last bundle.
var ErrNothingNew = errors.New("nothing new since the last export")

// BundleInfo describes a bundle that was written.
type BundleInfo struct {
	From, To uint64 // the custody entries it holds
	Head     Hash   // hash of entry To
	Items    int
}

// WriteBundle writes to w a bundle encrypted to recipients: the custody
// entries from the first one not yet exported (all of them if all is true)
// to the head, and every item those entries name, with its ciphertext.
// It changes nothing: call [Store.RecordExport] once the bundle is safely
// stored, so that the next bundle starts after it.
//
// What it holds is fixed by its first, short read transaction (the head,
// and which items); entries and committed items never change, so the rest
// is read in short transactions too, one chunk at a time, and never
// written to w while a transaction is open. A reader who stops reading the
// bundle holds no transaction: bbolt makes a commit that grows the file
// wait for every open read transaction, and the audit saw a commit wait 3 s
// behind a stalled export.
func (s *Store) WriteBundle(w io.Writer, recipients []age.Recipient, all bool) (BundleInfo, error) {
	var info BundleInfo
	var items [][]byte
	var replyAuth []byte
	err := s.view(func(tx *bolt.Tx) error {
		head, err := s.head(tx)
		if err != nil {
			return err
		}
		info.From = 1
		if v := tx.Bucket(bucketMeta).Get(keyCursor); v != nil && !all {
			info.From = binary.BigEndian.Uint64(v)
		}
		info.To, info.Head = head.Seq, head.Hash
		replyAuth = bytes.Clone(tx.Bucket(bucketMeta).Get(keyReplyAuth))
		custody, keys := tx.Bucket(bucketCustody), tx.Bucket(bucketEntryKey)
		if info.To >= info.From && info.To-info.From >= MaxBundleEntries {
			return errors.New("too many entries for one bundle; export more often")
		}
		for seq := info.From; seq <= info.To; seq++ {
			if custody.Get(seqKey(seq)) == nil {
				return &ChainError{seq, "entry missing from the store"}
			}
			if k := keys.Get(seqKey(seq)); k != nil {
				items = append(items, bytes.Clone(k))
			}
		}
		if len(items) == 0 && !all || info.To == 0 {
			return ErrNothingNew
		}
		info.Items = len(items)
		return nil
	})
	if err == nil {
		err = s.writeBundle(w, recipients, replyAuth, info, items)
	}
	if err != nil && !errors.Is(err, ErrNothingNew) {
		err = fmt.Errorf("writing bundle: %w", err)
	}
	return info, err
}

// linesPerRead is how many custody entries one short read transaction of
// writeBundle copies out.
const linesPerRead = 4096

func (s *Store) writeBundle(w io.Writer, recipients []age.Recipient, replyAuth []byte, info BundleInfo, items [][]byte) error {
	a, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(a, 64<<10)
	fmt.Fprintf(bw, "%s\nserver %s\ncreated %s\nreply-auth %x\ncustody %d\n", bundleMagic, s.server, Day(s.now()), replyAuth, info.To-info.From+1)
	var lines [][]byte
	for from := info.From; from <= info.To; from += linesPerRead {
		lines = lines[:0]
		err := s.view(func(tx *bolt.Tx) error {
			custody := tx.Bucket(bucketCustody)
			for seq := from; seq <= info.To && seq < from+linesPerRead; seq++ {
				line := custody.Get(seqKey(seq))
				if line == nil {
					return &ChainError{seq, "entry missing from the store"}
				}
				lines = append(lines, bytes.Clone(line))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, l := range lines {
			bw.Write(l)
			bw.WriteByte('\n')
		}
	}
	fmt.Fprintf(bw, "items %d\n", len(items))
	var data []byte // one chunk, copied out of its transaction
	for _, key := range items {
		var rec []byte
		var chunkKeys [][][]byte // per part
		err := s.view(func(tx *bolt.Tx) error {
			rec = bytes.Clone(tx.Bucket(bucketItems).Get(key))
			it, err := ParseItem(rec)
			if err != nil {
				return err
			}
			c := tx.Bucket(bucketChunks).Cursor()
			for i := range it.Parts {
				prefix := chunkKey(key, uint16(i), 0)[:itemKeyLen+2]
				var ks [][]byte
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
					ks = append(ks, bytes.Clone(k))
				}
				chunkKeys = append(chunkKeys, ks)
			}
			return nil
		})
		if err != nil {
			return err
		}
		it, _ := ParseItem(rec)
		fmt.Fprintf(bw, "item %d\n", len(rec))
		bw.Write(rec)
		for i, p := range it.Parts {
			var n int64
			for _, k := range chunkKeys[i] {
				err := s.view(func(tx *bolt.Tx) error {
					chunks := tx.Bucket(bucketChunks)
					data = append(data[:0], chunkData(chunks, k, chunks.Get(k))...)
					return nil
				})
				if err != nil {
					return err
				}
				bw.Write(data)
				n += int64(len(data))
			}
			if n != p.Size {
				return fmt.Errorf("item %s part %d: stored %d bytes, record says %d", it.ID, i, n, p.Size)
			}
		}
		failpoint.Inject(failpoint.VaultBundleItem)
	}
	bw.WriteString("end\n")
	if err := bw.Flush(); err != nil {
		return err
	}
	return a.Close()
}

// RecordExport appends an export entry naming bundleHash (the SHA-256 of
// the bundle file) and moves the start of the next bundle past info.To.
func (s *Store) RecordExport(info BundleInfo, bundleHash Hash) error {
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if _, err := s.appendEntry(tx, ActionExport, bundleHash, nil); err != nil {
			return err
		}
		if v := meta.Get(keyCursor); v != nil && binary.BigEndian.Uint64(v) > info.To {
			return nil // a later bundle was already recorded
		}
		return meta.Put(keyCursor, seqKey(info.To+1))
	})
}

// Bundle is what a verified bundle held, apart from the ciphertext.
type Bundle struct {
	Server    string    // the intake store's random ID
	Created   string    // day the bundle was written
	ReplyAuth ReplyAuth // the key to authenticate reply bundles with
	Custody   []Entry   // consecutive, verified among themselves
	Items     []Item
}

// First returns the head the bundle's chain continues from.
func (b *Bundle) First() Head {
	if len(b.Custody) == 0 {
		return Head{}
	}
	return Head{b.Custody[0].Seq - 1, b.Custody[0].Prev}
}

// Last returns the head of the bundle's chain.
func (b *Bundle) Last() Head {
	if len(b.Custody) == 0 {
		return Head{}
	}
	e := b.Custody[len(b.Custody)-1]
	return Head{e.Seq, e.Hash()}
}

// PartFunc receives one part of an item as it is read. It may read all,
// some or none of ciphertext; the bundle reader checks the part's size and
// hash after it returns, so the caller must not trust what it read until
// [BundleReader.Read] returns nil.
type PartFunc func(it Item, index int, ciphertext io.Reader) error

// BundleReader decrypts and verifies bundles on the offline side.
type BundleReader struct {
	// Identities are tried in turn to decrypt the bundle.
	Identities []age.Identity
	// Header, if not nil, is called once the header and custody entries are
	// read and verified among themselves, before any item: the place to
	// refuse a bundle that does not continue the caller's chain, before
	// reading gigabytes of it.
	Header func(*Bundle) error
	// Part, if not nil, receives each part's ciphertext as it streams by.
	Part PartFunc
}

// Read decrypts a bundle and verifies it: the format, the custody chain
// within it, that each item is named by exactly one of its custody entries
// and each such entry has its item, and every part's size and hash.
// Memory stays bounded whatever the size of the bundle. Only a nil error
// means the bundle was whole and genuine.
func (r *BundleReader) Read(src io.Reader) (*Bundle, error) {
	plain, err := age.Decrypt(src, r.Identities...)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, fmt.Errorf("decrypting bundle: %w", err)
	}
	if err != nil {
		// age's header errors may quote the damaged bytes: say what it
		// means instead.
		return nil, malformed("the bundle's age header is damaged, or this is not a bundle")
	}
	b, err := r.read(bufio.NewReaderSize(damageReader{plain}, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("reading bundle: %w", err)
	}
	return b, nil
}

// damageReader reports a failure to decrypt as damage: age authenticates
// every 64 KiB, so an error past the header means the file was cut or
// altered.
type damageReader struct{ r io.Reader }

func (d damageReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = malformed("the bundle is damaged or cut short (%v)", err)
	}
	return n, err
}

func (r *BundleReader) read(br *bufio.Reader) (*Bundle, error) {
	b := &Bundle{}
	field := func(name string, max int) (string, error) {
		l, err := readLine(br, max)
		if errors.Is(err, ErrMalformed) {
			return "", err
		}
		if err != nil {
			return "", malformed("bundle ends before its %s line", name)
		}
		v, ok := strings.CutPrefix(l, name+" ")
		if !ok {
			return "", malformed("bundle has no %s line", name)
		}
		return v, nil
	}
	count := func(name string) (int, error) {
		v, err := field(name, 64)
		if err != nil {
			return 0, err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > MaxBundleEntries || strconv.Itoa(n) != v {
			return 0, malformed("bundle has a bad %s count", name)
		}
		return n, nil
	}
	magic, err := readLine(br, 64)
	if errors.Is(err, ErrMalformed) {
		return nil, err
	}
	if err != nil || magic != bundleMagic {
		if strings.HasPrefix(magic, "testimony-bundle/") {
			return nil, malformed("bundle version %q is not supported; update this tool", truncate(magic))
		}
		return nil, malformed("not a %s file", bundleMagic)
	}
	if b.Server, err = field("server", 64); err != nil {
		return nil, err
	}
	if id, err := hex.DecodeString(b.Server); err != nil || len(id) != 16 || hex.EncodeToString(id) != b.Server {
		return nil, malformed("bundle has a bad server ID")
	}
	if b.Created, err = field("created", 32); err != nil {
		return nil, err
	}
	if !validDay(b.Created) {
		return nil, malformed("bundle has a bad creation day")
	}
	ra, err := field("reply-auth", 80)
	if err != nil {
		return nil, err
	}
	if k, err := hex.DecodeString(ra); err != nil || len(k) != len(b.ReplyAuth) || hex.EncodeToString(k) != ra {
		return nil, malformed("bundle has a bad reply-auth line")
	} else {
		copy(b.ReplyAuth[:], k)
	}
	n, err := count("custody")
	if err != nil {
		return nil, err
	}
	for range n {
		l, err := readLine(br, MaxEntryLine)
		if err != nil {
			return nil, malformed("bundle ends inside its custody entries")
		}
		e, err := ParseEntry([]byte(l))
		if err != nil {
			return nil, err
		}
		b.Custody = append(b.Custody, e)
	}
	if _, err := b.First().Verify(b.Custody); err != nil {
		return nil, err
	}
	if r.Header != nil {
		if err := r.Header(b); err != nil {
			return nil, err
		}
	}
	named := make(map[Hash]bool) // item hashes the entries name, and whether seen
	for _, e := range b.Custody {
		if e.NamesItem() {
			if _, dup := named[e.Item]; dup {
				return nil, malformed("two custody entries name the same item")
			}
			named[e.Item] = false
		}
	}
	if n, err = count("items"); err != nil {
		return nil, err
	}
	for range n {
		v, err := field("item", 32)
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(v)
		if err != nil || size <= 0 || size > MaxItemRecord {
			return nil, malformed("bundle has a bad item record size")
		}
		rec := make([]byte, size)
		if _, err := io.ReadFull(br, rec); err != nil {
			return nil, malformed("bundle ends inside an item record")
		}
		it, err := ParseItem(rec)
		if err != nil {
			return nil, err
		}
		seen, ok := named[it.Hash()]
		if !ok || seen {
			return nil, malformed("item %s is not named by a custody entry in the bundle, or appears twice", it.ID)
		}
		named[it.Hash()] = true
		for i, p := range it.Parts {
			if err := readPart(br, it, i, p, r.Part); err != nil {
				return nil, err
			}
		}
		b.Items = append(b.Items, it)
	}
	for _, seen := range named {
		if !seen {
			return nil, malformed("a custody entry names an item the bundle does not hold")
		}
	}
	if l, err := readLine(br, 8); err != nil || l != "end" {
		return nil, malformed("bundle has no end line")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return nil, malformed("bundle has data after its end line")
		}
		return nil, err
	}
	return b, nil
}

func readPart(br *bufio.Reader, it Item, i int, p PartInfo, part PartFunc) error {
	h := sha256.New()
	lr := &io.LimitedReader{R: br, N: p.Size}
	tee := io.TeeReader(lr, h)
	if part != nil {
		if err := part(it, i, tee); err != nil {
			return err
		}
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return err
	}
	if lr.N != 0 {
		return malformed("bundle ends inside item %s part %d", it.ID, i)
	}
	var got Hash
	h.Sum(got[:0])
	if got != p.Hash {
		return malformed("item %s part %d does not match its hash", it.ID, i)
	}
	return nil
}
