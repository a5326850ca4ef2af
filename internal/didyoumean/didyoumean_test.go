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

// TestNearest always suggests, however far the nearest candidate is.
func TestNearest(t *testing.T) {
	cands := []string{"sounds/ringing.wav", "images/logo.svg"}
	if got := Nearest("sounds/ringing.mp3", cands); got != "sounds/ringing.wav" {
		t.Errorf("Nearest = %q, want sounds/ringing.wav", got)
	}
	if got := Nearest("zzzzzzzzzzzzzzzzzzzzzzz", cands); got == "" {
		t.Error("Nearest gave nothing for a far word, want the nearest candidate")
	}
	if Closest("zzzzzzzzzzzzzzzzzzzzzzz", cands) != "" {
		t.Error("Closest suggested a far word, want nothing")
	}
	if got := Nearest("x", nil); got != "" {
		t.Errorf("Nearest with no candidates = %q", got)
	}
}
