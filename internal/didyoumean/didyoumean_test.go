package didyoumean

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"sipDomain", "sipServerAddress", "prioritize", "certFile"}
	cases := []struct{ word, want string }{
		{"sipDomian", "sipDomain"},
		{"SIPDOMAIN", "sipDomain"},
		{"certFle", "certFile"},
		{"sipServerAdress", "sipServerAddress"},
		{"zzz", ""},
		{"", ""},
		{"listen", ""},
	}
	for _, tc := range cases {
		if got := Closest(tc.word, cands); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if got := Closest("x", nil); got != "" {
		t.Errorf("Closest with no candidates = %q", got)
	}
}
