package vault

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"filippo.io/age"
)

// Kind says what a part of a submission holds.
type Kind string

// The kinds of part a submission can have.
const (
	KindText       Kind = "text"       // her account, UTF-8
	KindAnswers    Kind = "answers"    // answers to the guided questions, JSON
	KindConsent    Kind = "consent"    // the uses she consented to, JSON
	KindAttachment Kind = "attachment" // a photo or document, as sent
	KindReplyKey   Kind = "reply-key"  // the age recipient replies are encrypted to
	KindWithdrawal Kind = "withdrawal" // uses she withdrew later, JSON
	KindReply      Kind = "reply"      // a reviewer's answer, encrypted to her reply key
	KindReceipt    Kind = "receipt"    // a receipt note kept with a look-up tag, JSON
	KindVisit      Kind = "visit"      // a return visit: the note of the receipt used, still encrypted
)

func (k Kind) valid() bool {
	switch k {
	case KindText, KindAnswers, KindConsent, KindAttachment, KindReplyKey, KindWithdrawal, KindReply, KindReceipt, KindVisit:
		return true
	}
	return false
}

// PartHeader describes a part. It is encrypted with the part: the server sees
// neither the kind nor the file name.
type PartHeader struct {
	Kind Kind   `json:"kind"`
	Name string `json:"name,omitempty"` // file name the device sent, for attachments
	Type string `json:"type,omitempty"` // media type the device sent, for attachments
}

const (
	partMagic = "testimony-part/v1"

	// maxPartHeader bounds the JSON header line, so a hostile part cannot make
	// the reader buffer without end. File names longer than this are cut by
	// the intake before they get here.
	maxPartHeader = 4096

	// maxFrame is the largest content frame. Frames are written as they come
	// from the caller, cut to this size, so memory stays bounded on both sides.
	maxFrame = 64 << 10

	// MinBucket is the smallest padded part. A form part with a short
	// account (or none) and every withdrawal fit in it, so those look alike
	// on the server; longer accounts spread over a few powers of two.
	MinBucket = 4 << 10
)

// fineAbove is the size above which buckets are finer than powers of two.
const fineAbove = 1 << 20

// Bucket returns the padded plaintext size for n bytes of framed plaintext.
// Up to 1 MiB it is the next power of two, and at least MinBucket: written
// accounts fall in a handful of sizes (4, 8, 16 … KiB). Above 1 MiB, where
// attachments live and doubling would cost up to twice the storage and
// work, it keeps the top four bits of the size (eight buckets per
// doubling), so padding costs at most 12.5% and a seized store learns only
// the size to within an eighth. docs/formats.md says more.
func Bucket(n int64) int64 {
	b := int64(MinBucket)
	for b < n && b < fineAbove {
		b <<= 1
	}
	if b >= n {
		return b
	}
	step := int64(1)
	for step<<4 <= n {
		step <<= 1
	}
	return (n + step - 1) / step * step
}

// PartWriter encrypts one part. Write takes plaintext content; Close frames
// the end, pads to [Bucket] and finishes the age stream. Nothing is usable
// until Close returns nil.
type PartWriter struct {
	age    io.WriteCloser
	kind   Kind  // of the first section
	n      int64 // framed plaintext bytes so far
	closed bool
	done   func() error // after the age stream is closed, if not nil
}

// NewPartWriter starts a part that will be readable by any of the identities
// matching recipients. The ciphertext goes to dst.
func NewPartWriter(dst io.Writer, h PartHeader, recipients ...age.Recipient) (*PartWriter, error) {
	hdr, err := encodePartHeader(h)
	if err != nil {
		return nil, err
	}
	a, err := age.Encrypt(dst, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypting part: %w", err)
	}
	w := &PartWriter{age: a, kind: h.Kind}
	if err := w.raw(hdr); err != nil {
		return nil, err
	}
	return w, nil
}

func encodePartHeader(h PartHeader) ([]byte, error) {
	if !h.Kind.valid() {
		return nil, fmt.Errorf("unknown part kind %q", h.Kind)
	}
	if !utf8.ValidString(h.Name) || !utf8.ValidString(h.Type) {
		return nil, errors.New("part name or type is not valid UTF-8")
	}
	j, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	b := append([]byte(partMagic+"\n"), j...)
	b = append(b, '\n')
	if len(b) > maxPartHeader {
		return nil, errors.New("part name or type is too long")
	}
	return b, nil
}

func (w *PartWriter) raw(p []byte) error {
	n, err := w.age.Write(p)
	w.n += int64(n)
	return err
}

// endFrame ends a section's content.
var endFrame = []byte{0, 0, 0, 0}

// Section ends the content written so far and starts another section of
// the same part, with its own header. One part can so carry several small
// things that belong together (her account, her answers, her consent, her
// reply key): one age file to encrypt, store and decrypt instead of four,
// one padded size instead of four telling ones, and one touch of a
// reviewer's hardware key. An attachment is always a part of its own, so
// that a reader can take one without reading through it.
func (w *PartWriter) Section(h PartHeader) error {
	if w.closed {
		return errors.New("section in a closed part")
	}
	if w.kind == KindAttachment || h.Kind == KindAttachment {
		return errors.New("an attachment is a part of its own")
	}
	hdr, err := encodePartHeader(h)
	if err != nil {
		return err
	}
	if err := w.raw(endFrame); err != nil {
		return err
	}
	return w.raw(hdr)
}

// Write encrypts p as content of the part's current section.
func (w *PartWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("write to closed part")
	}
	written := 0
	for len(p) > 0 {
		f := p[:min(len(p), maxFrame)]
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(f)))
		if err := w.raw(l[:]); err != nil {
			return written, err
		}
		if err := w.raw(f); err != nil {
			return written, err
		}
		written += len(f)
		p = p[len(f):]
	}
	return written, nil
}

var zeros [32 << 10]byte

// Close ends the content, pads the part and flushes the ciphertext.
func (w *PartWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.raw(endFrame); err != nil {
		return err
	}
	for pad := Bucket(w.n) - w.n; pad > 0; {
		k := min(pad, int64(len(zeros)))
		if err := w.raw(zeros[:k]); err != nil {
			return err
		}
		pad -= k
	}
	if err := w.age.Close(); err != nil {
		return err
	}
	if w.done != nil {
		return w.done()
	}
	return nil
}

// ErrMalformed means data did not decode: it was damaged, truncated, or was
// never of this format. The wrapped message says where.
var ErrMalformed = errors.New("malformed data")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// OpenPart decrypts a part of one section with one of identities and
// returns its header and a reader of its content. The reader checks the end
// frame and the padding when it reaches the end, so a reader that returned
// io.EOF has seen a whole, well-formed part; a part with more sections
// makes it fail (read those with [OpenSections]). If no identity matches,
// the error wraps *age.NoIdentityMatchError.
func OpenPart(src io.Reader, identities ...age.Identity) (PartHeader, io.Reader, error) {
	s, err := OpenSections(src, identities...)
	if err != nil {
		return PartHeader{}, nil, err
	}
	return s.only()
}

func decodePart(plain io.Reader) (PartHeader, io.Reader, error) {
	return decodeSections(plain).only()
}

// only returns the one section of a part that must have no other.
func (s *Sections) only() (PartHeader, io.Reader, error) {
	s.single = true
	return s.Next()
}

// Sections reads a part section by section: see [PartWriter.Section].
type Sections struct {
	br     *bufio.Reader
	n      int64 // framed plaintext bytes consumed
	count  int   // sections begun
	cur    *partReader
	single bool // more than one section is an error
	err    error
}

// OpenSections decrypts a part with one of identities. If no identity
// matches, the error wraps *age.NoIdentityMatchError.
func OpenSections(src io.Reader, identities ...age.Identity) (*Sections, error) {
	plain, err := age.Decrypt(src, identities...)
	if err != nil {
		return nil, fmt.Errorf("decrypting part: %w", err)
	}
	return decodeSections(plain), nil
}

// EachSection decrypts a part with one of identities and calls fn with each
// section in turn; fn need not read a section to its end. It returns fn's
// first error, or an error if the part is not whole and well-formed.
func EachSection(src io.Reader, identities []age.Identity, fn func(PartHeader, io.Reader) error) error {
	s, err := OpenSections(src, identities...)
	if err != nil {
		return err
	}
	for {
		h, r, err := s.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(h, r); err != nil {
			return err
		}
	}
}

func decodeSections(plain io.Reader) *Sections {
	return &Sections{br: bufio.NewReaderSize(plain, maxPartHeader)}
}

// Next returns the header and content of the next section, skipping what
// was left unread of the one before. After the last section it checks the
// padding and returns io.EOF: a part read until then was whole and
// well-formed. An attachment is always alone in its part: a reader that
// got one need not call Next again.
func (s *Sections) Next() (PartHeader, io.Reader, error) {
	if s.err != nil {
		return PartHeader{}, nil, s.err
	}
	if s.cur != nil {
		if _, err := io.Copy(io.Discard, s.cur); err != nil {
			s.err = err
			return PartHeader{}, nil, err
		}
		if !s.cur.more {
			s.err = io.EOF
			return PartHeader{}, nil, io.EOF
		}
	}
	h, err := s.header()
	if err == nil && s.count > 0 && h.Kind == KindAttachment {
		err = malformed("an attachment shares its part")
	}
	if err != nil {
		s.err = err
		return PartHeader{}, nil, err
	}
	s.count++
	s.cur = &partReader{s: s, kind: h.Kind}
	return h, s.cur, nil
}

func (s *Sections) header() (PartHeader, error) {
	magic, err := readLine(s.br, len(partMagic)+1)
	if err != nil || magic != partMagic {
		return PartHeader{}, malformed("not a %s part", partMagic)
	}
	line, err := readLine(s.br, maxPartHeader)
	if err != nil {
		return PartHeader{}, malformed("part header: %v", err)
	}
	var h PartHeader
	dec := json.NewDecoder(bytes.NewReader([]byte(line)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || !h.Kind.valid() {
		return PartHeader{}, malformed("part header is not valid")
	}
	// One header, one encoding: JSON would also take other cases in the
	// keys, other spacing or escapes, and text after the object.
	if enc, err := encodePartHeader(h); err != nil || string(enc) != magic+"\n"+line+"\n" {
		return PartHeader{}, malformed("part header is not in its canonical form")
	}
	s.n += int64(len(magic) + len(line) + 2)
	return h, nil
}

// readLine reads a line of at most max bytes, without its newline.
func readLine(br *bufio.Reader, max int) (string, error) {
	var b []byte
	for {
		frag, err := br.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > max+1 {
			return "", errors.New("line too long")
		}
		if err == nil {
			return string(b[:len(b)-1]), nil
		}
		if err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
}

// partReader reads one section's content.
type partReader struct {
	s      *Sections
	kind   Kind
	remain int  // bytes left in the current frame
	done   bool // the end frame was read
	more   bool // another section follows
	err    error
}

func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	s := p.s
	for p.remain == 0 {
		if p.done {
			return 0, io.EOF
		}
		var l [4]byte
		if _, err := io.ReadFull(s.br, l[:]); err != nil {
			p.err = malformed("part ends before its last frame")
			return 0, p.err
		}
		s.n += 4
		size := binary.BigEndian.Uint32(l[:])
		if size > maxFrame {
			p.err = malformed("frame of %d bytes is over the limit", size)
			return 0, p.err
		}
		if size == 0 {
			p.done = true
			p.err = p.end()
			if p.err == nil {
				p.err = io.EOF
			}
			return 0, p.err
		}
		p.remain = int(size)
	}
	if len(b) > p.remain {
		b = b[:p.remain]
	}
	n, err := s.br.Read(b)
	p.remain -= n
	s.n += int64(n)
	if err == io.EOF {
		p.err = malformed("part ends inside a frame")
		return n, p.err
	}
	return n, err
}

// end looks past a section's end frame: another section's magic, or the
// padding that ends the part.
func (p *partReader) end() error {
	if next, _ := p.s.br.Peek(1); len(next) == 1 && next[0] == partMagic[0] {
		if p.s.single {
			return malformed("part holds more than one section")
		}
		if p.kind == KindAttachment {
			return malformed("an attachment shares its part")
		}
		p.more = true
		return nil
	}
	return p.s.checkPadding()
}

// checkPadding reads the rest of the part: zeros up to the bucket size, then
// the end of the age stream. Anything else means a different encoder or a
// bug, and we refuse it rather than guess.
func (s *Sections) checkPadding() error {
	end := s.n
	var buf [32 << 10]byte
	for {
		n, err := s.br.Read(buf[:])
		for _, c := range buf[:n] {
			if c != 0 {
				return malformed("padding is not zero")
			}
		}
		s.n += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if s.n != Bucket(end) {
		return malformed("padded size %d is not the bucket for %d bytes", s.n, end)
	}
	return nil
}
