package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
)

// Middleware counts every request by status and route class, the response
// bytes and the time taken, and the access gate's denials by reason (read
// from what the gate records in reqinfo). It must run inside the layer
// that attaches reqinfo (the access log) and outside the gate. routeClass
// must return one of a small fixed set of names; see RouteClasses.
// On a nil *Metrics it returns next unchanged.
func (m *Metrics) Middleware(routeClass func(*http.Request) string) func(http.Handler) http.Handler {
	if m == nil {
		return func(next http.Handler) http.Handler { return next }
	}
	if routeClass == nil {
		routeClass = func(*http.Request) string { return RouteOther }
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			route := routeClass(r) // before next, which may rewrite the path
			rec := &recorder{ResponseWriter: w}
			defer func() {
				// Counted even when next panics (net/http recovers it): the
				// client saw a broken response, which is worth knowing.
				status := rec.status
				if status == 0 {
					status = http.StatusOK
				}
				m.requests.WithLabelValues(strconv.Itoa(status), route).Inc()
				m.bytes.WithLabelValues(route).Add(float64(rec.bytes))
				m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
				if reason, ok := strings.CutPrefix(reqinfo.From(r.Context()).Gate, "denied:"); ok {
					m.GateDenied(reason)
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// recorder notes the status and body bytes. Unwrap lets
// http.ResponseController reach Flush and deadlines of the real writer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush passes through for streaming responses.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

var _ http.Flusher = (*recorder)(nil)
