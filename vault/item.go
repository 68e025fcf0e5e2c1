package vault

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
)

// An ID names a submission. It is random, so it says nothing of when or in
// what order submissions came.
type ID string

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

const idBytes = 10 // 80 bits: no collision in any realistic store

// NewID returns a fresh random ID.
func NewID() ID {
	b := make([]byte, idBytes)
	rand.Read(b)
	return ID(idEncoding.EncodeToString(b))
}

// ParseID checks that s is an ID.
func ParseID(s string) (ID, error) {
	b, err := idEncoding.DecodeString(s)
	if err != nil || len(b) != idBytes || idEncoding.EncodeToString(b) != s {
		return "", malformed("an ID is 16 letters a-z and digits 2-7")
	}
	return ID(s), nil
}

func (id ID) key() []byte {
	b, _ := idEncoding.DecodeString(string(id))
	return b
}

// PartInfo is what the server knows of a part: its padded ciphertext size
// and the SHA-256 of the ciphertext.
type PartInfo struct {
	Size int64
	Hash Hash
}

// Item is the server-visible record of one commit to a submission: the
// submission itself (N = 0) or something she added on a return visit (N > 0).
// It holds nothing but a random ID, a day and sizes and hashes.
type Item struct {
	ID    ID
	N     uint16
	Day   string
	Parts []PartInfo
}

const (
	itemMagic = "testimony-item/v1"
	// MaxParts bounds the parts of one item, so a record stays small.
	MaxParts = 1000
	// MaxItemRecord bounds an encoded item record.
	MaxItemRecord = len(itemMagic) + 64 + 20 + MaxParts*(1+4+1+20+1+64+1)
)

// Marshal returns the item's record: the bytes its hash is taken over.
func (it Item) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nitem %s %d\nday %s\n", itemMagic, it.ID, it.N, it.Day)
	for _, p := range it.Parts {
		fmt.Fprintf(&b, "part %d %s\n", p.Size, p.Hash)
	}
	return b.Bytes()
}

// Hash returns the SHA-256 of the item's record. Custody entries name items
// by this hash, so it commits to every ciphertext of the item.
func (it Item) Hash() Hash { return sha256.Sum256(it.Marshal()) }

// ParseItem decodes a record made by [Item.Marshal], accepting only that
// exact encoding.
func ParseItem(rec []byte) (Item, error) {
	var it Item
	if len(rec) > MaxItemRecord {
		return it, malformed("item record is too long")
	}
	sc := bufio.NewScanner(bytes.NewReader(rec))
	sc.Buffer(nil, 256)
	line := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		return sc.Text(), true
	}
	if l, _ := line(); l != itemMagic {
		if strings.HasPrefix(l, "testimony-item/") {
			return it, malformed("item record version %q is not supported", truncate(l))
		}
		return it, malformed("not a %s record", itemMagic)
	}
	l, _ := line()
	f := strings.Split(l, " ")
	if len(f) != 3 || f[0] != "item" {
		return it, malformed("item record has no item line")
	}
	id, err := ParseID(f[1])
	if err != nil {
		return it, err
	}
	n, err := strconv.ParseUint(f[2], 10, 16)
	if err != nil || strconv.FormatUint(n, 10) != f[2] {
		return it, malformed("item record has a bad number")
	}
	it.ID, it.N = id, uint16(n)
	l, _ = line()
	day, ok := strings.CutPrefix(l, "day ")
	if !ok || !validDay(day) {
		return it, malformed("item record has a bad day")
	}
	it.Day = day
	for {
		l, ok := line()
		if !ok {
			break
		}
		f := strings.Split(l, " ")
		if len(f) != 3 || f[0] != "part" {
			return it, malformed("item record has a bad part line")
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size <= 0 || strconv.FormatInt(size, 10) != f[1] {
			return it, malformed("item record has a bad part size")
		}
		h, err := ParseHash(f[2])
		if err != nil {
			return it, err
		}
		if len(it.Parts) == MaxParts {
			return it, malformed("item record has more than %d parts", MaxParts)
		}
		it.Parts = append(it.Parts, PartInfo{size, h})
	}
	if sc.Err() != nil {
		return it, malformed("item record has an overlong line")
	}
	if len(it.Parts) == 0 {
		return it, malformed("item record has no parts")
	}
	if !bytes.Equal(it.Marshal(), rec) {
		return it, malformed("item record is not in canonical form")
	}
	return it, nil
}
