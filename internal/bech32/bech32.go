// Package bech32 encodes and decodes BIP-173 Bech32, the encoding of age
// keys. age keeps its own coder internal; we need it to turn a key derived
// from her receipt into an age identity, and to read an identity's scalar
// back. Tests check it against age's own parser and encoder.
package bech32

import (
	"errors"
	"strings"
)

const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// Encode encodes data with the human-readable part hrp, in lowercase.
func Encode(hrp string, data []byte) string {
	var values []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			values = append(values, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		values = append(values, byte(acc<<(5-bits)&31))
	}
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(charset[v])
	}
	for _, v := range checksum(hrp, values) {
		b.WriteByte(charset[v])
	}
	return b.String()
}

// Decode decodes s, in all lowercase or all uppercase, and returns its
// human-readable part in lowercase and its data. It refuses a wrong
// checksum and padding bits that are not zero.
func Decode(s string) (hrp string, data []byte, err error) {
	// Only ASCII is ever valid: folding Unicode case would let the Kelvin
	// sign stand for k.
	for i := range len(s) {
		if s[i] < 33 || s[i] > 126 {
			return "", nil, errors.New("bech32: invalid character")
		}
	}
	lower, upper := asciiCase(s, 'A', 'Z', 'a'-'A'), asciiCase(s, 'a', 'z', 'A'-'a')
	if s != lower && s != upper {
		return "", nil, errors.New("bech32: mixed case")
	}
	s = lower
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || sep+7 > len(s) {
		return "", nil, errors.New("bech32: no separator, or too short")
	}
	hrp = s[:sep]
	values := make([]byte, 0, len(s)-sep-1)
	for i := sep + 1; i < len(s); i++ {
		v := strings.IndexByte(charset, s[i])
		if v < 0 {
			return "", nil, errors.New("bech32: invalid character")
		}
		values = append(values, byte(v))
	}
	payload, sum := values[:len(values)-6], values[len(values)-6:]
	if string(checksum(hrp, payload)) != string(sum) {
		return "", nil, errors.New("bech32: wrong checksum")
	}
	acc, bits := 0, 0
	for _, v := range payload {
		acc = acc<<5 | int(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			data = append(data, byte(acc>>bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 {
		return "", nil, errors.New("bech32: invalid padding")
	}
	return hrp, data, nil
}

// asciiCase shifts the ASCII letters from..to of s by delta.
func asciiCase(s string, from, to byte, delta int) string {
	b := []byte(s)
	for i, c := range b {
		if c >= from && c <= to {
			b[i] = byte(int(c) + delta)
		}
	}
	return string(b)
}

func checksum(hrp string, values []byte) []byte {
	var in []byte
	for i := range len(hrp) {
		in = append(in, hrp[i]>>5)
	}
	in = append(in, 0)
	for i := range len(hrp) {
		in = append(in, hrp[i]&31)
	}
	in = append(in, values...)
	in = append(in, 0, 0, 0, 0, 0, 0)
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range in {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if top>>i&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	chk ^= 1
	out := make([]byte, 6)
	for i := range 6 {
		out[i] = byte(chk >> (5 * (5 - i)) & 31)
	}
	return out
}
