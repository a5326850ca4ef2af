package tlsconf

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

type staticTransport struct {
	status int
	body   []byte
}

func (s staticTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: s.status,
		Header:     http.Header{"Content-Type": {"application/problem+json"}},
		Body:       io.NopCloser(bytes.NewReader(s.body)),
	}, nil
}

func TestACMELog(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   []string // in the log; none means nothing logged
	}{
		{name: "rate limited", status: 429,
			body: `{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued"}`,
			want: []string{"CA refused a request", "rateLimited", "too many certificates already issued"}},
		{name: "invalid authorization", status: 200,
			body: `{"status":"invalid","identifier":{"type":"dns","value":"softphone.example.com"},"challenges":[{"type":"http-01","status":"invalid","error":{"type":"urn:ietf:params:acme:error:connection","detail":"Timeout during connect"}}]}`,
			want: []string{"validation failed", "identifier=softphone.example.com", "challenge=http-01", "Timeout during connect"}},
		{name: "valid order", status: 200, body: `{"status":"valid"}`},
		{name: "bad nonce is routine", status: 400, body: `{"type":"urn:ietf:params:acme:error:badNonce","detail":"JWS has an invalid anti-replay nonce"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tr := &acmeLog{base: staticTransport{tc.status, []byte(tc.body)}, log: slog.New(slog.NewTextHandler(&buf, nil))}
			req, _ := http.NewRequest("POST", "https://ca.example.com/acme/authz/1", nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != tc.body {
				t.Errorf("body passed on = %q, want the CA's %q", body, tc.body)
			}
			got := buf.String()
			if len(tc.want) == 0 && got != "" {
				t.Errorf("logged %q, want nothing at info level", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("log = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

// FuzzACMELog feeds arbitrary CA answers through the logging transport:
// it must never fail and must pass the body on unchanged.
func FuzzACMELog(f *testing.F) {
	f.Add(400, []byte(`{"type":"urn:ietf:params:acme:error:malformed","detail":"x"}`))
	f.Add(200, []byte(`{"status":"invalid","error":{"type":"t","detail":"d"},"challenges":[{"type":"tls-alpn-01","error":null}]}`))
	f.Add(200, []byte(`{"challenges":[1,2]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if len(body) > 1<<20 {
			return
		}
		tr := &acmeLog{base: staticTransport{status, body}, log: slog.New(slog.DiscardHandler)}
		req, _ := http.NewRequest("GET", "https://ca.example.com/dir", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if !bytes.Equal(got, body) {
			t.Fatalf("body changed: got %q, want %q", got, body)
		}
	})
}
