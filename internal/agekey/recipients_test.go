package agekey_test

import (
	"errors"
	"strings"
	"testing"

	"testimony/internal/agekey"
	"testimony/tests/vaulttest"
)

// A P-256 tag recipient (a hardware key's, as age-plugin-yubikey prints
// for age 1.3) and a post-quantum one, made for these tests.
const (
	tagRecipient = "age1tag1qgws0ejffz5h8mpslpl54yu3mgs3n0qk8z7a5jlm5606nuhre464j35fwes"
	pqRecipient  = "age1pq1jqe4k9xmz5uxcz3fj9scpmykyz7xd7vs2ngznwrpx9jgzjacj5fyd6jjqmnjpygddd4y8z522893djzsjee00sgmqvvwude3tc6eehus5yk2dzr4uph8gzchpttrg0zqhltzrxexwslghjc4xzmgfn2uvh79v4l0nzcgescp4s5zqxve9lvfvmz4a962gguq7rmq9ujvyalrxdx43zadr4g40q395yjevgkgvkua6307necaq92plh8cw3ux2gcgkywawerqpv9fgjxn8jqnc9pwr9et2f9ulej2ngcry82zsnwm2ugv25dwyq3vhwxk9letesh5q2pzjpcckaqkpvr2kqy8ryp0hg7zryy0mxct32rr8s9s40u4wu59gz5rntym2cfhqkeq3xc75yzwn72a0r9mwun6g95st58yrxnyuuzxac4ccc7csvhddvrfgv8k7k60cwsh48t4vuaf8z5glsenkkz98763hcm8h6ql0pwgzq7dgvn4ryzhx54v9wcsrxrqqvsgwpzlvrdk0agzc9ew9tqdhq2fyggqthkpypfqy6z4s0fccdkz3kmses93llqhptg8c4qcepvjahxzh6a6nfv6yhnnwlq6ty9t4z2ggx2y43ac0c6skpwwxu7fv2aysxtmcyj3yt07dy5nq2wz4w405c2ehyhtd9l4e9fjwr9fsapfqjdnehzv0fesxk9u74gjdgzhsjvmxz4hw64yg8p46dsa295zezkqklr4f44lt3h46ewl3eg0t0xv6ywj23f40gw7tdmpdxkqz8czh0r9p3qyvqpes4hk6zralgvhh07335wyq4x54d3yccjrskgtn2qvt87kwcyzu43ulcuzy53yzwjjem3mtzs3g38xk5un9spk7dv6fhdwxmra9je4s76s8449edgjfcpxrga5tyu3kxjlttsceev3d0cun3mnq2fhchqk2x5tmeq2x246xwd3k2l5593npcuvt3mk06u4ff3uq9pjqsvj50u9hqp3cuu627wgxp8zp26dwg6ghq585fexty6dpxvu0cjfw3fs64yxd7vmsttnm89trk2mgufyhg054hd6gtswtxdjayf0w2kp94frqprq3pafgs5hv36u8x6xm2yk8m03xvaruvezak2ygvvhujxjzp9ysxaug4wd2kk9jc65avrr2qx5yamq3rzdywqy2wjx3auuxdyurdwyhprhgxulepvcw6vzfultz5hgqzyvctr5sv3vjrpnyxu9zsgaz8z7xea09ryjaqdpz375yeqntyx5992avejg0rhhtx5uvvum4nxd42tmpr3xl0yjj84z9z0ak5hpwjt5xkmctwu987n8xqrj53a7su44uz9pzvdtz3qswfxk8wq8l3sv4xytra8q5pcfjyp68xsfps2kxsfrr9ph44ryymqkfwas8zeqtfkvjkhenudjd2vjsdfwfjyw7wcgs2gqrp8ycgyt8zzuzmprz4erq6cy9fxrjkq0lvg7hyqk842vlnkhzn5zrf9vwuhshwxy08f6evv5vel9nw89n352g64n0uyh2rtsjms2kzwt2zk6phyrtenyms4vsqs6sa8ayxwd34ce0savjklh9qvypqx8mp8eprrm3n2flphetm64ycu7wqk0cy66p85ffsqkwy90jsadedx3apdgfy433qwhps5tty4uazj503z7s0r66gmt0k5xdzzh4decf3udlwvu5qh62la3glm88f8rqu7wmt5zn2ckjw445jtms3336u3pmkznwswm4ltnhy2cgar7edpcag2q324fprxuwnrcjj82zjfscsqhkdr30n0s0secz36hj9frzhy39racm0exwpg0q5lydn60slsr2dqpe5dez7phklprczd3crr2neldm383qkpl8ra78zgxqtgeyjvlcr0q40nwmjfkkgllwye2kaff"
)

// What the age command encrypts to here, the intake encrypts to: a tag
// recipient needs no plugin binary. What age cannot put in one file is
// refused before any is written, as review init refuses it.
func TestCheckRecipients(t *testing.T) {
	x := vaulttest.Identity(t).Recipient().String()
	for name, c := range map[string]struct {
		in   string
		want string // "" if accepted
	}{
		"x25519 and tag":   {x + "\n" + tagRecipient + "\n", ""},
		"post-quantum":     {pqRecipient + "\n", ""},
		"mixed":            {x + "\n" + pqRecipient + "\n", "can't mix post-quantum and classic"},
		"tag and pq mixed": {tagRecipient + "\n" + pqRecipient + "\n", "can't mix post-quantum and classic"},
		"missing plugin":   {x + "\nage1nosuchplugin1vysxsctjv3mkzun9yp4k27f8wvs8qatzd35kxgrtv4ujqvp3xgesx9r6kf\n", "needs age-plugin-nosuchplugin, which is not in PATH"},
	} {
		t.Setenv("PATH", t.TempDir())
		recs, err := agekey.ParseRecipients(strings.NewReader(c.in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		err = agekey.CheckRecipients(recs)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, agekey.ErrIncompatibleRecipients)):
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

func TestParseRecipients(t *testing.T) {
	x := vaulttest.Identity(t).Recipient().String()
	recs, err := agekey.ParseRecipients(strings.NewReader("# team\n\n" + x + "\n  " + x + "  \n"))
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %d, %v", len(recs), err)
	}
	secret := vaulttest.Identity(t).String()
	for name, c := range map[string]struct{ in, want string }{
		"private key": {x + "\n" + secret + "\n", "line 2 looks like a private key"},
		"garbage":     {"hello\n", "malformed recipient at line 1"},
		"empty":       {"# nobody\n", "no recipients found"},
		"long line":   {strings.Repeat("a", 10000), "line 1 is too long"},
		"bad utf-8":   {"age1\xff\n", "line 1 is not valid UTF-8"},
	} {
		_, err := agekey.ParseRecipients(strings.NewReader(c.in))
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
	f.Add(tagRecipient + "\nage1tagpq1qqqq\n")
	f.Fuzz(func(t *testing.T, in string) {
		// Plugin recipients would run a plugin binary: leave them to the
		// unit test, fuzz the rest.
		for _, l := range strings.Split(in, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "age1") && !strings.HasPrefix(l, "age1pq1") && !strings.HasPrefix(l, "age1tag") && strings.Count(l, "1") > 1 {
				return
			}
		}
		_, err := agekey.ParseRecipients(strings.NewReader(in))
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
