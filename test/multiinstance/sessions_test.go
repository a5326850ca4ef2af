package multiinstance

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSharedSessions: a JWT callback session and an OIDC sign-in, each step
// on another instance, are accepted by all three; both survive restarting
// every instance; rotating the key file keeps them, and sessions made after
// the rotation are signed with the new key.
func TestSharedSessions(t *testing.T) {
	oldKey := newKey()
	c := startCluster(t, true, oldKey)

	// JWT: the identity provider sends the browser to the callback through
	// the balancer.
	jwtB := c.browser()
	p := jwtB.get(c.viaLB("/auth/callback?jwt=" + callbackToken(t, "agent-7")))
	if p.status != http.StatusSeeOther || p.by == "" {
		t.Fatalf("JWT callback through the balancer: status %d from %q, want 303 from an instance:\n%s", p.status, p.by, p.body)
	}
	next := jwtB.get(c.viaLB(p.loc.RequestURI()))
	if next.status != 200 || next.by == p.by {
		t.Errorf("page after the JWT callback: status %d from %s (callback on %s), want 200 from another instance", next.status, next.by, p.by)
	}
	jwtB.wantOnEach("JWT session", 200)

	// OIDC: the sign-in starts on one instance, the provider's callback
	// lands on a second and the page on a third.
	oidcB := c.browser()
	start := oidcB.get(c.viaLB("/index.html?lang=fr"))
	if start.status != http.StatusFound || start.loc == nil || !strings.HasPrefix(start.loc.String(), c.op+"/auth?") {
		t.Fatalf("page without a session: status %d, Location %v; want 302 to %s/auth", start.status, start.loc, c.op)
	}
	login := oidcB.follow(start, "")
	consent := oidcB.follow(oidcB.submit(login, "/login", url.Values{"login": {"agent7"}, "password": {"agent7-password"}}), "")
	if !strings.Contains(consent.body, "Allow access") {
		t.Fatalf("provider consent page: status %d at %s:\n%s", consent.status, consent.url, consent.body)
	}
	back := oidcB.follow(oidcB.submit(consent, "/confirm", nil), c.viaLB("/auth/oidc/callback"))
	if back.loc == nil || back.loc.Query().Get("code") == "" {
		t.Fatalf("the provider did not send the browser back with a code: status %d, Location %v", back.status, back.loc)
	}
	cb := oidcB.get(back.loc.String())
	if cb.status != http.StatusSeeOther || cb.loc == nil || cb.loc.RequestURI() != "/index.html?lang=fr" {
		t.Fatalf("OIDC callback on %s (sign-in started on %s): status %d, Location %v; want 303 to /index.html?lang=fr:\n%s",
			cb.by, start.by, cb.status, cb.loc, cb.body)
	}
	page := oidcB.get(c.viaLB(cb.loc.RequestURI()))
	if page.status != 200 {
		t.Fatalf("page after the OIDC sign-in (on %s): status %d, want 200", page.by, page.status)
	}
	if start.by == cb.by || cb.by == page.by || start.by == "" || cb.by == "" || page.by == "" {
		t.Errorf("OIDC steps on %q, %q, %q: want each on another instance (round robin)", start.by, cb.by, page.by)
	}
	t.Logf("OIDC sign-in: started on %s, callback on %s, page on %s; JWT callback on %s, page on %s", start.by, cb.by, page.by, p.by, next.by)
	oidcB.wantOnEach("OIDC session", 200)
	c.browser().wantOnEach("no session", http.StatusFound)

	// Every instance restarted: nothing lives in a process.
	c.restartAll()
	jwtB.wantOnEach("JWT session after restarting every instance", 200)
	oidcB.wantOnEach("OIDC session after restarting every instance", 200)

	// Rotation: a new key first, the old one kept.
	newK := newKey()
	before := c.keyReloads()
	c.writeKeys(newK, oldKey)
	c.waitKeyReload(before)
	jwtB.wantOnEach("JWT session made before the rotation", 200)
	oidcB.wantOnEach("OIDC session made before the rotation", 200)
	newB := c.browser()
	if p := newB.get(c.viaLB("/auth/callback?jwt=" + callbackToken(t, "agent-8"))); p.status != http.StatusSeeOther {
		t.Fatalf("JWT callback after the rotation: status %d", p.status)
	}
	newB.wantOnEach("JWT session made after the rotation", 200)

	// The old key removed: only the session made after the rotation stays,
	// so it was signed with the new key.
	before = c.keyReloads()
	c.writeKeys(newK)
	c.waitKeyReload(before)
	newB.wantOnEach("session made after the rotation, old key removed", 200)
	jwtB.wantOnEach("JWT session signed with the removed key", http.StatusFound)
	oidcB.wantOnEach("OIDC session signed with the removed key", http.StatusFound)
}
