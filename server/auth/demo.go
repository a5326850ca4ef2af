package auth

import (
	"crypto/subtle"
	"fmt"
	"os"
	"strings"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

// Credentials published in examples/access, which anyone can read: the
// shared JWT secret of demo-jwt-secret, and the hashes of htpasswd (user
// agent and wde, password "demo-only-change-me"). A test keeps these in
// step with the files.
var (
	demoHMACSecret     = []byte("demo-only-NOT-SECRET-0123456789-abcdefghijklmnop")
	demoHtpasswdHashes = []string{
		"$2y$12$YGKVTY4EB9uMFoB0Wqmk7.Cqv52lRTh3UZLHmfet4u4965TBQCQp2",
		"$2y$12$KOnri72/NBrKPQ8xaY6mWu33L7hQ.KCYdlni5.ZQeGq293wd/c5Vq",
	}
)

// DemoCredential is a published example credential found in the config.
type DemoCredential struct {
	// Key is the config key path, such as "access.jwt.hmacSecretFile".
	Key string
	// What says what was found and what to do instead.
	What string
}

// DemoCredentials lists the credentials in use that were published as
// examples: fine to try softphone on one machine, a hole anywhere else.
// The caller decides which (an error outside a demo, a warning in one).
func (c *Config) DemoCredentials() []DemoCredential {
	var out []DemoCredential
	if j := c.JWT; j.hasSecret() {
		if secret, err := j.secret(); err == nil && subtle.ConstantTimeCompare(secret, demoHMACSecret) == 1 {
			key := "access.jwt.hmacSecret"
			if j.HMACSecretFile != "" {
				key = "access.jwt.hmacSecretFile"
			}
			out = append(out, DemoCredential{key, "the shared secret of examples/access/demo-jwt-secret, so anyone can mint tokens; make one of your own: `openssl rand -base64 48 > /etc/softphone/jwt-secret`"})
		}
	}
	if f := c.BasicAuth.HtpasswdFile; f != "" {
		if data, err := os.ReadFile(f); err == nil {
			var users []string
			for _, line := range strings.Split(string(data), "\n") {
				user, hash, ok := strings.Cut(strings.TrimSpace(line), ":")
				for _, demo := range demoHtpasswdHashes {
					if ok && strings.TrimSpace(hash) == demo {
						users = append(users, user)
					}
				}
			}
			if len(users) > 0 {
				out = append(out, DemoCredential{"access.basicAuth.htpasswdFile", fmt.Sprintf(
					"users %s have the password published in examples/access (demo-only-change-me); re-create them with `softphone passwd USER`", strings.Join(users, ", "))})
			}
		}
	}
	return out
}

// hashWarnings lists the htpasswd file's weak, cheap and costly hashes.
func (b BasicAuthConfig) hashWarnings() []string {
	if !b.Enabled() {
		return nil
	}
	t, err := htpasswd.Load(b.HtpasswdFile)
	if err != nil {
		return nil // Validate reports it
	}
	const key = "access.basicAuth.htpasswdFile: "
	var w []string
	if u := t.Weak(); len(u) > 0 {
		w = append(w, key+"users with weak (unsalted or MD5) hashes: "+strings.Join(u, ", ")+"; re-create them with `softphone passwd USER`")
	}
	if u := t.LowCost(); len(u) > 0 {
		w = append(w, fmt.Sprintf("%susers with a bcrypt cost below %d: %s; re-create them with `softphone passwd USER` (cost %d)", key, htpasswd.MinSafeCost, strings.Join(u, ", "), htpasswd.DefaultCost))
	}
	if u := t.Slow(); len(u) > 0 {
		w = append(w, fmt.Sprintf("%susers with a bcrypt cost above %d: %s; each sign-in check, and each failed one, costs 0.5 s or more of CPU; re-create them with `softphone passwd USER`", key, htpasswd.DefaultCost, strings.Join(u, ", ")))
	}
	if u := t.Cheaper(); len(u) > 0 {
		w = append(w, key+"users whose hash is cheaper to check than the dearest in the file: "+strings.Join(u, ", ")+
			"; an unknown user's check costs as much as the dearest, so these answer faster and timing tells they exist: give every user the same format and cost")
	}
	return w
}
