package site

import (
	"strconv"
	"strings"
)

// Content codings softphone can serve, in the server's order of preference
// when a client weighs several equally (RFC 9110 12.5.3 leaves ties to the
// server): brotli is smaller than gzip for text, identity is the fallback.
const (
	encBrotli   = "br"
	encGzip     = "gzip"
	encIdentity = "identity"
)

// negotiateEncoding picks the representation to send for an Accept-Encoding
// header, given the codings available for the file (identity always is).
// It honours q-values, "*" and explicit refusals (q=0). When the client
// refuses everything available, identity is sent anyway: RFC 9110 12.5.3
// allows it, and a 406 would leave an agent without a softphone.
func negotiateEncoding(header string, haveBrotli, haveGzip bool) string {
	if header == "" {
		return encIdentity
	}
	qBr, qGzip, qIdentity, qStar := -1.0, -1.0, -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := parseQ(params)
		switch name {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGzip = q
		case "identity":
			qIdentity = q
		case "*":
			qStar = q
		}
	}
	resolve := func(q float64) float64 {
		if q < 0 {
			if qStar >= 0 {
				return qStar
			}
			return 0
		}
		return q
	}
	best, bestQ := encIdentity, 0.0
	if qIdentity >= 0 {
		bestQ = qIdentity
	} else if qStar >= 0 && qStar == 0 {
		bestQ = 0
	} else {
		// Identity is acceptable unless refused (RFC 9110 12.5.3), but with
		// the lowest weight so any accepted coding wins over it.
		bestQ = 0.001
	}
	if haveGzip {
		if q := resolve(qGzip); q > 0 && q >= bestQ {
			best, bestQ = encGzip, q
		}
	}
	if haveBrotli {
		if q := resolve(qBr); q > 0 && q >= bestQ {
			best = encBrotli
		}
	}
	return best
}

// parseQ returns the q-value in a parameter list such as " q=0.5", 1 when
// absent, and 0 when malformed (a broken weight is no reason to pick a coding).
func parseQ(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}
