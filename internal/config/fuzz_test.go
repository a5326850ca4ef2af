package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/advancedoptions"
)

// FuzzLoadConfigBytes feeds arbitrary softphone.yaml files to the config
// loader (YAML, unknown keys, strict decoding, defaults, validation, the
// client config). It must never panic; a refusal is an Errors whose
// every diagnostic has a message, errors first; an accepted config validates and
// carries a rendered advancedOptions.js.
func FuzzLoadConfigBytes(f *testing.F) {
	for _, p := range exampleConfigs(f) {
		if b, err := os.ReadFile(filepath.Join(repoRoot, p)); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"",
		"listen: \":8443\"\nbasePath: /webrtc_client/\n",
		"listen: [unclosed\n",
		"- a\n- b\n",
		"basepath: /x/\nBASEPATH: /y/\n",
		"timeouts: {read: -1s, write: 1y, idle: \"\"}\n",
		"tls: {mode: files, certFile: \"\", keyFile: x}\n",
		"access: {allowedIPs: [\"10.0.0.0/33\", \"::1\"], jwt: {algorithms: [none]}}\n",
		"headers: {frameAncestors: [\"'self'; script-src *\"], hstsMaxAge: -1}\n",
		"a: &a [*a, *a]\nb: &b [*a, *a]\n",
		"advancedOptions:\n  defaultServerConfig: {sipDomain: example.com, sipServerAddress: [\"wss://sbc.example.com:10081\"]}\n",
		"advancedOptions: !!binary aGVsbG8=\n",
		"advancedOptions:\n  customerInfoContextDisplayMapping: {A: 1, a: 2}\n",
		"advancedoptions: {defaultServerConfig: {sipDomain: \"\\u2028\"}}\nadvancedOptions: {}\n",
		"log: {access: \"\", format: xml, level: LOUD}\n",
		"listen: 99999999999999999999\nredirectListen: 1e400\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		l, err := LoadBytes("fuzz.yaml", src, nil, nil)
		if err != nil {
			var ce Errors
			if !errors.As(err, &ce) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			if len(ce) == 0 || ce[0].Severity != advancedoptions.SeverityError {
				t.Fatalf("a refused config with no error: %v", ce)
			}
			for _, d := range ce {
				if strings.TrimSpace(d.Message) == "" {
					t.Fatalf("an empty message among %v", ce)
				}
			}
			return
		}
		if err := l.Server.Validate(); err != nil {
			t.Fatalf("accepted a config that does not validate: %v\n%s", err, src)
		}
		if len(l.Server.Client.JS) == 0 {
			t.Fatalf("accepted a config without a rendered advancedOptions.js\n%s", src)
		}
	})
}
