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
	best, d := nearest(word, candidates)
	if d < 0 || d > max(2, len(word)/3) {
		return ""
	}
	return best
}

// Nearest returns the candidate nearest to word however far it is, for a
// suggestion that is always made (the one file the client loads in place
// of an unknown one); "" only without candidates.
func Nearest(word string, candidates []string) string {
	best, _ := nearest(word, candidates)
	return best
}

// nearest is the candidate with the smallest edit distance to word,
// ignoring case, and that distance; -1 without candidates.
func nearest(word string, candidates []string) (string, int) {
	lw := strings.ToLower(word)
	best, bestD := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(lw, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD
}
