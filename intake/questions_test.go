package intake

import (
	"testing"

	"testimony/vault"
)

// Reviewers and statements name a province in words (vault.ProvinceName),
// not by the form's code: every code the form offers has a name there.
func TestProvinceNames(t *testing.T) {
	for _, c := range provinceChoices {
		if n := vault.ProvinceName(c.Code); n == c.Code || n == "" {
			t.Errorf("province %s (%s) has no name for reviewers in vault/provinces.go", c.Code, c.label["en"])
		}
	}
}
