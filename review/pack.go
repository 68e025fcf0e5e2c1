package review

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"

	"testimony/internal/safefile"
	"testimony/vault"
)

// Sealed originals live in packs: objects/<bundle SHA-256>.pack holds, back
// to back, each part the import of that bundle added, exactly as the server
// sealed it. The index's objects bucket says where each part is
// ([objectRecord]). A pack is written once, in the import's staging
// directory, made durable with one sync, and renamed in; it is never
// changed after.

const (
	packSuffix = ".pack"

	// nonceSize is the size of the payload nonce that follows an age header.
	nonceSize = 16

	// writebackEvery is how much of a pack is written before import asks
	// the kernel to start writing it to disk, so that the one sync at the
	// end has little left to wait for.
	writebackEvery = 8 << 20
)

// maxHeader is more than an age header needs for a team of a hundred
// post-quantum keys (each stanza is about 1.5 KiB). A part whose header is
// longer is still imported, without a header commitment: reading it
// copies it whole, checking its hash, and decrypts the copy. A variable
// so that a test can lower it.
var maxHeader = 256 << 10

// objectRecord says where a sealed original is, and what reading it checks.
type objectRecord struct {
	Pack   vault.Hash // names objects/<Pack>.pack: the bundle whose import wrote it
	Offset int64
	Size   int64
	// Commit is the SHA-256 of the part's age header and payload nonce,
	// taken at import from the bytes whose whole hash was verified; zero
	// if the header was too long to keep (see [maxHeader]).
	Commit vault.Hash
}

const objectRecordSize = 32 + 8 + 8 + 32

func (o objectRecord) marshal() []byte {
	b := make([]byte, 0, objectRecordSize)
	b = append(b, o.Pack[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(o.Offset))
	b = binary.BigEndian.AppendUint64(b, uint64(o.Size))
	return append(b, o.Commit[:]...)
}

func parseObjectRecord(v []byte) (objectRecord, bool) {
	var o objectRecord
	if len(v) != objectRecordSize {
		return o, false
	}
	copy(o.Pack[:], v)
	o.Offset = int64(binary.BigEndian.Uint64(v[32:]))
	o.Size = int64(binary.BigEndian.Uint64(v[40:]))
	copy(o.Commit[:], v[48:])
	return o, o.Offset >= 0 && o.Size >= 0 && o.Offset <= o.Offset+o.Size
}

// objectTx returns where the sealed original with hash h is.
func objectTx(tx *bolt.Tx, h vault.Hash) (objectRecord, error) {
	v := tx.Bucket(bucketObjects).Get(h[:])
	if v == nil {
		return objectRecord{}, fmt.Errorf("%w: sealed original %s is missing (no object record): run \"review verify\"", vault.ErrMalformed, h)
	}
	o, ok := parseObjectRecord(v)
	if !ok {
		return o, fmt.Errorf("%w: the object record of sealed original %s is damaged: run \"review verify\"", vault.ErrMalformed, h)
	}
	return o, nil
}

// object returns where the sealed original with hash h is.
func (w *Workspace) object(h vault.Hash) (o objectRecord, err error) {
	err = w.db.View(func(tx *bolt.Tx) error {
		o, err = objectTx(tx, h)
		return err
	})
	return o, err
}

func (w *Workspace) packPath(pack vault.Hash) string {
	return filepath.Join(w.dir, objectsDir, pack.String()+packSuffix)
}

// headerCommitment returns the SHA-256 of an age file's header and payload
// nonce, given the file's first bytes, and the number of recipient stanzas
// in the header: one per recipient for X25519, post-quantum and plugin
// keys alike. ok is false if start does not hold the header and nonce
// whole.
func headerCommitment(start []byte) (c vault.Hash, stanzas int, ok bool) {
	hdr, err := age.ExtractHeader(bytes.NewReader(start))
	// ExtractHeader re-encodes the header it parsed; age accepts only the
	// canonical encoding, so a header age reads from start is start's
	// prefix. The check makes sure the commitment covers the very bytes
	// age will parse.
	if err != nil || !bytes.HasPrefix(start, hdr) || len(start) < len(hdr)+nonceSize {
		return c, 0, false
	}
	return sha256.Sum256(start[:len(hdr)+nonceSize]), bytes.Count(hdr, []byte("\n-> ")), true
}

// headPeek keeps the start of an age file, where its header and payload
// nonce are.
type headPeek struct{ b []byte }

func (h *headPeek) Write(p []byte) (int, error) {
	if room := maxHeader + nonceSize - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// packWriter appends the new parts of one import to a staged pack.
type packWriter struct {
	path   string
	f      *os.File
	bw     *bufio.Writer // a write for each short part would cost more than the part
	off    int64
	kicked int64 // offset up to which writeback was started
	added  map[vault.Hash]objectRecord
	head   headPeek // the start of the part being written
}

// packBuffer is how much of a pack is written at once.
const packBuffer = 1 << 20

func newPackWriter(stage string) *packWriter {
	return &packWriter{path: filepath.Join(stage, "pack"), added: make(map[vault.Hash]objectRecord)}
}

// add appends one part's ciphertext, and returns the number of recipient
// stanzas in its age header (0 if it could not be read).
func (p *packWriter) add(h vault.Hash, ciphertext io.Reader) (int, error) {
	if p.f == nil {
		f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return 0, err
		}
		p.f, p.bw = f, bufio.NewWriterSize(f, packBuffer)
	}
	p.head.b = p.head.b[:0]
	n, err := copyPooled(p.bw, io.TeeReader(ciphertext, &p.head))
	if err != nil {
		return 0, err
	}
	rec := objectRecord{Offset: p.off, Size: n}
	c, stanzas, ok := headerCommitment(p.head.b)
	if ok {
		rec.Commit = c
	}
	p.added[h] = rec
	p.off += n
	if written := p.off - int64(p.bw.Buffered()); written-p.kicked >= writebackEvery {
		startWriteback(p.f, p.kicked, written-p.kicked)
		p.kicked = written
	}
	return stanzas, nil
}

// finish makes the pack durable and moves it to path. With no part added,
// there is no pack and it does nothing.
func (p *packWriter) finish(path string) error {
	if p.f == nil {
		return nil
	}
	err := p.bw.Flush()
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.f = nil
	if err != nil {
		return err
	}
	if err := os.Rename(p.path, path); err != nil {
		return err
	}
	return safefile.SyncDir(filepath.Dir(path))
}

// close closes the staged pack if finish was not reached.
func (p *packWriter) close() {
	if p.f != nil {
		p.f.Close()
	}
}

// packFiles keeps the packs one command reads open. Its methods may be
// called from several goroutines.
type packFiles struct {
	w     *Workspace
	mu    sync.Mutex
	files map[vault.Hash]*os.File
}

func (p *packFiles) open(pack vault.Hash) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f := p.files[pack]; f != nil {
		return f, nil
	}
	f, err := os.Open(p.w.packPath(pack))
	if err != nil {
		return nil, err
	}
	if p.files == nil {
		p.files = make(map[vault.Hash]*os.File)
	}
	p.files[pack] = f
	return f, nil
}

func (p *packFiles) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.files {
		f.Close()
	}
}

// errDamaged says a sealed original is not what its record says.
func errDamaged(h vault.Hash) error {
	return fmt.Errorf("%w: sealed original %s does not match its record (altered or damaged): run \"review verify\"", vault.ErrMalformed, h)
}

// errPackGone says the pack holding a sealed original is missing.
func errPackGone(h vault.Hash) error {
	return fmt.Errorf("%w: sealed original %s is missing (its pack is gone): run \"review verify\"", vault.ErrMalformed, h)
}

// openSealed returns the ciphertext of a sealed original for age to read.
//
// Where import recorded a header commitment, the header and payload nonce
// in what it returns are the very bytes checked against it: they come from
// memory, and age parses them from there. age then authenticates every
// payload chunk with a key derived from the file key the header holds and
// that nonce, and refuses a stream cut at any chunk boundary. So without
// that file key no one can make different content decrypt from it: an
// altered, truncated or replaced original fails before, or at, the first
// chunk it touches. Without a commitment, the whole original's size and
// hash are checked before anything is returned.
func (w *Workspace) openSealed(packs *packFiles, p vault.PartInfo) (io.Reader, error) {
	o, err := w.object(p.Hash)
	if err != nil {
		return nil, err
	}
	if o.Size != p.Size {
		return nil, errDamaged(p.Hash)
	}
	f, err := packs.open(o.Pack)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errPackGone(p.Hash)
	}
	if err != nil {
		return nil, err
	}
	if o.Commit == (vault.Hash{}) {
		return w.checkedCopy(f, o, p)
	}
	start := make([]byte, min(o.Size, int64(maxHeader+nonceSize)))
	if _, err := f.ReadAt(start, o.Offset); err != nil {
		return nil, errDamaged(p.Hash)
	}
	if c, _, ok := headerCommitment(start); !ok || c != o.Commit {
		return nil, errDamaged(p.Hash)
	}
	rest := io.NewSectionReader(f, o.Offset+int64(len(start)), o.Size-int64(len(start)))
	return io.MultiReader(bytes.NewReader(start), rest), nil
}

// checkedCopy copies a sealed original that has no header commitment,
// hashing it on the way, and returns the copy once the hash matches: age
// must parse the very bytes that were checked, not the pack again, which
// could have changed since. Small ones are copied to memory, others to an
// unlinked file of the workspace (ciphertext, as in the pack), closed when
// read to the end or collected.
func (w *Workspace) checkedCopy(f *os.File, o objectRecord, p vault.PartInfo) (io.Reader, error) {
	src := io.NewSectionReader(f, o.Offset, o.Size)
	h := sha256.New()
	if o.Size <= 16<<20 {
		b := make([]byte, o.Size)
		if _, err := io.ReadFull(io.TeeReader(src, h), b); err != nil || vault.Hash(h.Sum(nil)) != p.Hash {
			return nil, errDamaged(p.Hash)
		}
		return bytes.NewReader(b), nil
	}
	tmp, err := os.CreateTemp(w.dir, ".read-")
	if err != nil {
		return nil, err
	}
	os.Remove(tmp.Name())
	n, err := copyPooled(io.MultiWriter(tmp, h), src)
	if err == nil && (n != p.Size || vault.Hash(h.Sum(nil)) != p.Hash) {
		err = errDamaged(p.Hash)
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.Close()
		return nil, err
	}
	return &closeAtEOF{tmp}, nil
}

// closeAtEOF closes a file once it has been read to the end.
type closeAtEOF struct{ f *os.File }

func (c *closeAtEOF) Read(b []byte) (int, error) {
	n, err := c.f.Read(b)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

// checkSealed reads a sealed original whole and checks it against its
// record, for output that cannot be taken back once written (a terminal, a
// pipe): without it, an original cut short would show its first chunks,
// genuine as they are, before the error.
func (w *Workspace) checkSealed(p vault.PartInfo) error {
	o, err := w.object(p.Hash)
	if err != nil {
		return err
	}
	f, err := os.Open(w.packPath(o.Pack))
	if errors.Is(err, os.ErrNotExist) {
		return errPackGone(p.Hash)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if msg := checkSection(f, o, p); msg != "" {
		return errDamaged(p.Hash)
	}
	return nil
}

// checkSection returns what is wrong with a sealed original, or "": its
// size, its hash, and the header commitment its record holds.
func checkSection(f io.ReaderAt, o objectRecord, p vault.PartInfo) string {
	h := sha256.New()
	var head headPeek
	n, err := copyPooled(io.MultiWriter(h, &head), io.NewSectionReader(f, o.Offset, o.Size))
	if err != nil {
		return "cannot be read: " + err.Error()
	}
	if n != p.Size || o.Size != p.Size {
		return fmt.Sprintf("has %d bytes, its record says %d", n, p.Size)
	}
	if vault.Hash(h.Sum(nil)) != p.Hash {
		return "does not match its hash: it was altered"
	}
	if o.Commit != (vault.Hash{}) {
		if c, _, _ := headerCommitment(head.b); c != o.Commit {
			return "does not match the header commitment in its object record: the index was altered"
		}
	}
	return ""
}

// damageReader reports any failure to read a sealed original's content as
// damage to it: what import verified decrypts whole.
type damageReader struct {
	r io.Reader
	h vault.Hash
}

func (d damageReader) Read(b []byte) (int, error) {
	n, err := d.r.Read(b)
	if err != nil && err != io.EOF {
		err = errDamaged(d.h)
	}
	return n, err
}
