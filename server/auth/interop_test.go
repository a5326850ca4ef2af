package auth

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// debianPython is the interpreter Debian's python3-jwt installs for; a
// python3 earlier on PATH (pyenv, a venv) would not see it.
const debianPython = "/usr/bin/python3"

// needPyJWT makes sure Debian's PyJWT and cryptography are importable
// (python3-jwt, python3-cryptography; .ci/run installs them).
func needPyJWT(t *testing.T) {
	t.Helper()
	if err := exec.Command(debianPython, "-c", "import jwt, cryptography").Run(); err != nil {
		testenv.Missing(t, "PyJWT for "+debianPython+" (Debian: python3-jwt python3-cryptography; .ci/run installs them)")
	}
}

type pyMint struct {
	Version string            `json:"version"`
	JWKS    json.RawMessage   `json:"jwks"`
	Tokens  map[string]string `json:"tokens"`
}

// TestPyJWTInterop verifies tokens minted by PyJWT: HS256 with a shared
// secret, RS256 and ES256 with keys PyJWT made and exported as a JWK Set,
// served here on loopback.
func TestPyJWTInterop(t *testing.T) {
	needPyJWT(t)
	var jwksBody atomic.Pointer[json.RawMessage]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if b := jwksBody.Load(); b != nil {
			w.Write(*b)
		}
	}))
	defer srv.Close()

	in, _ := json.Marshal(map[string]any{"secret": testSecret, "issuer": srv.URL, "audience": "softphone", "now": time.Now().Unix()})
	cmd := exec.Command(debianPython, "testdata/mint.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mint.py: %v: %s", err, stderr.String())
	}
	var m pyMint
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("mint.py output: %v", err)
	}
	t.Logf("tokens minted by PyJWT %s", m.Version)
	jwksBody.Store(&m.JWKS)

	hs := newGate(t, Config{JWT: JWTConfig{HMACSecret: testSecret, Issuer: srv.URL, Audience: []string{"softphone"}}}, "/")
	ks := newGate(t, Config{JWT: JWTConfig{
		JWKSURL: srv.URL, Issuer: srv.URL, Audience: []string{"softphone"},
		RequiredClaims:      []RequiredClaim{{Claim: "groups", Contains: []string{"webrtc-agents"}}},
		AllowedEmailDomains: []string{"example.com"},
		LoginURL:            "https://idp.example.com/login",
	}}, "/")

	tests := []struct {
		token string
		g     *Gate
		code  int
		gate  string
	}{
		{"hs256", hs, 200, "jwt"},
		{"rs256", ks, 200, "jwt"},
		{"es256", ks, 200, "jwt"},
		{"rs256_expired", ks, 401, "denied:jwt-expired"},
		{"rs256_no_exp", ks, 401, "denied:jwt-no-exp"},
		{"rs256_wrong_aud", ks, 401, "denied:jwt-audience"},
		{"es256_wrong_iss", ks, 401, "denied:jwt-issuer"},
		{"none", ks, 401, "denied:jwt-malformed"},
		{"none", hs, 401, "denied:jwt-malformed"},
		{"rs256", hs, 401, "denied:jwt-malformed"}, // RS256 not allowed without a key set
	}
	for _, tc := range tests {
		name := tc.token
		if tc.g == hs {
			name += " (hmac gate)"
		}
		t.Run(name, func(t *testing.T) {
			tok, ok := m.Tokens[tc.token]
			if !ok {
				t.Fatalf("mint.py made no %q token", tc.token)
			}
			res := do(tc.g, bearer(tok))
			if res.code != tc.code || res.info.Gate != tc.gate {
				t.Errorf("status %d gate %q, want %d %q", res.code, res.info.Gate, tc.code, tc.gate)
			}
			if tc.code == 200 && res.info.User != "py-agent" {
				t.Errorf("reqinfo.User = %q, want py-agent", res.info.User)
			}
		})
	}

	t.Run("callback", func(t *testing.T) {
		res := do(ks, get("/auth/callback?jwt="+m.Tokens["callback"]+"&return_to=%2Findex.html"))
		if res.code != http.StatusSeeOther || res.hdr.Get("Location") != "/index.html" {
			t.Fatalf("callback: status %d Location %q (%s), want 303 /index.html", res.code, res.hdr.Get("Location"), res.info.Gate)
		}
		if c := cookieNamed(res.hdr, "softphone_session"); c == nil || strings.Contains(c.Value, m.Tokens["callback"]) {
			t.Errorf("session cookie missing or carrying the token")
		}
		if res := do(ks, get("/auth/callback?jwt="+m.Tokens["callback"])); res.info.Gate != "denied:jwt-replay" {
			t.Errorf("replayed PyJWT callback token: gate %q, want denied:jwt-replay", res.info.Gate)
		}
	})
}
