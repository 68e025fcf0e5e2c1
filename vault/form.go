package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// A Use is one thing she may consent to, each asked separately.
type Use string

// The six uses DOMAIN.md lists. The names are stable: they are stored in
// envelopes and matched by export.
const (
	UseReview    Use = "review"    // read by the organisation only
	UsePublish   Use = "publish"   // published anonymised
	UseQuote     Use = "quote"     // quoted verbatim
	UseUN        Use = "un"        // shared with UN bodies
	UseCourt     Use = "court"     // shared with courts or investigators
	UseRecontact Use = "recontact" // she may be contacted again
)

// Uses lists every use, in the order the form asks.
var Uses = []Use{UseReview, UsePublish, UseQuote, UseUN, UseCourt, UseRecontact}

// Valid reports whether u is one of Uses.
func (u Use) Valid() bool { return slices.Contains(Uses, u) }

// Consent is the content of a consent part: the uses she agreed to. A use
// not listed was not given.
type Consent struct {
	Version int   `json:"version"` // 1
	Given   []Use `json:"given"`
}

// Withdrawal is the content of a withdrawal part, sent on a return visit:
// uses she takes back. Withdrawing is final for those uses.
type Withdrawal struct {
	Version   int   `json:"version"` // 1
	Withdrawn []Use `json:"withdrawn"`
}

// Answers is the content of an answers part: the optional guided questions.
// Every field may be empty: nothing is required. The codes, and every label
// they are shown with, are internal/guided's; vault stores them as given.
type Answers struct {
	Version     int      `json:"version"`               // 1
	Year        int      `json:"year,omitempty"`        // when it happened
	Month       int      `json:"month,omitempty"`       // 1-12, with Year
	Approximate bool     `json:"approximate,omitempty"` // the date is a guess
	Province    string   `json:"province,omitempty"`    // a code from the form's list, e.g. "KP-09", "CN-JL"
	What        []string `json:"what,omitempty"`        // codes from the checklist, e.g. "sold", "forced-marriage"
	Who         []string `json:"who,omitempty"`         // codes: "broker", "husband", "police", "state-security"
	Source      string   `json:"source,omitempty"`      // "self" (saw it herself) or "others" (heard it)
	Elsewhere   string   `json:"elsewhere,omitempty"`   // testified elsewhere before: "yes", "no", "unsure"
	Contact     string   `json:"contact,omitempty"`     // how she may be contacted: "receipt" (default) or "none"
}

// ReceiptNote is the content of a receipt note: which of her two receipts
// a look-up tag belongs to, and for the second what she asked its use to
// mean. It is encrypted to the reviewers; the server cannot read it.
type ReceiptNote struct {
	Version int    `json:"version"` // 1
	Receipt string `json:"receipt"` // ReceiptFirst or ReceiptSecond
	Chose   string `json:"chose,omitempty"`
}

// Which receipt a note is for.
const (
	ReceiptFirst  = "first"  // the receipt shown at once
	ReceiptSecond = "second" // the safe receipt, shown only if she asks
)

// What she may ask the use of her second receipt to mean. The reviewers
// apply it; the server never acts on it.
const (
	ChoseQuiet    = "quiet"    // nothing visible
	ChosePressure = "pressure" // tell the organisation she may be under pressure
	ChoseWithdraw = "withdraw" // take back every consent
)

// Choices lists what she may choose, in the order the page offers them.
var Choices = []string{ChoseQuiet, ChosePressure, ChoseWithdraw}

// MarshalForm encodes a Consent, Withdrawal, Answers or ReceiptNote for its part.
func MarshalForm(v any) ([]byte, error) { return json.Marshal(v) }

// UnmarshalForm decodes a consent, withdrawal or answers part strictly:
// unknown fields, unknown uses and unknown versions are refused.
func UnmarshalForm(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return malformed("form part: %v", err)
	}
	if dec.More() {
		return malformed("form part has trailing data")
	}
	var version int
	var uses []Use
	switch f := v.(type) {
	case *Consent:
		version, uses = f.Version, f.Given
	case *Withdrawal:
		version, uses = f.Version, f.Withdrawn
	case *Answers:
		version = f.Version
	case *ReceiptNote:
		version = f.Version
		switch {
		case f.Receipt == ReceiptFirst && f.Chose == "",
			f.Receipt == ReceiptSecond && (f.Chose == "" || slices.Contains(Choices, f.Chose)):
		default:
			return malformed("receipt note %q/%q is not one this tool knows", truncate(f.Receipt), truncate(f.Chose))
		}
	default:
		return fmt.Errorf("UnmarshalForm: %T is not a form", v)
	}
	if version != 1 {
		return malformed("form part version %d is not supported", version)
	}
	for _, u := range uses {
		if !u.Valid() {
			return malformed("unknown use %q", truncate(string(u)))
		}
	}
	return nil
}
