package scrub

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
)

const (
	// MaxImageBytes bounds the file read: phone photos are a few MB.
	MaxImageBytes = 64 << 20
	// MaxImagePixels bounds decoding: a small file can declare a huge
	// image (a decompression bomb), and cleaning holds 4 bytes a pixel.
	MaxImagePixels = 40_000_000
	// defaultJPEGQuality keeps photos legible; what matters is that the
	// output is re-encoded, not its size.
	defaultJPEGQuality = 90
)

// CleanOptions configures [CleanImage]. The zero value refuses what it
// cannot clean.
type CleanOptions struct {
	// AllowUncleanable passes a file that cannot be cleaned through
	// unchanged instead of refusing it. Only for an explicit editor
	// override, which the caller records in custody.
	AllowUncleanable bool
	// JPEGQuality is the quality of re-encoded JPEGs, 1-100; zero means
	// 90.
	JPEGQuality int
}

// Cleaned is the result of [CleanImage].
type Cleaned struct {
	Data      []byte
	MediaType string // "image/jpeg" or "image/png", or the sniffed kind of a file passed through
	// Cleaned is false only for a file passed through by
	// AllowUncleanable.
	Cleaned bool
}

// Kind returns what a file is by its first bytes, never its name:
// "jpeg", "png", "heic", "pdf", "office", "gif", "webp", "tiff" or
// "unknown".
func Kind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif":
			return "heic"
		}
		return "unknown"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "pdf"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "office"
	case bytes.HasPrefix(head, []byte("GIF8")):
		return "gif"
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "webp"
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "tiff"
	}
	return "unknown"
}

// CleanImage reads an attachment and returns it without metadata: a JPEG
// or PNG decoded, turned upright by its EXIF orientation, and encoded
// again in the same format. Anything else is refused with
// [ErrCannotClean], or passed through unchanged when
// opts.AllowUncleanable is set.
func CleanImage(r io.Reader, opts *CleanOptions) (*Cleaned, error) {
	if opts == nil {
		opts = &CleanOptions{}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImageBytes {
		return nil, ErrImageTooLarge
	}
	kind := Kind(data)
	if kind != "jpeg" && kind != "png" {
		if opts.AllowUncleanable {
			return &Cleaned{Data: data, MediaType: kind, Cleaned: false}, nil
		}
		return nil, fmt.Errorf("%w (%s)", ErrCannotClean, kind)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("damaged %s image: %w", kind, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, ErrImageTooLarge
	}
	orient := 1
	if exif := findEXIF(kind, data); exif != nil {
		orient = exifOrientation(exif)
	}
	var img image.Image
	if kind == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("damaged %s image: %w", kind, err)
	}
	img = orientImage(img, orient)
	var out bytes.Buffer
	if kind == "jpeg" {
		q := opts.JPEGQuality
		if q <= 0 || q > 100 {
			q = defaultJPEGQuality
		}
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: q})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&out, img)
	}
	if err != nil {
		return nil, err
	}
	return &Cleaned{Data: out.Bytes(), MediaType: "image/" + kind, Cleaned: true}, nil
}

// findEXIF returns the TIFF-structured EXIF block of a JPEG (APP1
// "Exif\0\0") or PNG (eXIf chunk), or nil.
func findEXIF(kind string, data []byte) []byte {
	if kind == "png" {
		for p := 8; p+12 <= len(data); {
			n := int(binary.BigEndian.Uint32(data[p:]))
			typ := string(data[p+4 : p+8])
			if n < 0 || p+12+n > len(data) {
				return nil
			}
			if typ == "eXIf" {
				return data[p+8 : p+8+n]
			}
			if typ == "IDAT" || typ == "IEND" {
				return nil
			}
			p += 12 + n
		}
		return nil
	}
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xFF {
			return nil
		}
		marker := data[p+1]
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 || marker == 0xFF {
			p++
			continue
		}
		if marker == 0xDA || marker == 0xD9 {
			return nil // start of scan: no metadata after this
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return nil
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		p += 2 + n
	}
	return nil
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF block; 1 if absent
// or malformed.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orientImage turns img by an EXIF orientation (1-8) so that it displays
// upright without the tag.
func orientImage(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	src := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			si := src.PixOffset(sx, sy)
			copy(dst.Pix[dst.PixOffset(x, y):], src.Pix[si:si+4])
		}
	}
	return dst
}
