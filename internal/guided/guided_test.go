package guided

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestEveryCodeHasEveryLabel: every choice of every question has a label
// in each of the form's languages and no other, an export label exactly
// when statements carry the question, and a show label; codes are unique.
// review's TestGuidedLabelsInEveryExport checks that each export and show
// print these labels, and intake's TestFormOffersEveryGuidedChoice that
// the form offers every choice in each language.
func TestEveryCodeHasEveryLabel(t *testing.T) {
	names := map[string]bool{}
	for _, q := range Questions {
		if names[q.Name] {
			t.Errorf("question %q twice", q.Name)
		}
		names[q.Name] = true
		if len(q.Choices) == 0 {
			t.Errorf("%s: no choices", q.Name)
		}
		codes := map[string]bool{}
		for _, c := range q.Choices {
			if c.Code == "" || strings.TrimSpace(c.Code) != c.Code || codes[c.Code] {
				t.Errorf("%s: code %q empty, padded or twice", q.Name, c.Code)
			}
			codes[c.Code] = true
			if got := slices.Sorted(maps.Keys(c.Form)); !slices.Equal(got, slices.Sorted(slices.Values(Languages))) {
				t.Errorf("%s/%s: form labels in %v, want %v", q.Name, c.Code, got, Languages)
			}
			for lang, l := range c.Form {
				if strings.TrimSpace(l) == "" {
					t.Errorf("%s/%s: no form label in %s", q.Name, c.Code, lang)
				}
			}
			if q.Exported != (c.Export != "") {
				t.Errorf("%s/%s: export label %q, but the question is exported: %v", q.Name, c.Code, c.Export, q.Exported)
			}
			if c.Show == "" {
				t.Errorf("%s/%s: no show label", q.Name, c.Code)
			}
		}
	}
}

// TestUnknownCodes: an export stops at a code the form does not offer,
// saying which; show marks it visibly. Neither passes the raw code on as
// if it were a label.
func TestUnknownCodes(t *testing.T) {
	if _, err := What.ExportLabel("kidnapped"); !errors.Is(err, ErrUnknownCode) || !strings.Contains(err.Error(), `"kidnapped"`) {
		t.Errorf("ExportLabel of an unknown code: %v", err)
	}
	if _, err := What.ExportLabels([]string{"sold", "kidnapped"}); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("ExportLabels with an unknown code: %v", err)
	}
	if _, err := Elsewhere.ExportLabel("yes"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("ExportLabel of a question statements do not carry: %v", err)
	}
	if got := Province.ShowLabel("KP-99"); got != `unknown code "KP-99"` {
		t.Errorf("ShowLabel of an unknown code = %q", got)
	}
	if got, err := Province.ExportLabel("KP-09"); err != nil || got != "North Hamgyong, North Korea" {
		t.Errorf("ExportLabel(KP-09) = %q, %v", got, err)
	}
}
