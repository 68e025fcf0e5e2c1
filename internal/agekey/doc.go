// Package agekey holds what the intake and the reviewers' tools do with
// age keys beyond what package age exports:
//
//   - recipients files (the team's public keys), read the way age's own
//     command reads them, tag and plugin recipients included, and checked
//     that age can encrypt to all of them at once (recipients.go);
//   - identity files: plain, passphrase-protected ("age -p") or a
//     plugin's, as age's command loads them (identity.go);
//   - X25519 identities prepared once for bulk decryption (x25519.go).
//
// age's command-line parsing (cmd/age/parse.go, encrypted_keys.go) cannot
// be imported, so its rules are copied here, in one place, where a drift
// from age shows in one diff. Errors name files and line numbers but never
// echo a line, which may be a secret.
package agekey
