package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
)

// accessLog writes one line per request in NGINX's "main" format, the one
// the vendor manual configures, so existing log tooling keeps working:
//
//	$remote_addr - $remote_user [$time_local] "$request" $status
//	$body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"
//
// $remote_user is the user or token subject the gate let in; passwords and
// tokens never reach the log (a query or path parameters that may carry a
// token are redacted, in the request line and in the Referer: redactURI).
type accessLog struct {
	mu   sync.Mutex
	w    *bufio.Writer
	file *os.File // nil for stdout/stderr
	path string
	now  func() time.Time

	timeCache atomic.Pointer[cachedTime]
}

func openAccessLog(dest string) (*accessLog, error) {
	l := &accessLog{path: dest, now: time.Now}
	switch dest {
	case "off":
		return nil, nil
	case "stdout":
		l.w = bufio.NewWriterSize(os.Stdout, 32<<10)
	case "stderr":
		l.w = bufio.NewWriterSize(os.Stderr, 32<<10)
	default:
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			return nil, err
		}
		l.file = f
		l.w = bufio.NewWriterSize(f, 32<<10)
	}
	return l, nil
}

// appendTime appends $time_local. The formatted second is cached, as NGINX
// does: formatting a time costs more than the rest of the line.
func (l *accessLog) appendTime(buf []byte) []byte {
	now := l.now()
	sec := now.Unix()
	if c := l.timeCache.Load(); c != nil && c.sec == sec {
		return append(buf, c.text...)
	}
	text := now.AppendFormat(nil, "02/Jan/2006:15:04:05 -0700")
	l.timeCache.Store(&cachedTime{sec: sec, text: text})
	return append(buf, text...)
}

type cachedTime struct {
	sec  int64
	text []byte
}

// Reopen starts a new file at the same path, after logrotate moved the old one.
func (l *accessLog) Reopen() error {
	if l == nil || l.file == nil {
		return nil
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
	old := l.file
	l.file = f
	l.w.Reset(f)
	return old.Close()
}

// Flush writes buffered lines out.
func (l *accessLog) Flush() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.w.Flush()
	l.mu.Unlock()
}

// Close flushes and closes the file.
func (l *accessLog) Close() error {
	if l == nil {
		return nil
	}
	l.Flush()
	if l.file != nil {
		return l.file.Close()
	}
	return nil
}

// run flushes the buffer once a second so lines appear promptly without a
// syscall per request.
func (l *accessLog) run(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			l.Flush()
		case <-stop:
			return
		}
	}
}

func (l *accessLog) middleware(next http.Handler) http.Handler {
	if l == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r, _ = reqinfo.Attach(r)
			next.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, info := reqinfo.Attach(r)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		l.write(r, rec, info)
	})
}

func (l *accessLog) write(r *http.Request, rec *statusRecorder, info *reqinfo.Info) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	bp := lineBufs.Get().(*[]byte)
	buf := append((*bp)[:0], host...)
	buf = append(buf, " - "...)
	buf = appendField(buf, info.User)
	buf = append(buf, " ["...)
	buf = l.appendTime(buf)
	buf = append(buf, "] \""...)
	buf = appendEscaped(buf, r.Method)
	buf = append(buf, ' ')
	buf = appendEscaped(buf, loggedURI(r))
	buf = append(buf, ' ')
	buf = appendEscaped(buf, r.Proto)
	buf = append(buf, "\" "...)
	buf = strconv.AppendInt(buf, int64(status), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, rec.bytes, 10)
	buf = append(buf, " \""...)
	buf = appendQuoted(buf, redactURI(r.Referer()))
	buf = append(buf, "\" \""...)
	buf = appendQuoted(buf, r.UserAgent())
	buf = append(buf, "\" \""...)
	buf = appendQuoted(buf, r.Header.Get("X-Forwarded-For"))
	buf = append(buf, "\"\n"...)
	l.mu.Lock()
	l.w.Write(buf)
	l.mu.Unlock()
	if cap(buf) <= 4<<10 { // a huge line (a long hostile URI) is not kept
		*bp = buf
		lineBufs.Put(bp)
	}
}

// lineBufs recycles log line buffers: one line per request would otherwise
// be an allocation per request.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// loggedURI is the request target, redacted where it may carry a token.
func loggedURI(r *http.Request) string {
	return redactURI(r.URL.RequestURI())
}

// secretParams are parameter names (lowercase) that carry tokens or
// secrets; secretParts catch the rest of the family (id_token_hint,
// client_secret, SAMLResponse, x-amz-signature...).
var (
	secretParams = []string{"jwt", "code", "state", "token", "assertion", "ticket", "key", "apikey", "api_key", "auth", "sig", "pwd", "jsessionid", "sid"}
	secretParts  = []string{"token", "secret", "passw", "jwt", "assertion", "session", "signature", "saml", "credential"}
)

// redactURI drops the query of a request target or URL (the Referer) when
// any parameter may carry a token, and the path parameters after a ';' in
// the same case: "?[redacted]", ";[redacted]". Names are compared
// case-insensitively after percent-decoding, and both '&' and ';' separate
// parameters, so ?JWT=, ?%6Awt= and ?a=1;jwt= are all caught. Other
// queries are kept, so the log stays useful.
func redactURI(u string) string {
	rest, query, hasQuery := strings.Cut(u, "?")
	if hasQuery && hasSecretParam(query) {
		query = "[redacted]"
	}
	if path, params, ok := strings.Cut(rest, ";"); ok && hasSecretParam(params) {
		rest = path + ";[redacted]"
	}
	if hasQuery {
		return rest + "?" + query
	}
	return rest
}

func hasSecretParam(s string) bool {
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' }) {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if slices.Contains(secretParams, name) {
			return true
		}
		for _, part := range secretParts {
			if strings.Contains(name, part) {
				return true
			}
		}
	}
	return false
}

// appendField appends a value or "-" when empty, as NGINX does.
func appendField(buf []byte, s string) []byte {
	if s == "" {
		return append(buf, '-')
	}
	return appendEscaped(buf, s)
}

func appendQuoted(buf []byte, s string) []byte {
	if s == "" {
		return append(buf, '-')
	}
	return appendEscaped(buf, s)
}

// appendEscaped escapes like NGINX's log escaping: quotes, backslashes,
// control characters and bytes >= 0x7f become \xHH, so a header can never
// forge a log line.
func appendEscaped(buf []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			buf = append(buf, '\\', 'x', hex[c>>4], hex[c&0xf])
			continue
		}
		buf = append(buf, c)
	}
	return buf
}

// statusRecorder remembers the status and counts body bytes for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// ReadFrom keeps io.Copy's sendfile-style fast path on the underlying writer.
func (s *statusRecorder) ReadFrom(r io.Reader) (int64, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := io.Copy(s.ResponseWriter, r)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flush).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
