package server

import (
	"strings"
	"testing"
)

// TestCSPWasmOnlyForVirtualBackgrounds checks that the script-src allows
// compiling WebAssembly exactly when the client config turns virtual
// backgrounds on, and never allows eval() itself.
func TestCSPWasmOnlyForVirtualBackgrounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		on   bool
		want string
	}{
		{"off", false, "script-src 'self';"},
		{"on", true, "script-src 'self' 'wasm-unsafe-eval';"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandler(t, func(c *Config) { c.Client.VirtualBackground = tc.on })
			csp := do(h, "GET", "/", nil).Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, tc.want) {
				t.Errorf("CSP %q lacks %q", csp, tc.want)
			}
			if strings.Contains(strings.ReplaceAll(csp, "'wasm-unsafe-eval'", ""), "unsafe-eval") {
				t.Errorf("CSP allows eval: %q", csp)
			}
		})
	}
}
