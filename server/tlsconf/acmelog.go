package tlsconf

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// acmeLog is the HTTP transport of the ACME client. autocert retries
// failed issuance and renewal on its own but keeps the reasons to itself;
// the CA states them in its answers (RFC 8555 problem documents and
// invalid authorizations), so they are logged here, as they happen.
type acmeLog struct {
	base http.RoundTripper
	log  *slog.Logger
}

// acmeProblem is an RFC 7807 problem document as ACME uses it (RFC 8555 6.7).
type acmeProblem struct {
	Type   string `json:"type"`
	Detail string `json:"detail"`
}

// acmeObject covers the parts of an authorization or order that explain a failure.
type acmeObject struct {
	acmeProblem
	Status     string `json:"status"`
	Identifier struct {
		Value string `json:"value"`
	} `json:"identifier"`
	Error      *acmeProblem `json:"error"`
	Challenges []struct {
		Type  string       `json:"type"`
		Error *acmeProblem `json:"error"`
	} `json:"challenges"`
}

func (t *acmeLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		t.log.Warn("tls acme: CA unreachable", "url", req.URL.Redacted(), "error", err)
		return nil, err
	}
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	var o acmeObject
	if json.Unmarshal(body, &o) != nil {
		return resp, nil
	}
	switch {
	case resp.StatusCode >= 400:
		level := slog.LevelWarn
		if strings.HasSuffix(o.Type, ":badNonce") {
			level = slog.LevelDebug // routine, retried by the client
		}
		t.log.Log(req.Context(), level, "tls acme: CA refused a request", "url", req.URL.Redacted(), "status", resp.StatusCode, "type", o.Type, "detail", o.Detail)
	case o.Status == "invalid":
		attrs := []any{"url", req.URL.Redacted(), "identifier", o.Identifier.Value}
		if o.Error != nil {
			attrs = append(attrs, "type", o.Error.Type, "detail", o.Error.Detail)
		}
		for _, c := range o.Challenges {
			if c.Error != nil {
				attrs = append(attrs, "challenge", c.Type, "type", c.Error.Type, "detail", c.Error.Detail)
			}
		}
		t.log.Warn("tls acme: validation failed", attrs...)
	}
	return resp, nil
}

var _ http.RoundTripper = (*acmeLog)(nil)
