package redact

// A Type names what a candidate is. The names are stable: they are written
// in plans.
type Type string

// The types the detectors find. Identifiers come first: they are what one
// miss costs most.
const (
	TypePRCID       Type = "prc-id"    // PRC resident identity card number, 18 characters
	TypePRCOldID    Type = "prc-id-15" // PRC first-generation identity card number, 15 digits
	TypeRRN         Type = "rok-rrn"   // ROK resident registration number
	TypePhone       Type = "phone"     // a telephone number, any country
	TypeWeChat      Type = "wechat"    // a WeChat ID
	TypeHandle      Type = "handle"    // an account name on another platform: KakaoTalk, LINE, Telegram, QQ
	TypeQQ          Type = "qq"        // a QQ number
	TypeEmail       Type = "email"     // an e-mail address
	TypeURL         Type = "url"       // a web address
	TypeIP          Type = "ip"        // an IPv4 or IPv6 address
	TypeGPS         Type = "gps"       // a latitude/longitude pair or a labelled coordinate
	TypeCitizenCard Type = "dprk-card" // a DPRK citizen card number with its place name
	TypeNumber      Type = "number"    // a long number no validator claimed: bank card, passport, account
	TypeName        Type = "name"      // a person's name or part of it
	TypePlace       Type = "place"     // a place name, or a chain of them
	TypeOrg         Type = "org"       // a workplace, church or other organisation with a name
	TypeDate        Type = "date"      // a date finer than a year
	TypeTerm        Type = "term"      // a word the editor or the survivor listed
)

// types lists every Type, for parsing plans.
var types = []Type{
	TypePRCID, TypePRCOldID, TypeRRN, TypePhone, TypeWeChat, TypeHandle, TypeQQ, TypeEmail,
	TypeURL, TypeIP, TypeGPS, TypeCitizenCard, TypeNumber, TypeName, TypePlace,
	TypeOrg, TypeDate, TypeTerm,
}

// Identifier reports whether t is a direct identifier: a number, account
// or address that points at one person.
func (t Type) Identifier() bool {
	switch t {
	case TypeName, TypePlace, TypeOrg, TypeDate, TypeTerm:
		return false
	}
	return true
}

// priority orders types when two candidates with the same score and
// length overlap: the one that costs more to miss wins.
func (t Type) priority() int {
	for i, x := range types {
		if x == t {
			return len(types) - i
		}
	}
	return 0
}

// Validation is what a validator said about a candidate.
type Validation int

// Validation results. Unknown is the zero value: most candidates have no
// checksum to test.
const (
	Unknown Validation = iota // nothing to check, or a failed check that is not proof (ROK numbers since Oct 2020)
	Valid                     // the checksum, date or number plan holds
	Invalid                   // the check failed; still suggested if the shape is strong
)

func (v Validation) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return "unknown"
}

// NamePart says which part of a person's name a mention is.
type NamePart int

// Name parts. Full is the zero value.
const (
	Full    NamePart = iota // surname and given name, or a name with no known parts
	Surname                 // the surname alone: 김씨, 老王, Mr Kim
	Given                   // the given name alone: 영희, 建国
)

// A Candidate is one span a detector suggests redacting. Detectors only
// suggest; the editor decides every one in the plan.
type Candidate struct {
	Type  Type
	Start int    // byte offset in the original text
	End   int    // byte offset in the original text, exclusive
	Text  string // the original text of the span

	// Score is how sure the detector is, from 0 to 1. Candidates at or
	// above [Options.Threshold] are proposed for redaction; the others
	// are listed for the editor as "keep".
	Score      float64
	Validation Validation
	// Context is the context word that raised the score, or "" if none.
	// It is one of the detectors' own words, never testimony.
	Context string
	// Explanation is one line for the editor: what was found and why.
	// It never quotes the text.
	Explanation string

	// Broader lists generalisations of Text, narrowest first, in the
	// language of the text around it: for a village its county and
	// province, for an exact date its month and year. Empty when nothing
	// broader is known.
	Broader []string
	// Person links mentions of one person: every mention of the same
	// person, in any spelling, has the same Person, counting from 1.
	// Zero for anything that is not a name.
	Person int
	// Part is which part of the person's name this mention is.
	Part NamePart
}
