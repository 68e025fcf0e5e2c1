package vault

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"testimony/internal/failpoint"
)

// Options configures a [Store]. The zero value is ready to use.
type Options struct {
	// Now gives the time whose UTC day is recorded. Nil means time.Now.
	// Only the day is ever stored.
	Now func() time.Time

	// LockTimeout is how long Open waits for another process that holds the
	// store (bbolt locks its file). Zero means one second.
	LockTimeout time.Duration
}

// Store is the intake server's ciphertext store: a bbolt file holding
// encrypted parts, item records, the custody chain and receipt look-up tags.
// It never holds plaintext testimony or any private key.
type Store struct {
	db      *bolt.DB
	commits *groupCommit
	now     func() time.Time
	server  string

	mu       sync.Mutex
	reserved map[ID]uint16 // item numbers taken by additions in progress

	reads, writes atomic.Int64 // transactions, for tests and benchmarks

	buffered byteBudget // ciphertext held in memory by submissions in progress

	quota   atomic.Int64 // bytes of ciphertext past which writes fail; 0 means none
	counted atomic.Int64 // bytes of ciphertext stored, staged or pending
}

// ErrQuota means the store holds as much ciphertext as its quota allows:
// nothing more is taken until the quota is raised.
var ErrQuota = errors.New("the store has reached its quota")

// SetQuota makes writes of new ciphertext fail with [ErrQuota] once the
// store counts bytes of ciphertext or more: the parts of every
// submission and addition, and what submissions in progress have staged
// or hold for their commit. The check comes before each chunk, so the
// store passes the quota by at most one chunk (1 MiB) per submission in
// progress. The file is larger than what is counted, by bbolt's pages and
// free space. Zero means no quota.
func (s *Store) SetQuota(bytes int64) { s.quota.Store(bytes) }

// Counted returns the bytes of ciphertext the quota counts.
func (s *Store) Counted() int64 { return s.counted.Load() }

// Full reports whether the quota is reached.
func (s *Store) Full() bool {
	q := s.quota.Load()
	return q > 0 && s.counted.Load() >= q
}

// count adds n bytes of ciphertext about to be written, or reports
// ErrQuota (then nothing is counted).
func (sub *Submission) count(n int64) error {
	if !sub.exempt && sub.s.Full() {
		return ErrQuota
	}
	sub.s.counted.Add(n)
	sub.counted += n
	return nil
}

var (
	bucketMeta     = []byte("meta")
	bucketItems    = []byte("items")         // id|n → item record
	bucketChunks   = []byte("chunks")        // id|n|part|seq → bucket: chunkValue → ciphertext
	bucketCustody  = []byte("custody")       // seq → entry line
	bucketEntryKey = []byte("entry-key")     // seq → id|n, for entries that name an item
	bucketReceipts = []byte("receipts")      // look-up tag → id
	bucketReplies  = []byte("replies")       // id|seq → reply ciphertext
	bucketReplyIDs = []byte("reply-bundles") // reply bundle ID → day imported

	keyServer    = []byte("server")
	keyReplyAuth = []byte("reply-auth")  // HMAC key reply bundles are authenticated with
	keyCursor    = []byte("export-next") // first custody seq the next bundle must hold
	keyFormKey   = []byte("form-key")    // the intake's form-token key (FormKey)
)

const initialMmap = 1 << 30

// ErrLocked means another process holds the store open.
var ErrLocked = errors.New("the store is in use by another process")

// Open opens or creates the store at path with mode 0600.
func Open(path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = time.Second
	}
	// A commit that grows the file past bbolt's mapping must remap it, and
	// waits for every open read transaction to end first. Mapping 1 GiB
	// from the start (address space only, not memory) spares commits that
	// wait below that size; exports and backups also hold no transaction
	// while their reader is slow (WriteBundle, Backup).
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, InitialMmapSize: initialMmap})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	removeBackupCopies(path)
	s := &Store{db: db, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if err := db.Update(s.init); err != nil {
		db.Close()
		return nil, fmt.Errorf("preparing store: %w", err)
	}
	s.commits = newGroupCommit(db)
	return s, nil
}

// init creates the buckets and the server ID, and removes chunks staged by a
// submission that never committed (a crash, or a client that went away).
func (s *Store) init(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketMeta, bucketItems, bucketChunks, bucketCustody, bucketEntryKey, bucketReceipts, bucketReplies, bucketReplyIDs} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	if id := meta.Get(keyServer); id != nil {
		s.server = hex.EncodeToString(id)
	} else {
		id := make([]byte, 16)
		rand.Read(id)
		if err := meta.Put(keyServer, id); err != nil {
			return err
		}
		s.server = hex.EncodeToString(id)
	}
	if meta.Get(keyReplyAuth) == nil {
		k := make([]byte, 32)
		rand.Read(k)
		if err := meta.Put(keyReplyAuth, k); err != nil {
			return err
		}
	}
	items, chunks := tx.Bucket(bucketItems), tx.Bucket(bucketChunks)
	// The quota counts the parts of every item; a record that does not
	// parse is for review verify to report, not a reason to refuse to
	// open.
	var counted int64
	items.ForEach(func(_, v []byte) error {
		if it, err := ParseItem(v); err == nil {
			for _, p := range it.Parts {
				counted += p.Size
			}
		}
		return nil
	})
	s.counted.Store(counted)
	var orphans [][]byte
	c := chunks.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if items.Get(k[:itemKeyLen]) == nil {
			orphans = append(orphans, bytes.Clone(k))
		}
	}
	return deleteChunks(chunks, orphans)
}

// chunkValue is the one key of a chunk's own bucket. bbolt rewrites a
// whole leaf when a key in it changes, and keeps two to four values in a
// leaf before it splits it, so chunks side by side in one bucket were
// rewritten with every neighbour added: 6.6 MiB written to disk for each
// 1 MiB attachment under load. In a bucket of its own, a chunk is written
// once; its parent holds only a small bucket header.
var chunkValue = []byte{0}

func putChunk(chunks *bolt.Bucket, k, data []byte) error {
	b, err := chunks.CreateBucket(k)
	if err != nil {
		return err
	}
	return b.Put(chunkValue, data)
}

// chunkData returns the ciphertext of the chunk a cursor is at. A value
// in the chunks bucket itself is an older store's chunk.
func chunkData(chunks *bolt.Bucket, k, v []byte) []byte {
	if v != nil {
		return v
	}
	if b := chunks.Bucket(k); b != nil {
		return b.Get(chunkValue)
	}
	return nil
}

func deleteChunks(chunks *bolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		err := chunks.DeleteBucket(k)
		if errors.Is(err, bolterrors.ErrIncompatibleValue) {
			err = chunks.Delete(k) // an older store's chunk
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Close closes the store.
func (s *Store) Close() error {
	s.commits.stop()
	return s.db.Close()
}

// ServerID returns the store's random identity, which bundles carry so that a
// workspace never mixes two servers' chains.
func (s *Store) ServerID() string { return s.server }

// FormKey returns a random key the store keeps for the intake's own use:
// it authenticates the single-use tokens of the survivor's forms, so they
// stay valid across a restart. It protects no testimony.
func (s *Store) FormKey() ([]byte, error) {
	var k []byte
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyFormKey); v != nil {
			k = bytes.Clone(v)
			return nil
		}
		k = make([]byte, 32)
		rand.Read(k)
		return meta.Put(keyFormKey, k)
	})
	return k, err
}

const (
	itemKeyLen = idBytes + 2
	// chunkSize is how much ciphertext a submission holds in memory before it
	// stages it in its own transaction. Any written account fits in one
	// chunk, so it is written by the single commit transaction; an
	// attachment costs one fsync'd transaction per MiB.
	chunkSize = 1 << 20
)

func itemKey(id ID, n uint16) []byte {
	return binary.BigEndian.AppendUint16(id.key(), n)
}

func chunkKey(item []byte, part uint16, seq uint32) []byte {
	k := binary.BigEndian.AppendUint16(bytes.Clone(item), part)
	return binary.BigEndian.AppendUint32(k, seq)
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// Submission is a submission being written. Parts are encrypted as they are
// written; nothing of it is visible, or survives a restart, until Commit
// returns nil.
type Submission struct {
	s          *Store
	id         ID
	n          uint16
	key        []byte
	recipients []age.Recipient
	action     string
	parts      []PartInfo
	pending    []chunk // ciphertext not yet staged, written by Commit
	open       int     // parts created and not yet closed
	staged     bool
	finished   bool
	buffered   int64        // bytes of pending counted in the store's budget
	sinks      []*chunkSink // of every part, to free what an unclosed one holds
	counted    int64        // bytes of ciphertext counted against the quota
	exempt     bool         // not refused for the quota
}

// IgnoreQuota lets this submission through a full quota: a withdrawal of
// consent is a few hundred bytes, and her right.
func (sub *Submission) IgnoreQuota() { sub.exempt = true }

type chunk struct {
	key  []byte
	data []byte
}

// Begin starts a new submission whose parts are encrypted to recipients.
func (s *Store) Begin(recipients []age.Recipient) *Submission {
	id := NewID()
	return &Submission{s: s, id: id, key: itemKey(id, 0), recipients: recipients, action: ActionSubmit}
}

// BeginAddition starts something she adds to submission id on a return
// visit: more text, files, or a withdrawal. It becomes the submission's
// next item.
func (s *Store) BeginAddition(id ID, recipients []age.Recipient) (*Submission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n uint16
	err := s.view(func(tx *bolt.Tx) error {
		prefix := id.key()
		c := tx.Bucket(bucketItems).Cursor()
		found := false
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n = binary.BigEndian.Uint16(k[idBytes:]) + 1
			found = true
		}
		if !found {
			return ErrNotFound
		}
		if n == 0 {
			return errors.New("too many additions")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("adding to %s: %w", id, err)
	}
	// Two visits may add at once: each gets its own number, so their
	// staged chunks never share keys.
	if r, ok := s.reserved[id]; ok && r >= n {
		n = r + 1
	}
	if n == 0 {
		return nil, fmt.Errorf("adding to %s: too many additions", id)
	}
	if s.reserved == nil {
		s.reserved = map[ID]uint16{}
	}
	s.reserved[id] = n
	return &Submission{s: s, id: id, n: n, key: itemKey(id, n), recipients: recipients, action: ActionAdd}, nil
}

// CreatePart starts the next part. Write its content to the returned
// writer, perhaps in several sections, and Close it before committing.
// Parts may be open side by side: her account can stay open for her
// answers while the files she sent after it are stored.
func (sub *Submission) CreatePart(h PartHeader) (*PartWriter, error) {
	if sub.finished {
		return nil, errors.New("the submission is finished")
	}
	if len(sub.parts) >= MaxParts {
		return nil, fmt.Errorf("a submission has at most %d parts", MaxParts)
	}
	sink := &chunkSink{sub: sub, part: uint16(len(sub.parts)), hash: sha256.New()}
	sub.sinks = append(sub.sinks, sink)
	pw, err := NewPartWriter(sink, h, sub.recipients...)
	if err != nil {
		return nil, err
	}
	sub.parts = append(sub.parts, PartInfo{})
	sub.open++
	pw.done = func() error {
		sub.open--
		return sink.close()
	}
	return pw, nil
}

// chunkSink receives a part's ciphertext, hashes it and cuts it into chunks.
type chunkSink struct {
	sub  *Submission
	part uint16
	seq  uint32
	buf  []byte
	big  bool // buf is a pooled chunkSize buffer, counted in the store's budget
	size int64
	hash hash.Hash
}

// maxBuffered bounds the ciphertext that submissions in progress hold in
// memory beyond smallChunk each. Past it, a part is staged in chunks of
// smallChunk instead of chunkSize: more transactions, but 512 uploads
// that send a MiB and stall no longer hold 512 MiB (the audit measured
// 0.7 MB a stalled upload, over the unit's MemoryMax at 512).
const maxBuffered = 64 << 20

// byteBudget is a count of bytes that may not pass a bound.
type byteBudget struct {
	mu   sync.Mutex
	used int64
}

func (b *byteBudget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > maxBuffered {
		return false
	}
	b.used += n
	return true
}

func (b *byteBudget) give(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
}

func (c *chunkSink) Write(p []byte) (int, error) {
	c.hash.Write(p)
	c.size += int64(len(p))
	n := len(p)
	for len(p) > 0 {
		limit := chunkSize
		if !c.big && len(c.buf)+len(p) > smallChunk {
			if c.sub.s.buffered.take(chunkSize) {
				c.big = true
				c.buf = append(getChunkBuffer(), c.buf...)
			} else {
				limit = smallChunk
			}
		}
		if limit == smallChunk && len(c.buf) == 0 && len(p) >= limit {
			// Past the budget, a whole small chunk is staged from the
			// caller's bytes: the sink then holds nothing between writes.
			if err := c.stage(p[:limit]); err != nil {
				return 0, err
			}
			p = p[limit:]
			continue
		}
		k := min(len(p), limit-len(c.buf))
		c.buf = append(c.buf, p[:k]...)
		p = p[k:]
		if len(c.buf) == limit {
			if err := c.stage(c.buf); err != nil {
				return 0, err
			}
			// The transaction has copied the chunk into its pages: reuse
			// the buffer.
			c.buf = c.buf[:0]
		}
	}
	return n, nil
}

// stage writes a chunk in its own transaction, so memory stays bounded
// whatever the size of the part. Staged chunks without an item record are
// removed by Abort, or at the next Open after a crash.
func (c *chunkSink) stage(data []byte) error {
	if err := c.sub.count(int64(len(data))); err != nil {
		return err
	}
	k := chunkKey(c.sub.key, c.part, c.seq)
	err := c.sub.s.commit(int64(len(data)), func(tx *bolt.Tx) error {
		return putChunk(tx.Bucket(bucketChunks), k, data)
	})
	if err != nil {
		return fmt.Errorf("staging ciphertext: %w", err)
	}
	c.sub.staged = true
	c.seq++
	failpoint.Inject(failpoint.VaultChunkStaged)
	return nil
}

// free gives back the sink's buffer, and its place in the budget.
func (c *chunkSink) free() {
	if c.big {
		putChunkBuffer(c.buf)
		c.sub.s.buffered.give(chunkSize)
		c.big = false
	}
	c.buf = nil
}

func (c *chunkSink) close() error {
	var err error
	if len(c.buf) > 0 {
		// What waits for Commit holds only its own bytes: a client that
		// sends twenty files of 32 KiB and then stalls must not pin twenty
		// pooled MiB. More than smallChunk waits only within the budget;
		// past it, it is staged now.
		data := c.buf
		if c.big {
			data = bytes.Clone(data)
		}
		switch {
		case len(data) <= smallChunk || c.sub.s.buffered.take(int64(len(data))):
			if len(data) > smallChunk {
				c.sub.buffered += int64(len(data))
			}
			if err = c.sub.count(int64(len(data))); err == nil {
				c.sub.pending = append(c.sub.pending, chunk{chunkKey(c.sub.key, c.part, c.seq), data})
			}
		default:
			err = c.stage(data)
		}
	}
	c.free()
	var h Hash
	c.hash.Sum(h[:0])
	c.sub.parts[c.part] = PartInfo{Size: c.size, Hash: h}
	return err
}

// ID returns the submission's ID.
func (sub *Submission) ID() ID { return sub.id }

// Commit makes the submission durable in one transaction: its remaining
// ciphertext, its item record, a custody entry and, if receiptTag is not
// nil, the tag that lets her receipt find it again. When Commit returns nil
// the data is on disk (fsync'd); not before.
func (sub *Submission) Commit(receiptTag []byte) (ID, error) {
	if receiptTag == nil {
		return sub.CommitReceipts()
	}
	return sub.CommitReceipts(ReceiptTag{Tag: receiptTag})
}

// CommitReceipts is Commit with any number of look-up tags, each stored
// with its note: a submission's two receipts are committed together.
func (sub *Submission) CommitReceipts(tags ...ReceiptTag) (ID, error) {
	if sub.open > 0 || sub.finished {
		return "", errors.New("commit with a part still open, or twice")
	}
	if len(sub.parts) == 0 {
		return "", errors.New("a submission needs at least one part")
	}
	item := Item{ID: sub.id, N: sub.n, Day: Day(sub.s.now()), Parts: sub.parts}
	var size int64
	for _, c := range sub.pending {
		size += int64(len(c.data))
	}
	err := sub.s.commit(size, func(tx *bolt.Tx) error {
		chunks := tx.Bucket(bucketChunks)
		for _, c := range sub.pending {
			if err := putChunk(chunks, c.key, c.data); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketItems).Put(sub.key, item.Marshal()); err != nil {
			return err
		}
		if err := putReceipts(tx, sub.key[:idBytes], tags); err != nil {
			return err
		}
		_, err := sub.s.appendEntry(tx, sub.action, item.Hash(), sub.key)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("committing submission: %w", err)
	}
	sub.finished = true
	sub.dropPending()
	sub.release()
	return sub.id, nil
}

// dropPending gives the buffers of ciphertext Commit has written, or
// Abort dropped, back for the next submission.
func (sub *Submission) dropPending() {
	for _, c := range sub.pending {
		putChunkBuffer(c.data)
	}
	sub.pending = nil
	sub.s.buffered.give(sub.buffered)
	sub.buffered = 0
	for _, c := range sub.sinks {
		c.free()
	}
	sub.sinks = nil
}

// smallChunk is as far as a chunk buffer grows by itself: a written account
// fits, and the buffers of longer parts come whole from chunkBuffers.
const smallChunk = 64 << 10

// chunkBuffers holds buffers of chunkSize. Without it, every attachment
// grew a fresh buffer to a MiB by doubling, copying it over and over.
var chunkBuffers = sync.Pool{New: func() any { return new([chunkSize]byte) }}

func getChunkBuffer() []byte { return chunkBuffers.Get().(*[chunkSize]byte)[:0] }

func putChunkBuffer(b []byte) {
	if cap(b) == chunkSize {
		chunkBuffers.Put((*[chunkSize]byte)(b[:chunkSize]))
	}
}

// release frees an addition's reserved number once it is committed or
// dropped.
func (sub *Submission) release() {
	if sub.n == 0 {
		return
	}
	sub.s.mu.Lock()
	defer sub.s.mu.Unlock()
	if sub.s.reserved[sub.id] == sub.n {
		delete(sub.s.reserved, sub.id)
	}
}

// Abort drops the submission and any ciphertext it staged. It is safe to
// call after Commit, when it does nothing.
func (sub *Submission) Abort() error {
	if sub.finished {
		return nil
	}
	sub.finished = true
	sub.dropPending()
	sub.release()
	sub.s.counted.Add(-sub.counted)
	if !sub.staged {
		return nil
	}
	return sub.s.commit(0, func(tx *bolt.Tx) error {
		chunks := tx.Bucket(bucketChunks)
		var staged [][]byte
		c := chunks.Cursor()
		for k, _ := c.Seek(sub.key); k != nil && bytes.HasPrefix(k, sub.key); k, _ = c.Next() {
			staged = append(staged, bytes.Clone(k))
		}
		return deleteChunks(chunks, staged)
	})
}

func (s *Store) head(tx *bolt.Tx) (Head, error) {
	k, v := tx.Bucket(bucketCustody).Cursor().Last()
	if k == nil {
		return Head{}, nil
	}
	e, err := ParseEntry(v)
	if err != nil {
		return Head{}, fmt.Errorf("custody entry %x: %w", k, err)
	}
	return Head{e.Seq, e.Hash()}, nil
}

// appendEntry adds a custody entry by the intake for item. itemKey, if not
// nil, is the key of the item record the entry names.
func (s *Store) appendEntry(tx *bolt.Tx, action string, item Hash, itemKey []byte) (Entry, error) {
	h, err := s.head(tx)
	if err != nil {
		return Entry{}, err
	}
	e := h.Next()
	e.Day, e.Actor, e.Action, e.Item = Day(s.now()), "intake", action, item
	if err := tx.Bucket(bucketCustody).Put(seqKey(e.Seq), e.Marshal()); err != nil {
		return e, err
	}
	if itemKey != nil {
		if err := tx.Bucket(bucketEntryKey).Put(seqKey(e.Seq), itemKey); err != nil {
			return e, err
		}
	}
	return e, nil
}

// ErrNotFound means no submission matches.
var ErrNotFound = errors.New("not found")

// LookupReceipt returns the submission a receipt's look-up tag belongs to.
func (s *Store) LookupReceipt(tag []byte) (ID, error) {
	id, _, err := s.LookupReceiptNote(tag)
	return id, err
}

// Custody returns the whole custody chain, verified.
func (s *Store) Custody() ([]Entry, error) {
	var entries []Entry
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCustody).ForEach(func(k, v []byte) error {
			e, err := ParseEntry(v)
			if err != nil {
				return err
			}
			entries = append(entries, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading custody: %w", err)
	}
	if _, err := (Head{}).Verify(entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// Size returns the size of the store file in bytes, for disk quotas.
func (s *Store) Size() (int64, error) {
	info, err := os.Stat(s.db.Path())
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Backup writes a consistent copy of the whole store file to w while the
// store stays open, as bbolt's online backup does. The copy is made first
// into a file beside the store (mode 0600, removed at once, and by the
// next Open after a crash), so the read transaction it needs lasts as long
// as the local disk takes, never as long as a slow reader of w.
func (s *Store) Backup(w io.Writer) error {
	f, err := os.CreateTemp(filepath.Dir(s.db.Path()), filepath.Base(s.db.Path())+backupSuffix+"*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	err = s.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(f)
		return err
	})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = io.Copy(w, f)
	return err
}

// backupSuffix marks the copies Backup makes beside the store.
const backupSuffix = ".backup-"

// removeBackupCopies removes copies a crash left beside the store.
func removeBackupCopies(path string) {
	left, _ := filepath.Glob(path + backupSuffix + "*")
	for _, f := range left {
		os.Remove(f)
	}
}
