package intake

import (
	"html"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"testimony/internal/guided"
)

// TestFormOffersEveryGuidedChoice: the form's languages are guided's, and
// the form in each offers every choice of every guided question, once,
// with its label in that language (internal/guided holds them, with the
// exports' and review show's labels of the same codes).
func TestFormOffersEveryGuidedChoice(t *testing.T) {
	var ls []string
	for _, l := range languages {
		ls = append(ls, string(l))
	}
	if !slices.Equal(ls, guided.Languages) {
		t.Fatalf("the form's languages %v, guided's %v", ls, guided.Languages)
	}
	_, _, ts := newTestServer(t, Config{})
	for _, l := range guided.Languages {
		resp, err := http.Get(ts.URL + "/" + l + "/write")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		for _, q := range guided.Questions {
			for _, c := range q.Choices {
				attr := `name="` + q.Name + `" value="` + c.Code + `"`
				if strings.Contains(page, `value="`+c.Code+`"`) && !strings.Contains(page, attr) {
					attr = `value="` + c.Code + `"`
				}
				i := strings.Index(page, attr)
				if i < 0 {
					t.Errorf("/%s/write does not offer %s %q", l, q.Name, c.Code)
					continue
				}
				// The label follows its value within the element.
				label := html.EscapeString(c.Form[l])
				if near := page[i:min(len(page), i+len(attr)+400)]; !strings.Contains(near, label) {
					t.Errorf("/%s/write offers %s %q without its label %q", l, q.Name, c.Code, c.Form[l])
				}
			}
		}
	}
}
