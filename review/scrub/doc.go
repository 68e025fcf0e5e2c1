// Package scrub removes the metadata from attachments before an editor's
// export lets them leave the reviewer's machine. It shares nothing with
// the text redaction of [testimony/review/redact]: it reads pixels, not
// words.
//
// Attachments leave the machine only without their metadata: EXIF (with
// GPS position, camera serial, time), XMP, IPTC, PNG text chunks and
// comments can each name the place a photo was taken or the phone that
// took it. Deleting known blocks is fragile (a new block type slips
// through), so images are decoded and encoded again: the standard
// encoders write pixels and nothing else. The EXIF orientation is applied
// to the pixels first, so the picture still stands the right way up.
//
// Formats that cannot be cleaned this way (HEIC, PDF, Office documents,
// anything not JPEG or PNG) are refused with [ErrCannotClean], unless the
// editor overrides; the caller records an override in custody.
package scrub
