// Package didyoumean picks the suggestion shown with an unknown key, path or
// name: the closest candidate by edit distance, ignoring case, when it is
// close enough to be a plausible typo.
package didyoumean

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// Closest returns the candidate nearest to word, or "" when none is within
// a third of the word's length (at least 2 edits). Ties go to the earlier
// candidate; a case-insensitive match always wins.
func Closest(word string, candidates []string) string {
	lw := strings.ToLower(word)
	best, bestD := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(lw, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > max(2, len(word)/3) {
		return ""
	}
	return best
}
