package auth

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
)

// returnCookieSuffix names the short-lived cookie that remembers the page a
// browser asked for while it signs in, for identity providers that do not
// pass return_to back.
const returnCookieSuffix = "_return"

// returnCookieTTL is how long a sign-in may take.
const returnCookieTTL = 10 * time.Minute

// Middleware enforces the gate in front of next. Apply it to everything
// under basePath; /healthz is always let through. It serves the JWT
// callback path and the OIDC redirect and logout paths itself, and records
// in reqinfo who was let in (User, and Gate "basic", "jwt", "oidc" or "ip")
// or why not (Gate "denied:...").
func (g *Gate) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == healthPath {
			next.ServeHTTP(w, r)
			return
		}
		info := reqinfo.From(r.Context())
		client := ClientIP(r, g.trusted)
		if len(g.allowed) > 0 && !containsAddr(g.allowed, client) {
			info.Gate = "denied:ip"
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "403 forbidden", http.StatusForbidden)
			return
		}
		if g.jwt != nil && r.URL.Path == g.callbackPath {
			g.serveCallback(w, r, info)
			return
		}
		if g.oidc != nil {
			switch r.URL.Path {
			case g.oidc.callbackPath:
				g.serveOIDCCallback(w, r, info)
				return
			case g.oidc.logoutPath:
				g.serveLogout(w, r, info)
				return
			}
		}
		if g.basic == nil && g.jwt == nil && g.oidc == nil {
			if len(g.allowed) > 0 {
				info.Gate = "ip"
			}
			next.ServeHTTP(w, r)
			return
		}

		scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		switch {
		case g.basic != nil && strings.EqualFold(scheme, "Basic"):
			g.serveBasic(w, r, next, info, client)
			return
		case g.jwt != nil && strings.EqualFold(scheme, "Bearer"):
			g.serveBearer(w, r, next, info, strings.TrimSpace(cred))
			return
		}
		if g.sessions != nil && g.serveSession(w, r, next, info) {
			return
		}
		if g.jwt != nil && g.cfg.JWT.LoginURL != "" && isNavigation(r) {
			info.Gate = "login"
			g.redirectToLogin(w, r)
			return
		}
		if g.oidc != nil && isNavigation(r) {
			g.startOIDC(w, r, info)
			return
		}
		info.Gate = "denied:no-credentials"
		g.challenge(w, "")
	})
}

func (g *Gate) serveBearer(w http.ResponseWriter, r *http.Request, next http.Handler, info *reqinfo.Info, token string) {
	id, err := g.jwt.verify(r.Context(), token)
	if err == nil && g.usedAtCallback(id) {
		err = refuse("replay", errString("token already used to sign in"))
	}
	if err != nil {
		info.Gate = "denied:jwt-" + refusal(err)
		g.logger.Debug("bearer token refused", "reason", refusal(err), "err", err)
		g.challenge(w, `error="invalid_token"`)
		return
	}
	info.User, info.Gate = id.name(), "jwt"
	next.ServeHTTP(w, r)
}

// serveSession lets the request in if it carries a valid session cookie,
// and reports whether it did. A stale or foreign cookie is cleared. The JWT
// and OIDC gates sign sessions with one key, so either's cookie works.
func (g *Gate) serveSession(w http.ResponseWriter, r *http.Request, next http.Handler, info *reqinfo.Info) bool {
	for _, s := range g.sessionCookies() {
		c, err := r.Cookie(s.name)
		if err != nil || c.Value == "" {
			continue
		}
		id, err := g.sessions.verify(c.Value, g.cfg.JWT.MaxTokenBytes)
		if err != nil {
			g.clearCookie(w, s.name, g.cookiePath)
			continue
		}
		info.User, info.Gate = id.name(), s.gate
		next.ServeHTTP(w, r)
		return true
	}
	return false
}

type sessionCookie struct{ name, gate string }

// sessionCookies lists the session cookie names in use, each with the
// gate name the access log shows for it.
func (g *Gate) sessionCookies() []sessionCookie {
	var list []sessionCookie
	if g.jwt != nil {
		list = append(list, sessionCookie{g.cfg.JWT.CookieName, "jwt"})
	}
	if g.oidc != nil && (g.jwt == nil || g.cfg.OIDC.CookieName != g.cfg.JWT.CookieName) {
		list = append(list, sessionCookie{g.cfg.OIDC.CookieName, "oidc"})
	}
	return list
}

// serveBasic checks basic credentials. A login remembered from an earlier
// check passes without counting; every other attempt is counted before its
// password is checked (so parallel guesses cannot slip past the limit) and
// refunded when the password was right.
func (g *Gate) serveBasic(w http.ResponseWriter, r *http.Request, next http.Handler, info *reqinfo.Info, client netip.Addr) {
	now := g.now()
	user, pass, ok := r.BasicAuth()
	if ok && g.basic.cachedLogin(user, pass, now) {
		// The per-address limit never turns away a login already proven;
		// the user's own limit at this address does, or a guesser held
		// there could test passwords against remembered logins at full
		// speed and learn the right one from the first 200.
		if blocked, wait := g.basic.limiter.userBlocked(user, client, now); blocked {
			g.tooManyFailures(w, info, wait)
			return
		}
		info.User, info.Gate = logSafe(user), "basic"
		next.ServeHTTP(w, r)
		return
	}
	// A check of the same credentials already running (a page's assets
	// sent at once) is waited for rather than counted and queued again:
	// it is the same guess. Not for a user held at this address.
	v, joined := wrong, false
	if blocked, _ := g.basic.limiter.userBlocked(user, client, now); ok && !blocked {
		v, joined = g.basic.join(r.Context(), user, pass)
	}
	if !joined {
		if allowed, wait := g.basic.limiter.begin(user, client, now); !allowed {
			g.tooManyFailures(w, info, wait)
			return
		}
		v = wrong
		if ok {
			v = g.basic.check(r.Context(), client, user, pass, now)
		}
	}
	switch v {
	case verified:
		if !joined {
			g.basic.limiter.refund(user, client, now)
		}
		info.User, info.Gate = logSafe(user), "basic"
		next.ServeHTTP(w, r)
		return
	case busy, gone:
		if !joined {
			g.basic.limiter.refund(user, client, now)
		}
		info.Gate = "denied:busy"
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "429 too many sign-in checks at once, try again shortly", http.StatusTooManyRequests)
		return
	}
	info.Gate = "denied:basic"
	g.logger.Debug("basic auth failed", "user", logSafe(user), "client", client.String())
	g.challenge(w, "")
}

func (g *Gate) tooManyFailures(w http.ResponseWriter, info *reqinfo.Info, wait time.Duration) {
	info.Gate = "denied:rate-limit"
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "429 too many failed logins, try again later", http.StatusTooManyRequests)
}

// challenge answers 401 with a challenge for each configured scheme
// (RFC 9110 section 11.6.1 allows several WWW-Authenticate fields).
func (g *Gate) challenge(w http.ResponseWriter, bearerParams string) {
	if g.basic != nil {
		w.Header().Add("WWW-Authenticate", `Basic realm="`+g.basic.realm+`", charset="UTF-8"`)
	}
	if g.jwt != nil || g.oidc != nil {
		c := `Bearer realm="` + g.cfg.BasicAuth.Realm + `"`
		if bearerParams != "" {
			c += ", " + bearerParams
		}
		w.Header().Add("WWW-Authenticate", c)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "401 unauthorized", http.StatusUnauthorized)
}

// isNavigation reports a browser loading a page (not a script, an image or
// an API call), which can be sent to the sign-in page.
func isNavigation(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if mode := r.Header.Get("Sec-Fetch-Mode"); mode != "" {
		return mode == "navigate"
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

func (g *Gate) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := safeReturnTo(r.URL.RequestURI(), g.basePath)
	u, _ := url.Parse(g.cfg.JWT.LoginURL) // checked by Validate
	q := u.Query()
	q.Set("return_to", target)
	u.RawQuery = q.Encode()
	http.SetCookie(w, &http.Cookie{
		Name: g.cfg.JWT.CookieName + returnCookieSuffix, Value: url.QueryEscape(target),
		Path: g.callbackPath, MaxAge: int(returnCookieTTL / time.Second),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (g *Gate) setCookie(w http.ResponseWriter, name, value, path string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: path,
		Expires: expires, MaxAge: int(time.Until(expires) / time.Second),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
}

func (g *Gate) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}
