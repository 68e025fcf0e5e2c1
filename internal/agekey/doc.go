// Package agekey holds what the intake and the reviewers' tools do with
// age keys beyond what package age exports: reading a recipients file (the
// team's public keys) the way age's own command does, tag and plugin
// recipients included, and checking that age can encrypt to all of them at
// once. age's command-line parsing (cmd/age/parse.go) cannot be imported,
// so its rules are copied here, in one place, where a drift from age shows
// in one diff.
package agekey
