package branding

import (
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/softphone/softphone/internal/didyoumean"
)

// closest returns the candidate with the smallest edit distance to name,
// ignoring case; ties go to the first in candidates' order.
func closest(name string, candidates []string) string {
	best, bestDist := "", -1
	ln := strings.ToLower(name)
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(ln, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean returns the candidate closest to key when it is close enough
// to be a likely typo, else "".
func didYouMean(key string, candidates []string) string {
	return didyoumean.Closest(key, candidates)
}
