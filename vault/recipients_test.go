package vault

import (
	"strings"
	"testing"
)

func TestParseRecipients(t *testing.T) {
	x := newIdentity(t).Recipient().String()
	recs, err := ParseRecipients(strings.NewReader("# team\n\n" + x + "\n  " + x + "  \n"))
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %d, %v", len(recs), err)
	}
	secret := newIdentity(t).String()
	for name, c := range map[string]struct{ in, want string }{
		"private key": {x + "\n" + secret + "\n", "line 2 looks like a private key"},
		"garbage":     {"hello\n", "malformed recipient at line 1"},
		"empty":       {"# nobody\n", "no recipients found"},
		"long line":   {strings.Repeat("a", 10000), "line 1 is too long"},
		"bad utf-8":   {"age1\xff\n", "line 1 is not valid UTF-8"},
	} {
		_, err := ParseRecipients(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "AGE-SECRET-KEY") {
			t.Errorf("%s: the error echoes a private key", name)
		}
	}
}

func FuzzParseRecipients(f *testing.F) {
	f.Add("age1m7lvcdt937s9ps877ryvttapm94ey5wqn820rlkkmlxjt2ncpdrsnm3xdv\n")
	f.Add("# c\nAGE-SECRET-KEY-1X0Y6A4HTE6NYEQRFS5625GU7P3MZ5MQVGVFLVMKQ5GX3G8N9T6MSQTRVWN\n")
	f.Add("age1pq1xyz\nage1yubikey1abc\n")
	f.Fuzz(func(t *testing.T, in string) {
		// Plugin recipients would run a plugin binary: leave them to the
		// unit test, fuzz the rest.
		for _, l := range strings.Split(in, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "age1") && !strings.HasPrefix(l, "age1pq1") && strings.Count(l, "1") > 1 {
				return
			}
		}
		_, err := ParseRecipients(strings.NewReader(in))
		if err == nil {
			return
		}
		for _, l := range strings.Split(in, "\n") {
			if len(l) > 12 && strings.Contains(err.Error(), l) {
				t.Fatalf("error %q echoes an input line", err)
			}
		}
	})
}
