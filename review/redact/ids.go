package redact

// Validators for the national identity numbers in DOMAIN.md's table. They
// take the digits alone (no separators) and are pure functions, so the
// evaluation can test them on generated valid and invalid numbers.

// prcWeights are the GB 11643-1999 weights for the first 17 digits.
var prcWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// prcCheck is the check character for S mod 11.
const prcCheck = "10X98765432"

// prcProvinces are the first two digits of PRC area codes in use (GB/T
// 2260): a number starting otherwise is not a resident ID.
var prcProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true, "91": true,
}

// prcIDCheckChar returns the check character for the first 17 digits.
func prcIDCheckChar(d17 string) byte {
	s := 0
	for i := range 17 {
		s += int(d17[i]-'0') * prcWeights[i]
	}
	return prcCheck[s%11]
}

// checkPRCID checks an 18-character PRC resident ID: a known province, a
// real birth date from 1900 on, and the check character. ok is false
// when the number does not have the shape at all (wrong length, unknown
// province, impossible date); otherwise v is Valid or Invalid by the
// checksum.
func checkPRCID(id string) (v Validation, ok bool) {
	if len(id) != 18 || !allDigits(id[:17]) {
		return Unknown, false
	}
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	if !(last >= '0' && last <= '9' || last == 'X') {
		return Unknown, false
	}
	if !prcProvinces[id[:2]] || !validDate(atoi(id[6:10]), atoi(id[10:12]), atoi(id[12:14]), 1900, 2100) {
		return Unknown, false
	}
	if prcIDCheckChar(id[:17]) == last {
		return Valid, true
	}
	return Invalid, true
}

// checkPRCOldID checks a 15-digit first-generation PRC ID: a known
// province and a real birth date in 19YY. It has no check digit, so a
// number of the right shape is Unknown.
func checkPRCOldID(id string) (v Validation, ok bool) {
	if len(id) != 15 || !allDigits(id) || !prcProvinces[id[:2]] {
		return Unknown, false
	}
	if !validDate(1900+atoi(id[6:8]), atoi(id[8:10]), atoi(id[10:12]), 1900, 1999) {
		return Unknown, false
	}
	return Unknown, true
}

// rrnWeights are the ROK resident registration number weights.
var rrnWeights = [12]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}

// rrnCheckDigit returns the check digit the pre-October-2020 scheme gives
// the first 12 digits.
func rrnCheckDigit(d12 string) byte {
	s := 0
	for i := range 12 {
		s += int(d12[i]-'0') * rrnWeights[i]
	}
	return byte('0' + (11-s%11)%10)
}

// checkRRN checks a 13-digit ROK resident registration number: YYMMDD a
// real date in the century the seventh digit gives, then the checksum.
// Numbers issued since October 2020 have random last digits, so a failed
// checksum is Unknown, not Invalid: the date shape alone makes it a
// candidate.
func checkRRN(id string) (v Validation, ok bool) {
	if len(id) != 13 || !allDigits(id) {
		return Unknown, false
	}
	var century int
	switch id[6] {
	case '1', '2', '5', '6':
		century = 1900
	case '3', '4', '7', '8':
		century = 2000
	case '9', '0':
		century = 1800
	}
	if !validDate(century+atoi(id[0:2]), atoi(id[2:4]), atoi(id[4:6]), 1800, 2100) {
		return Unknown, false
	}
	if rrnCheckDigit(id[:12]) == id[12] {
		return Valid, true
	}
	return Unknown, true
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a short run of ASCII digits; the callers have checked them.
func atoi(s string) int {
	n := 0
	for i := range len(s) {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// validDate reports whether y-m-d is a real calendar date within
// [minYear, maxYear].
func validDate(y, m, d, minYear, maxYear int) bool {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
