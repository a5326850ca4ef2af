package advancedoptions

import "github.com/softphone/softphone/internal/didyoumean"

// suggest returns the candidate closest to key, or "" when none is close
// enough to be a likely typo.
func suggest(key string, candidates []string) string {
	return didyoumean.Closest(key, candidates)
}
