package intake

import "strings"

// bech32Encode encodes data in BIP-173 Bech32 (the encoding age keys use),
// in lowercase. age keeps its own encoder internal, and we need it for one
// thing: turning the reply key derived from her receipt into an age
// identity. TestBech32AgainstAge checks it against age's parser.
func bech32Encode(hrp string, data []byte) string {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
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
	for _, v := range bech32Checksum(hrp, values) {
		b.WriteByte(charset[v])
	}
	return b.String()
}

func bech32Checksum(hrp string, values []byte) []byte {
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
