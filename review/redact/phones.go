package redact

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Telephone numbers are checked against libphonenumber's number plans
// (github.com/nyaruka/phonenumbers, a Go port kept in step with Google's
// metadata). Our own regular expressions would date as carriers add
// prefixes; the library knows which PRC, ROK and DPRK ranges are real,
// including DPRK mobiles (191, 192, 193, 195 after +850). Its matcher is
// not used: candidates come from the digit chains, and the library only
// says whether a run of digits is a number.

// phoneReading is what readPhone found.
type phoneReading struct {
	what  string // for the explanation
	v     Validation
	score float64
}

var regionNames = map[string]string{"CN": "PRC", "KR": "ROK", "KP": "DPRK", "HK": "Hong Kong", "MO": "Macao", "TW": "Taiwan", "RU": "Russian", "MN": "Mongolian", "TH": "Thai", "LA": "Lao", "VN": "Vietnamese", "JP": "Japanese", "US": "US"}

func regionName(code string) string {
	if n, ok := regionNames[code]; ok {
		return n
	}
	return code
}

// validNumber parses s in region (or as international if region is "ZZ")
// and reports its region and whether the plan holds it valid.
func validNumber(s, region string) (code string, valid, possible bool) {
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", false, false
	}
	return phonenumbers.GetRegionCodeForNumber(n), phonenumbers.IsValidNumber(n), phonenumbers.IsPossibleNumber(n)
}

func kindOf(s, region string) string {
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "telephone"
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE:
		return "mobile"
	case phonenumbers.FIXED_LINE:
		return "landline"
	}
	return "telephone"
}

// readPhone reads d (digits only) as a telephone number: international
// with + or 00, or national in the PRC, ROK or DPRK by their shapes.
func readPhone(d string, plus bool) (phoneReading, bool) {
	intl := ""
	switch {
	case plus:
		intl = d
	case strings.HasPrefix(d, "00") && len(d) > 9:
		intl = d[2:]
	}
	if intl != "" {
		if len(intl) < 7 || len(intl) > 15 {
			// E.164 numbers have at most 15 digits; the shortest real
			// ones with country code have 7 or more.
			return phoneReading{}, false
		}
		code, valid, possible := validNumber("+"+intl, "ZZ")
		switch {
		case valid:
			return phoneReading{regionName(code) + " " + kindOf("+"+intl, "ZZ") + " number in international form, valid in the number plan", Valid, 0.95}, true
		case possible && len(intl) >= 8:
			return phoneReading{"international telephone number, not valid in the number plan", Invalid, 0.6}, true
		}
		return phoneReading{}, false
	}
	type shape struct {
		region, what string
		ok           bool
	}
	for _, sh := range []shape{
		{"CN", "PRC mobile", len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'},
		{"KR", "ROK mobile", (len(d) == 10 || len(d) == 11) && strings.HasPrefix(d, "01") && strings.ContainsRune("016789", rune(d[2]))},
		{"KP", "DPRK mobile", len(d) == 10 && isDPRKMobile(d) || len(d) == 11 && d[0] == '0' && isDPRKMobile(d[1:])},
	} {
		if !sh.ok {
			continue
		}
		if _, valid, _ := validNumber(d, sh.region); valid {
			return phoneReading{sh.what + " number, valid in the number plan", Valid, 0.9}, true
		}
		return phoneReading{sh.what + " number shape, not in the number plan (a new range, or a typo)", Invalid, 0.6}, true
	}
	// Landlines with a trunk 0: PRC 0xx(x)-xxxxxxx(x), ROK 0x(x)-xxx(x)-xxxx.
	if d[0] == '0' && len(d) >= 9 && len(d) <= 12 {
		for _, region := range []string{"CN", "KR", "KP"} {
			if _, valid, _ := validNumber(d, region); valid {
				return phoneReading{regionName(region) + " " + kindOf(d, region) + " number, valid in the number plan", Valid, 0.8}, true
			}
		}
	}
	// An international number written without its +.
	for _, cc := range []string{"86", "82", "850"} {
		if strings.HasPrefix(d, cc) && len(d) >= 10 {
			if code, valid, _ := validNumber("+"+d, "ZZ"); valid {
				return phoneReading{regionName(code) + " number written without its +, valid in the number plan", Valid, 0.7}, true
			}
		}
	}
	return phoneReading{}, false
}

// isDPRKMobile reports whether d is a DPRK mobile number without trunk
// prefix: 191, 192, 193 or 195 and seven digits.
func isDPRKMobile(d string) bool {
	return len(d) == 10 && d[0] == '1' && d[1] == '9' && strings.ContainsRune("1235", rune(d[2]))
}
