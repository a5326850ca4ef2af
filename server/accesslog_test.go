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
