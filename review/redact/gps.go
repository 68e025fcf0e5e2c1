package redact

import (
	"regexp"
	"strconv"
	"strings"
)

// NFKC writes the double prime ″ as two primes ′′, so both are accepted.
//
// GPS coordinates: decimal pairs ("42.4531, 129.9981"), degrees, minutes
// and seconds ("42°27′11″N 129°59′53″E"), and the forms with words in
// front (북위 42.45 동경 129.99, 北纬42度27分 东经129度59分). Single
// coordinates are found one by one, then paired when they stand next to
// each other; a labelled coordinate alone is still suggested, at a lower
// score, since half a position narrows a place too.

var coordRe = regexp.MustCompile(
	`(북위|남위|동경|서경|北纬|北緯|南纬|南緯|东经|東經|西经|西經|lat(?:itude)?|lon(?:gitude)?|lng|[nsew])?\s?` +
		`(?:` +
		// degrees, minutes, seconds
		`([-+]?\d{1,3})\s?(?:°|도|度|º)\s?(?:(\d{1,2}(?:\.\d+)?)\s?(?:'|′|’|분|分)\s?(?:(\d{1,2}(?:\.\d+)?)\s?(?:"|″|”|''|′′|초|秒))?)?` +
		`|` +
		// decimal degrees
		`([-+]?\d{1,3}\.\d{3,})\s?°?` +
		`)` +
		`\s?([nsew](?:[^a-z0-9]|$))?`)

type coord struct {
	s, e    int
	value   float64
	axis    byte // 'n' latitude, 'e' longitude, 0 unknown
	label   bool // had a word or hemisphere letter
	decimal bool
	places  int // decimal places, for decimal degrees
}

func (s *scan) gps() {
	low := s.t.lower
	if !strings.ContainsAny(low, ".°度도º") {
		return
	}
	var cs []coord
	for _, m := range findInWindows(coordRe, low, coordTriggers(low), 24, 64) {
		c := coord{s: m[0], e: m[1]}
		get := func(k int) string {
			if m[2*k] < 0 {
				return ""
			}
			return low[m[2*k]:m[2*k+1]]
		}
		label, deg, mins, secs, dec, hemi := get(1), get(2), get(3), get(4), get(5), strings.TrimSpace(get(6))
		if len(label) == 1 && m[2] > 0 && isASCIIAlnum(low[m[2]-1]) {
			// The last letter of a word, not a hemisphere.
			label = ""
			c.s = m[4]
			if c.s < 0 {
				c.s = m[10]
			}
		}
		if hemi != "" {
			hemi = hemi[:1]
			// The hemisphere group may have taken one byte after the
			// letter; give it back.
			c.e = m[12] + 1
		}
		for c.s < c.e && low[c.s] == ' ' {
			c.s++
		}
		// Guards: a coordinate is not part of a longer number.
		if c.s > 0 && (isDigit(low[c.s-1]) || low[c.s-1] == '.') {
			continue
		}
		switch {
		case dec != "":
			v, err := strconv.ParseFloat(dec, 64)
			if err != nil {
				continue
			}
			c.value, c.decimal = v, true
			c.places = len(dec) - strings.IndexByte(dec, '.') - 1
		case deg != "":
			v, _ := strconv.ParseFloat(deg, 64)
			if mins != "" {
				mv, _ := strconv.ParseFloat(mins, 64)
				if mv >= 60 {
					continue
				}
				v += mv / 60
			}
			if secs != "" {
				sv, _ := strconv.ParseFloat(secs, 64)
				if sv >= 60 {
					continue
				}
				v += sv / 3600
			}
			c.value = v
			if mins == "" && label == "" && hemi == "" {
				// "30도" alone is a temperature or an angle.
				continue
			}
		default:
			continue
		}
		if label != "" || hemi != "" {
			c.label = true
			c.axis = axisOf(label + hemi)
		}
		if label == "" && hemi == "" && c.decimal && c.places < 4 {
			continue
		}
		cs = append(cs, c)
	}
	used := make([]bool, len(cs))
	for i := 0; i+1 < len(cs); i++ {
		a, b := cs[i], cs[i+1]
		gap := low[a.e:b.s]
		if len(strings.Trim(gap, " ,，、/;")) != 0 || len(gap) > 6 {
			continue
		}
		if !pairOK(a, b) {
			continue
		}
		score, v := 0.95, Valid
		if !a.label && !b.label && !(a.decimal && b.decimal) {
			score = 0.7
		}
		s.add(cand{Candidate: Candidate{Type: TypeGPS, Start: a.s, End: b.e, Score: score, Validation: v,
			Explanation: "a latitude/longitude pair within range"}})
		used[i], used[i+1] = true, true
		i++
	}
	for i, c := range cs {
		if used[i] || !c.label {
			continue
		}
		limit := 180.0
		if c.axis == 'n' {
			limit = 90
		}
		if c.value < -limit || c.value > limit {
			continue
		}
		s.add(cand{Candidate: Candidate{Type: TypeGPS, Start: c.s, End: c.e, Score: 0.6, Validation: Unknown,
			Explanation: "a single labelled coordinate (half a position still narrows a place)"}})
	}
}

// pairOK reports whether two coordinates make a latitude and longitude,
// in either order when unlabelled.
func pairOK(a, b coord) bool {
	in := func(lat, lon coord) bool {
		return lat.value >= -90 && lat.value <= 90 && lon.value >= -180 && lon.value <= 180 &&
			lat.axis != 'e' && lon.axis != 'n'
	}
	return in(a, b) || (a.axis == 0 && b.axis == 0 && in(b, a))
}

// axisOf says whether a label or hemisphere letter marks a latitude ('n')
// or a longitude ('e').
func axisOf(label string) byte {
	for _, p := range []string{"북위", "남위", "北纬", "北緯", "南纬", "南緯", "lat", "n", "s"} {
		if strings.HasPrefix(label, p) {
			return 'n'
		}
	}
	return 'e'
}

// coordTriggers returns where a coordinate can start: a digit before a
// decimal point and three digits, or before a degree sign (°, 도, 度).
func coordTriggers(low string) []int {
	var out []int
	for i := 0; i+1 < len(low); i++ {
		if !isDigit(low[i]) {
			continue
		}
		rest := low[i+1:]
		if rest[0] == ' ' {
			rest = rest[1:]
		}
		switch {
		case len(rest) >= 4 && rest[0] == '.' && isDigit(rest[1]) && isDigit(rest[2]) && isDigit(rest[3]),
			strings.HasPrefix(rest, "°"), strings.HasPrefix(rest, "도"), strings.HasPrefix(rest, "度"), strings.HasPrefix(rest, "º"):
			out = append(out, i)
		}
	}
	return out
}
