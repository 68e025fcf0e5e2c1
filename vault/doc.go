// Package vault holds testimony as ciphertext: the envelope each part of a
// submission is sealed in, the bbolt store that keeps only ciphertext and
// minimal metadata, the hash-chained custody log, and the bundle that carries
// new submissions from the intake server to the reviewers' offline machines.
//
// # Basics
//
// A submission is a list of parts (the form she filled in, each attachment),
// and a part holds one or more sections (her text, the answers to guided
// questions, the consent choices, her reply key). [NewPartWriter] frames and
// pads one part and encrypts it with age to every reviewer recipient;
// [OpenSections] reverses that with the reviewers' identities, and
// [OpenPart] for a part of one section. [Store] keeps the
// ciphertext: [Store.Begin] stages a submission, [Submission.Commit] makes it
// durable in one transaction together with its custody entry, and only then
// returns its ID. [Store.WriteBundle] writes everything new into a bundle, and
// [ReadBundle] verifies one on the offline side.
//
// # Caveats
//
// vault knows nothing of HTTP or terminals. It never sees a private key on the
// server side: [OpenSections] and [ReadBundle] are for the offline machine. Go
// cannot reliably erase memory, so plaintext that passed through a writer may
// linger in freed memory until it is reused.
//
// # Compatibility
//
// Every encoding starts with a version line ("testimony-part/v1",
// "testimony-item/v1", "custody/v1", "testimony-bundle/v1"); readers refuse
// versions they do not know, by name. docs/formats.md is the specification.
package vault
