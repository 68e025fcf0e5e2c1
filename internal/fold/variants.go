package fold

// Redaction needs the opposite of [Initial]: not one search form, but every
// spelling a word may appear in, because a residual check must show that no
// spelling survives and 유 can stand for 류 as well as for 유 (柳, 兪, 劉).

// maxVariants bounds [Variants]: each syllable with ㄹ/ㄴ alternatives at
// most triples the count, so a long word could otherwise explode.
const maxVariants = 4096

// Alternatives returns every syllable that reads the same as r under the
// initial-sound rule, r first: 리 → 리 이 니, 이 → 이 리 니, 로 → 로 노,
// 노 → 노 로, 녀 → 녀 여 려. A rune the rule does not touch is returned
// alone. All of them fold to the same [Initial].
func Alternatives(r rune) []rune {
	if r < hangulFirst || r > hangulLast {
		return []rune{r}
	}
	f := Initial(r)
	s := int(f - hangulFirst)
	initial, medial, final := s/(medials*finals), s/finals%medials, s%finals
	with := func(i int) rune { return rune(hangulFirst + (i*medials+medial)*finals + final) }
	var class []rune
	switch {
	case initial == initialO && iotated(medial):
		class = []rune{with(initialO), with(initialR), with(initialN)}
	case initial == initialN && !iotated(medial):
		class = []rune{with(initialN), with(initialR)}
	default:
		return []rune{r}
	}
	out := []rune{r}
	for _, c := range class {
		if c != r {
			out = append(out, c)
		}
	}
	return out
}

// Variants returns the spellings of s that differ from it only by the
// initial-sound rule, s first. Every syllable is varied, not only word
// starts, because compounds hide word starts (조선로동당). The list stops
// at limit entries (at most 4096), and complete is false when it did.
func Variants(s string, limit int) (out []string, complete bool) {
	return Expand(s, limit, Alternatives)
}

// Expand returns every string made from s by replacing each rune with one
// of alts(r) (which lists r itself first), s first, at most limit of them
// (at most 4096); complete is false when the list was cut. Variants and
// internal/hanzi share it.
func Expand(s string, limit int, alts func(rune) []rune) (out []string, complete bool) {
	if limit <= 0 || limit > maxVariants {
		limit = maxVariants
	}
	out = []string{""}
	complete = true
	for _, r := range s {
		alts := alts(r)
		if len(alts) == 1 {
			for i := range out {
				out[i] += string(r)
			}
			continue
		}
		next := make([]string, 0, min(len(out)*len(alts), limit))
		for _, prefix := range out {
			for _, a := range alts {
				if len(next) == limit {
					complete = false
					break
				}
				next = append(next, prefix+string(a))
			}
		}
		out = next
	}
	return out, complete
}
