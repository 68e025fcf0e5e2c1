// Package redact finds what must not be published in a testimony, turns
// the findings into a plan an editor reviews, applies the plan, and checks
// that nothing redacted survives in any spelling.
//
// Detectors only suggest. Statistical NER finds about two thirds of names
// in Korean or Chinese text, and these rules do better only on what they
// were built for; a person confirms every export, and the residual check
// is what export must pass.
//
// # Basics
//
// The editor's side runs in five steps:
//
//  1. [Analyze] returns [Candidate] spans with a type, a score, a
//     validation result, the context word that counted and a one-line
//     explanation. Offsets are into the original text; the detectors read
//     a normalised view of it ([Normalize]: NFKC, dashes, invisible
//     characters removed) and map every span back.
//  2. [Suggest] (or [NewPlan], which runs both) turns candidates into a
//     [Plan]: consistent pseudonyms for names (one person, one pseudonym,
//     in every spelling and script), generalisations for places (village
//     → county → province) and dates (exact → year, or month with
//     [DateMonth]), placeholders for identifiers, and "keep" lines for
//     weak candidates so the editor sees them.
//  3. The editor reads and edits the plan as text ([Plan.MarshalText],
//     [ParsePlan]), adding lines with span * for what the detectors missed
//     and for romanised spellings of names.
//  4. [Apply] carries the plan out after [Plan.Check], which refuses a
//     plan made for another text, spans that do not hold their original,
//     one name with two pseudonyms, and replacements that repeat a
//     redacted term.
//  5. [Plan.Residual] looks for every redacted term, in every spelling,
//     in everything that leaves: the statement, file names, metadata.
//     [Plan.Unsettled] runs the detectors again over the redacted text
//     and reports every candidate no plan line settles (what the plan
//     missed). Any [Leak] blocks the export. Attachments are not text:
//     [testimony/review/scrub.CleanImage] re-encodes JPEG and PNG
//     attachments without metadata and refuses other kinds unless the
//     editor overrides.
//
// # What the detectors find
//
// Identifiers, validated where a check exists: PRC resident IDs
// (checksum and birth date) and the 15-digit form, ROK resident
// registration numbers (a failed checksum is [Unknown], since numbers
// issued from October 2020 have none), telephone numbers checked against
// libphonenumber's number plans (PRC, ROK, DPRK and international),
// WeChat and QQ IDs next to their words, e-mail, web and IP addresses,
// GPS pairs in decimal, degree-minute-second and 북위/北纬 forms, DPRK
// citizen card numbers after a place name, and long numbers no check
// claims. Digit runs are cut into whole groups before any check, the
// guard a regular expression without lookbehind cannot give.
//
// Names from Korean (with 리 류 림 라 로 forms), Chinese (with compound)
// and romanised surname lists, given-name shapes and context words (씨,
// 언니, 남편, 老公, 大哥, Mr), kinship words before a given name used
// alone (딸 하늘이는, 女儿小燕, my daughter Joy), titles after a surname
// (박 보위원, 王科长, 姓刘), names in quotes said to be what someone was
// called, the survivor's listed terms, the organisation's names list and
// the workspace memory of names an editor confirmed elsewhere
// ([Options]); every other mention of a name found is then found too, in
// any spelling, and the given name alone. A Korean word list (lexicon/)
// tells everyday words (보람, 소식, 며느리) from names.
// Places from a DPRK/PRC gazetteer and administrative suffixes (도 시 군
// 구역 동 리 읍 로동자구 인민반; 省 市 州 县 区 旗 乡 镇 村 街道), joined
// into chains. Dates finer than a year, Juche years explained
// (Gregorian = Juche + 1911). Named workplaces, churches and schools.
//
// # The plan format
//
//	redaction-plan/v1
//	source sha256:<64 lowercase hex digits: SHA-256 of the original text>
//	seed <16 lowercase hex digits: the pseudonym seed>
//	# comments and blank lines are ignored
//	<op> <type> <start>-<end> "<original>" "<replacement>" # <explanation>
//	<op> <type> * "<original>" "<replacement>" # <explanation>
//	keep <type> <start>-<end> "<original>" # <explanation>
//
// op is remove, pseudonym, generalise (or generalize) or keep; type is
// one of the [Type] names; offsets are bytes of the original; strings are
// Go-quoted, so Hangul and Han stay readable and invisible characters show
// as escapes. Parsing is strict and writing is canonical; errors name the
// line and never quote it. Test vectors are in testdata/plans.
//
// # Caveats
//
//   - Spellings: the residual check folds the North/South initial sound
//     on every syllable (which over-matches a little, 근로 and 근노),
//     Simplified and Traditional characters in internal/hanzi's small
//     table only, full width, case and separators. Romanisations and
//     Hanja forms of a Korean name are covered only when the editor lists
//     them (span * lines); the one reading done here is Han to Hangul
//     (Unihan kHangul: 金英姬 is also looked for as 김영희, 白金村 as
//     백금촌), never Latin.
//   - The gazetteer holds provinces, about 200 cities and counties, the
//     Yanbian towns and escape-route cities, each Chinese name also in
//     its Hangul reading;
//     other places are found by suffix and cannot be generalised, so they
//     are removed. A place named once with its suffix and later without
//     (천신군 … 천신에서) is found both times; one never named with a
//     suffix is not found.
//   - A name with an unusual given name, a surname that also starts
//     ordinary words (안, 정, 高, 林) and no context word is missed unless
//     another mention of it has context.
//   - Pseudonyms come from short lists; a statement with very many people
//     runs out and gets numbered labels (사람 1, 某人 2, Person 3).
//   - Throughput is about 3 MB/s per statement; the cost of finding other
//     mentions grows with the number of distinct people and places.
//
// # Evaluation
//
// eval_test.go measures entity-level recall, precision and F2 per type on
// generated corpora (a development seed and a held-out seed with held-out
// templates), checks the validators on generated valid and invalid
// numbers, and injects spellings of every redacted term to check the
// residual check catches all of them. Run go test -run Eval -v; pass
// -eval.corpus=file.jsonl to score another labelled corpus.
//
// # Compatibility
//
// Plans are versioned by their first line; a reader refuses a version it
// does not know. Type and operation names are stable.
package redact
