package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
)

// serveCallback completes a browser sign-in: the identity provider sends
// the browser here with ?jwt=<token>. A verified token that was not seen
// before becomes a session cookie, and the browser is sent on to the page
// it first asked for, so the token is gone from the address bar and from
// any Referer.
func (g *Gate) serveCallback(w http.ResponseWriter, r *http.Request, info *reqinfo.Info) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	// GET only: a HEAD from a link checker must not use up the token.
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		info.Gate = "denied:jwt-method"
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	raw := q.Get("jwt")
	if raw == "" {
		info.Gate = "denied:jwt-missing"
		http.Error(w, "400 missing jwt parameter", http.StatusBadRequest)
		return
	}
	id, err := g.jwt.verify(r.Context(), raw)
	if err == nil && id.ID == "" {
		err = refuse("no-jti", errString("callback tokens must carry a jti claim"))
	}
	if err == nil && !g.remember(id) {
		err = refuse("replay", errString("token already used"))
	}
	if err != nil {
		info.Gate = "denied:jwt-" + refusal(err)
		g.logger.Info("sign-in callback refused", "reason", refusal(err), "err", err)
		http.Error(w, "401 sign-in failed: "+refusal(err), http.StatusUnauthorized)
		return
	}
	session, exp, err := g.sessions.issue(id)
	if err != nil {
		info.Gate = "denied:jwt-session"
		g.logger.Error("cannot mint session", "err", err)
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	info.User, info.Gate = id.name(), "jwt"

	target := q.Get("return_to")
	if target == "" {
		if c, err := r.Cookie(g.cfg.JWT.CookieName + returnCookieSuffix); err == nil {
			target, _ = url.QueryUnescape(c.Value)
		}
	}
	target = safeReturnTo(target, g.basePath)
	g.setCookie(w, g.cfg.JWT.CookieName, session, g.cookiePath, exp)
	g.clearCookie(w, g.cfg.JWT.CookieName+returnCookieSuffix, g.callbackPath)
	// Location is set by hand: http.Redirect would resolve it against the
	// request path. target is a checked same-origin path.
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusSeeOther)
}

// remember records a callback token's ID until it expires, and reports
// false if it was already there: each sign-in token works once.
func (g *Gate) remember(id identity) bool {
	sum := sha256.Sum256([]byte(id.Subject + "\x00" + id.ID))
	key := hex.EncodeToString(sum[:])
	// Kept past expiry by the leeway, during which the token still verifies.
	// ContainsOrAdd is atomic, so two racing uses of one token cannot both pass.
	seen, _ := g.replay.ContainsOrAdd(key, id.Expiry.Add(g.cfg.JWT.Leeway+time.Second))
	return !seen
}

type errString string

func (e errString) Error() string { return string(e) }
