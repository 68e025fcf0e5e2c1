package scrub

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
)

// The test images carry canary strings in every metadata block; none may
// survive cleaning.
const (
	canaryEXIF = "CANARY-EXIF-MAKE"
	canaryXMP  = "CANARY-XMP"
	canaryIPTC = "CANARY-IPTC"
	canaryCOM  = "CANARY-COMMENT"
	canaryText = "CANARY-PNG-TEXT"
	canaryITXt = "CANARY-PNG-ITXT"
)

// tiffEXIF builds a little-endian TIFF block with IFD0 holding Make (an
// ASCII canary), Orientation and a pointer to a GPS IFD with latitude and
// longitude.
func tiffEXIF(orientation int) []byte {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, le, uint32(8))
	// IFD0 at 8: 3 entries.
	makeOff := uint32(8 + 2 + 3*12 + 4)
	gpsOff := makeOff + uint32(len(canaryEXIF)+1)
	binary.Write(&b, le, uint16(3))
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&b, le, tag)
		binary.Write(&b, le, typ)
		binary.Write(&b, le, count)
		binary.Write(&b, le, value)
	}
	entry(0x010F, 2, uint32(len(canaryEXIF)+1), makeOff) // Make
	entry(0x0112, 3, 1, uint32(orientation))             // Orientation
	entry(0x8825, 4, 1, gpsOff)                          // GPSInfo
	binary.Write(&b, le, uint32(0))
	b.WriteString(canaryEXIF + "\x00")
	// GPS IFD: latitude ref N, latitude 42/1 27/1 11/1.
	ratOff := gpsOff + 2 + 2*12 + 4
	binary.Write(&b, le, uint16(2))
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x0002, 5, 3, ratOff)
	binary.Write(&b, le, uint32(0))
	for _, v := range []uint32{42, 1, 27, 1, 11, 1} {
		binary.Write(&b, le, v)
	}
	return b.Bytes()
}

func segment(marker byte, payload []byte) []byte {
	out := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
	return append(out, payload...)
}

// twoColours is a w×h image, left half red, right half blue.
func twoColours(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.NRGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func jpegWithMetadata(t *testing.T, orientation int) []byte {
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, twoColours(32, 16), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xD8})
	b.Write(segment(0xE1, append([]byte("Exif\x00\x00"), tiffEXIF(orientation)...)))
	b.Write(segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>"+canaryXMP+"</dc:creator></x:xmpmeta>")))
	// IPTC in a Photoshop image resource block: 8BIM 0x0404.
	iptc := append([]byte{0x1C, 0x02, 0x50, 0x00, byte(len(canaryIPTC))}, canaryIPTC...)
	res := append([]byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00"), 0, 0, 0, byte(len(iptc)))
	b.Write(segment(0xED, append(res, iptc...)))
	b.Write(segment(0xFE, []byte(canaryCOM)))
	b.Write(plain.Bytes()[2:])
	return b.Bytes()
}

func pngChunk(typ string, data []byte) []byte {
	out := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(out, uint32(len(data)))
	copy(out[4:], typ)
	out = append(out, data...)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	return binary.BigEndian.AppendUint32(out, crc)
}

func pngWithMetadata(t *testing.T, orientation int) []byte {
	var plain bytes.Buffer
	if err := png.Encode(&plain, twoColours(32, 16)); err != nil {
		t.Fatal(err)
	}
	p := plain.Bytes()
	// Insert after the signature and IHDR (8 + 25 bytes).
	head, rest := p[:33], p[33:]
	var b bytes.Buffer
	b.Write(head)
	b.Write(pngChunk("eXIf", tiffEXIF(orientation)))
	b.Write(pngChunk("tEXt", []byte("Comment\x00"+canaryText)))
	b.Write(pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>"+canaryITXt+"</x:xmpmeta>")))
	b.Write(pngChunk("zTXt", []byte("Author\x00\x00x\x9c\x03\x00\x00\x00\x00\x01")))
	b.Write(pngChunk("tIME", []byte{0x07, 0xE3, 3, 5, 12, 0, 0}))
	b.Write(rest)
	return b.Bytes()
}

// jpegMarkers lists the segment markers of a JPEG up to the scan.
func jpegMarkers(t *testing.T, data []byte) []byte {
	var ms []byte
	for p := 2; p+4 <= len(data); {
		m := data[p+1]
		ms = append(ms, m)
		if m == 0xDA {
			break
		}
		p += 2 + int(binary.BigEndian.Uint16(data[p+2:]))
	}
	return ms
}

func pngChunks(data []byte) []string {
	var out []string
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		out = append(out, string(data[p+4:p+8]))
		p += 12 + n
	}
	return out
}

func noCanaries(t *testing.T, data []byte) {
	t.Helper()
	for _, c := range []string{canaryEXIF, canaryXMP, canaryIPTC, canaryCOM, canaryText, canaryITXt, "Exif", "xmpmeta", "Photoshop", "8BIM"} {
		if bytes.Contains(data, []byte(c)) {
			t.Errorf("cleaned file still contains %q", c)
		}
	}
}

func TestCleanJPEG(t *testing.T) {
	in := jpegWithMetadata(t, 6)
	for _, c := range []string{canaryEXIF, canaryXMP, canaryIPTC, canaryCOM} {
		if !bytes.Contains(in, []byte(c)) {
			t.Fatalf("test image lacks %q", c)
		}
	}
	if got := exifOrientation(findEXIF("jpeg", in)); got != 6 {
		t.Fatalf("orientation read as %d", got)
	}
	out, err := CleanImage(bytes.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Cleaned || out.MediaType != "image/jpeg" {
		t.Fatalf("got %+v", out)
	}
	noCanaries(t, out.Data)
	for _, m := range jpegMarkers(t, out.Data) {
		// Only tables, frame and scan: no APPn (E0-EF) and no COM (FE).
		if m >= 0xE0 && m <= 0xEF || m == 0xFE {
			t.Errorf("cleaned JPEG has segment FF%02X", m)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(out.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Orientation 6 is a quarter turn clockwise: 32×16 becomes 16×32,
	// and the red left half becomes the top half.
	if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 32 {
		t.Fatalf("size %v, want 16×32", b)
	}
	if r, _, bl, _ := img.At(8, 4).RGBA(); r < 0xC000 || bl > 0x4000 {
		t.Errorf("top is not red: %x %x", r, bl)
	}
	if r, _, bl, _ := img.At(8, 28).RGBA(); bl < 0xC000 || r > 0x4000 {
		t.Errorf("bottom is not blue: %x %x", r, bl)
	}
}

func TestCleanPNG(t *testing.T) {
	in := pngWithMetadata(t, 8)
	if _, err := png.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("test image does not decode: %v", err)
	}
	out, err := CleanImage(bytes.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	noCanaries(t, out.Data)
	for _, c := range pngChunks(out.Data) {
		if !slices.Contains([]string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, c) {
			t.Errorf("cleaned PNG has a %s chunk", c)
		}
	}
	img, err := png.Decode(bytes.NewReader(out.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Orientation 8 is a quarter turn counter-clockwise: the red left
	// half becomes the bottom half.
	if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 32 {
		t.Fatalf("size %v, want 16×32", b)
	}
	if r, _, _, _ := img.At(8, 28).RGBA(); r != 0xFFFF {
		t.Errorf("bottom is not red")
	}
	if _, _, bl, _ := img.At(8, 4).RGBA(); bl != 0xFFFF {
		t.Errorf("top is not blue")
	}
}

func TestOrientations(t *testing.T) {
	// A 3×2 image with distinct pixels; each orientation must put pixel
	// (0,0) of the stored image where EXIF says it displays.
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = byte(i)
	}
	mark := src.NRGBAAt(0, 0)
	want := map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}}
	for o, p := range want {
		img := orientImage(src, o).(*image.NRGBA)
		if o >= 5 && (img.Bounds().Dx() != 2 || img.Bounds().Dy() != 3) {
			t.Errorf("orientation %d: size %v", o, img.Bounds())
		}
		if img.NRGBAAt(p.X, p.Y) != mark {
			t.Errorf("orientation %d: the first pixel is not at %v", o, p)
		}
	}
}

func TestCleanRefuses(t *testing.T) {
	for name, data := range map[string][]byte{
		"heic":   append([]byte{0, 0, 0, 0x18}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...),
		"pdf":    []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"),
		"office": []byte("PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"),
		"doc":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0},
		"gif":    []byte("GIF89a\x01\x00\x01\x00"),
		"text":   []byte("just some text"),
	} {
		if _, err := CleanImage(bytes.NewReader(data), nil); !errors.Is(err, ErrCannotClean) {
			t.Errorf("%s: err = %v, want ErrCannotClean", name, err)
		}
		out, err := CleanImage(bytes.NewReader(data), &CleanOptions{AllowUncleanable: true})
		if err != nil || out.Cleaned || !bytes.Equal(out.Data, data) {
			t.Errorf("%s with override: %v, %+v", name, err, out)
		}
	}
}

func TestCleanBomb(t *testing.T) {
	// A PNG header declaring 100 000 × 100 000 pixels.
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 6
	b.Write(pngChunk("IHDR", ihdr))
	b.Write(pngChunk("IEND", nil))
	if _, err := CleanImage(&b, nil); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("err = %v, want ErrImageTooLarge", err)
	}
	// Damaged data is an error, not a panic.
	bad := jpegWithMetadata(t, 1)[:200]
	if _, err := CleanImage(bytes.NewReader(bad), nil); err == nil {
		t.Errorf("a truncated JPEG was cleaned")
	}
}

// FuzzEXIF checks that reading metadata from any bytes never panics and
// gives a valid orientation.
func FuzzEXIF(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8})
	f.Add(tiffEXIF(6))
	f.Add(append([]byte{0xFF, 0xD8}, segment(0xE1, append([]byte("Exif\x00\x00"), tiffEXIF(3)...))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{"jpeg", "png"} {
			if o := exifOrientation(findEXIF(kind, data)); o < 1 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
		}
		if o := exifOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}
