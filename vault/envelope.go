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
)

func (k Kind) valid() bool {
	switch k {
	case KindText, KindAnswers, KindConsent, KindAttachment, KindReplyKey, KindWithdrawal, KindReply:
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

	// MinBucket is the smallest padded part. Every answers, consent or
	// reply-key part and most short accounts fit in it, so those look alike
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
	n      int64 // framed plaintext bytes so far
	closed bool
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
		return nil, fmt.Errorf("vault: encrypting part: %w", err)
	}
	w := &PartWriter{age: a}
	if err := w.raw(hdr); err != nil {
		return nil, err
	}
	return w, nil
}

func encodePartHeader(h PartHeader) ([]byte, error) {
	if !h.Kind.valid() {
		return nil, fmt.Errorf("vault: unknown part kind %q", h.Kind)
	}
	if !utf8.ValidString(h.Name) || !utf8.ValidString(h.Type) {
		return nil, errors.New("vault: part name or type is not valid UTF-8")
	}
	j, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	b := append([]byte(partMagic+"\n"), j...)
	b = append(b, '\n')
	if len(b) > maxPartHeader {
		return nil, errors.New("vault: part name or type is too long")
	}
	return b, nil
}

func (w *PartWriter) raw(p []byte) error {
	n, err := w.age.Write(p)
	w.n += int64(n)
	return err
}

// Write encrypts p as content of the part.
func (w *PartWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("vault: write to closed part")
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
	if err := w.raw([]byte{0, 0, 0, 0}); err != nil {
		return err
	}
	for pad := Bucket(w.n) - w.n; pad > 0; {
		k := min(pad, int64(len(zeros)))
		if err := w.raw(zeros[:k]); err != nil {
			return err
		}
		pad -= k
	}
	return w.age.Close()
}

// ErrMalformed means data did not decode: it was damaged, truncated, or was
// never of this format. The wrapped message says where.
var ErrMalformed = errors.New("vault: malformed data")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// OpenPart decrypts a part with one of identities and returns its header and
// a reader of its content. The reader checks the end frame and the padding
// when it reaches the end, so a reader that returned io.EOF has seen a whole,
// well-formed part. If no identity matches, the error wraps
// *age.NoIdentityMatchError.
func OpenPart(src io.Reader, identities ...age.Identity) (PartHeader, io.Reader, error) {
	plain, err := age.Decrypt(src, identities...)
	if err != nil {
		return PartHeader{}, nil, fmt.Errorf("vault: decrypting part: %w", err)
	}
	return decodePart(plain)
}

func decodePart(plain io.Reader) (PartHeader, io.Reader, error) {
	br := bufio.NewReaderSize(plain, maxPartHeader)
	magic, err := readLine(br, len(partMagic)+1)
	if err != nil || magic != partMagic {
		return PartHeader{}, nil, malformed("not a %s part", partMagic)
	}
	line, err := readLine(br, maxPartHeader)
	if err != nil {
		return PartHeader{}, nil, malformed("part header: %v", err)
	}
	var h PartHeader
	dec := json.NewDecoder(bytes.NewReader([]byte(line)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || !h.Kind.valid() {
		return PartHeader{}, nil, malformed("part header is not valid")
	}
	return h, &partReader{r: br, n: int64(len(magic) + len(line) + 2)}, nil
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

type partReader struct {
	r      *bufio.Reader
	n      int64 // framed plaintext bytes consumed
	remain int   // bytes left in the current frame
	done   bool
	err    error
}

func (p *partReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	for p.remain == 0 {
		if p.done {
			return 0, io.EOF
		}
		var l [4]byte
		if _, err := io.ReadFull(p.r, l[:]); err != nil {
			p.err = malformed("part ends before its last frame")
			return 0, p.err
		}
		p.n += 4
		size := binary.BigEndian.Uint32(l[:])
		if size > maxFrame {
			p.err = malformed("frame of %d bytes is over the limit", size)
			return 0, p.err
		}
		if size == 0 {
			p.done = true
			if p.err = p.checkPadding(); p.err != nil {
				return 0, p.err
			}
			return 0, io.EOF
		}
		p.remain = int(size)
	}
	if len(b) > p.remain {
		b = b[:p.remain]
	}
	n, err := p.r.Read(b)
	p.remain -= n
	p.n += int64(n)
	if err == io.EOF {
		p.err = malformed("part ends inside a frame")
		return n, p.err
	}
	return n, err
}

// checkPadding reads the rest of the part: zeros up to the bucket size, then
// the end of the age stream. Anything else means a different encoder or a
// bug, and we refuse it rather than guess.
func (p *partReader) checkPadding() error {
	end := p.n
	var buf [32 << 10]byte
	for {
		n, err := p.r.Read(buf[:])
		for _, c := range buf[:n] {
			if c != 0 {
				return malformed("padding is not zero")
			}
		}
		p.n += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if p.n != Bucket(end) {
		return malformed("padded size %d is not the bucket for %d bytes", p.n, end)
	}
	return nil
}
