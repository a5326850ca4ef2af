package server

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
)

func TestAccessLogFormat(t *testing.T) {
	var buf bytes.Buffer
	l := &accessLog{w: bufio.NewWriter(&buf), now: func() time.Time {
		return time.Date(2026, 3, 23, 17, 46, 5, 0, time.FixedZone("", 2*3600))
	}}
	h := l.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/private" {
			reqinfo.From(r.Context()).User = "agent-42"
		}
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("12345"))
	}))
	cases := []struct {
		name   string
		target string
		hdr    map[string]string
		want   string
	}{
		{
			name:   "nginx main format",
			target: "/index.html?lang=de",
			hdr:    map[string]string{"Referer": "https://wwe.example.com/", "User-Agent": "Mozilla/5.0", "X-Forwarded-For": "203.0.113.7"},
			want:   `192.0.2.1 - - [23/Mar/2026:17:46:05 +0200] "GET /index.html?lang=de HTTP/1.1" 418 5 "https://wwe.example.com/" "Mozilla/5.0" "203.0.113.7"` + "\n",
		},
		{
			name:   "user from the gate",
			target: "/private",
			want:   `192.0.2.1 - agent-42 [23/Mar/2026:17:46:05 +0200] "GET /private HTTP/1.1" 418 5 "-" "-" "-"` + "\n",
		},
		{
			name:   "token in the query is redacted",
			target: "/auth/callback?jwt=eyJhbGciOi.secret.sig",
			want:   `192.0.2.1 - - [23/Mar/2026:17:46:05 +0200] "GET /auth/callback?[redacted] HTTP/1.1" 418 5 "-" "-" "-"` + "\n",
		},
		{
			name:   "quotes and control characters cannot forge a line",
			target: "/",
			hdr:    map[string]string{"User-Agent": "x\" 200 \"\\\x01"},
			want:   `192.0.2.1 - - [23/Mar/2026:17:46:05 +0200] "GET / HTTP/1.1" 418 5 "-" "x\x22 200 \x22\x5C\x01" "-"` + "\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			r := httptest.NewRequest("GET", tc.target, nil)
			r.RemoteAddr = "192.0.2.1:51234"
			for k, v := range tc.hdr {
				r.Header.Set(k, v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			l.Flush()
			if got := buf.String(); got != tc.want {
				t.Errorf("log line\n got %q\nwant %q", got, tc.want)
			}
			if strings.Count(buf.String(), "\n") != 1 {
				t.Errorf("want exactly one line, got %q", buf.String())
			}
		})
	}
}

// TestAccessLogRedactsTokens: a query or path parameter that may carry a
// token or secret is redacted, whatever its case or separator, in the
// request line and in the Referer.
func TestAccessLogRedactsTokens(t *testing.T) {
	var buf bytes.Buffer
	l := &accessLog{w: bufio.NewWriter(&buf), now: time.Now}
	h := l.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, target := range []string{
		"/auth/callback?JWT=SECRETVALUE",
		"/auth/callback?Jwt=SECRETVALUE&lang=de",
		"/x?access_token=SECRETVALUE",
		"/x?refresh_token=SECRETVALUE",
		"/x?session_state=SECRETVALUE",
		"/x?assertion=SECRETVALUE",
		"/x?SAMLResponse=SECRETVALUE",
		"/x?id_token_hint=SECRETVALUE",
		"/x?lang=de;jwt=SECRETVALUE",
		"/x?lang=de&%6Awt=SECRETVALUE",
		"/x;jwt=SECRETVALUE",
		"/x;jsessionid=SECRETVALUE?lang=de",
	} {
		for _, where := range []string{"request", "referer"} {
			buf.Reset()
			r := httptest.NewRequest("GET", "/", nil)
			if where == "request" {
				r = httptest.NewRequest("GET", target, nil)
			} else {
				r.Header.Set("Referer", "https://softphone.example.com"+target)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			l.Flush()
			if strings.Contains(buf.String(), "SECRETVALUE") {
				t.Errorf("%s %s: the log holds the secret: %s", where, target, buf.String())
			}
			if !strings.Contains(buf.String(), "[redacted]") {
				t.Errorf("%s %s: no [redacted] in %s", where, target, buf.String())
			}
		}
	}
	// Harmless queries stay, so the log remains useful.
	buf.Reset()
	r := httptest.NewRequest("GET", "/index.html?lang=de&v=2", nil)
	r.Header.Set("Referer", "https://wwe.example.com/desk?tab=phone")
	h.ServeHTTP(httptest.NewRecorder(), r)
	l.Flush()
	if !strings.Contains(buf.String(), "/index.html?lang=de&v=2") || !strings.Contains(buf.String(), "https://wwe.example.com/desk?tab=phone") {
		t.Errorf("harmless queries were changed: %s", buf.String())
	}
}

// FuzzRedactURI: whatever comes before it, a token parameter never
// reaches the log.
func FuzzRedactURI(f *testing.F) {
	for _, s := range []string{"/", "/auth/callback?lang=de", "/x;a=b?c=d", "https://h/p?q#f", "/%zz?%zz=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prefix string) {
		if strings.Contains(prefix, "ZZSECRETZZ") {
			return
		}
		sep := "?"
		if strings.Contains(prefix, "?") {
			sep = "&"
		}
		for _, name := range []string{"JWT", "access_token", "Session_State", "assertion"} {
			uri := prefix + sep + name + "=ZZSECRETZZ"
			if got := redactURI(uri); strings.Contains(got, "ZZSECRETZZ") {
				t.Errorf("redactURI(%q) = %q, keeps the token", uri, got)
			}
		}
	})
}
