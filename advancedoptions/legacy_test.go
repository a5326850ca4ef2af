package advancedoptions

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/softphone/softphone/internal/testenv"
)

const legacyExample = "../examples/legacy/advancedOptions.js"

// TestLegacyExampleGolden: the example legacy file through "softphone
// migrate" (YAML and report) and then "softphone render".
func TestLegacyExampleGolden(t *testing.T) {
	src, err := os.ReadFile(legacyExample)
	if err != nil {
		t.Fatal(err)
	}
	im, err := ImportLegacy(src, "advancedOptions.js")
	if err != nil {
		t.Fatalf("import:\n%v", err)
	}
	golden(t, "legacy/advancedOptions.yaml", im.YAML)
	golden(t, "legacy/advancedOptions.report", report(im.Migrations, im.Warnings, nil))

	// The YAML printed by migrate is what the admin pastes into softphone.yaml.
	res, err := compileString(t, string(im.YAML))
	if err != nil {
		t.Fatalf("migrated YAML does not compile:\n%v", err)
	}
	if len(res.Migrations) != 0 {
		t.Errorf("migrated YAML still needs migrations: %v", res.Migrations)
	}
	golden(t, "legacy/advancedOptions.rendered.js", res.JS)

	// Every deprecated key of the manual is in the example.
	deprecated := []string{"defaultOAuthConfig", "supportedAuthenticationSchemes", "autoplayNotificationOptions",
		"maxSizeForCallHistory", "notReadyStatusValue", "supported:", "sipIpsServers"}
	for _, k := range deprecated {
		if !strings.Contains(string(src), k) {
			t.Errorf("example lacks deprecated key %s", k)
		}
	}
	for _, old := range []string{"defaultOAuthConfig", "supportedAuthenticationSchemes", "autoplayNotificationOptions",
		"maxSizeForCallHistory", "notReadyStatusValue", "localVideoFilter.supported", "sipIpsServers"} {
		found := false
		for _, m := range im.Migrations {
			if strings.Contains(m.Old, old) {
				found = true
			}
		}
		if !found {
			t.Errorf("no migration reported for %s", old)
		}
	}
}

// TestLegacyMeaningPreserved evaluates the legacy file and the rendered file
// in Node.js and checks that the rendered globals carry every legacy value,
// at its new place for deprecated keys, as the manual maps them.
func TestLegacyMeaningPreserved(t *testing.T) {
	node := testenv.LookPath(t, "node", "nodejs")
	src, err := os.ReadFile(legacyExample)
	if err != nil {
		t.Fatal(err)
	}
	im, err := ImportLegacy(src, "advancedOptions.js")
	if err != nil {
		t.Fatal(err)
	}
	res, err := compileString(t, string(im.YAML))
	if err != nil {
		t.Fatal(err)
	}
	old := evalGlobals(t, node, src)
	now := evalGlobals(t, node, res.JS)
	get := func(m map[string]any, path string) any {
		var v any = m
		for _, k := range strings.Split(path, ".") {
			mm, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = mm[k]
		}
		return v
	}
	moved := map[string]string{ // deprecated legacy path -> new path, per the manual
		"autoplayNotificationOptions":                         "notificationOptions.autoplay",
		"maxSizeForCallHistory":                               "callHistoryConfig.maxEntries",
		"ACDClientConfig.notReadyStatusValue":                 "ACDClientConfig.notReadyDefaultReasonCode",
		"localVideoFilter.supported":                          "localVideoFilter.virtualBackgroundSupported",
		"defaultOAuthConfig.msal.authority":                   "authProvidersConfig.providers.0.authority",
		"defaultOAuthConfig.accessTokenRefreshRetries":        "authProvidersConfig.providers.0.authRefreshRetriesForSipError",
		"defaultOAuthConfig.forceLoginPromptOnEmptyCache":     "authProvidersConfig.providers.0.forceLoginPromptOnEmptyCache",
		"defaultOAuthConfig.msal.SIP_DN_Attribute_name":       "authProvidersConfig.providers.0.sipAttributes.SIP_DN_Attribute_name",
		"defaultOAuthConfig.msal.SIP_Password_Attribute_name": "authProvidersConfig.providers.0.sipAttributes.SIP_Password_Attribute_name",
		"defaultOAuthConfig.protocolMode":                     "authProvidersConfig.providers.0.providerType",
		"defaultOAuthConfig.clientId":                         "authProvidersConfig.providers.0.clientId",
		"defaultOAuthConfig.endpointUrl":                      "authProvidersConfig.providers.0.endpointUrl",
	}
	// Lists in the path: providers.0 -> index into the list.
	now["authProvidersConfig"].(map[string]any)["providers"] = listToMap(get(now, "authProvidersConfig.providers"))
	for from, to := range moved {
		if ov, nv := get(old, from), get(now, to); ov == nil || !reflect.DeepEqual(ov, nv) {
			t.Errorf("legacy %s = %v, rendered %s = %v; want equal", from, ov, to, nv)
		}
	}
	if name := get(now, "authProvidersConfig.providers.0.providerLoginName"); name == nil || get(now, "authProvidersConfig.mandatoryProviderLoginName") != name {
		t.Errorf("supportedAuthenticationSchemes [oauth]: mandatoryProviderLoginName = %v, want the migrated provider %v",
			get(now, "authProvidersConfig.mandatoryProviderLoginName"), name)
	}
	ice := get(now, "defaultServerConfig.sipIceServers").([]any)
	for i, s := range get(old, "defaultServerConfig.sipIpsServers").([]any) {
		if ice[i] != "stun:"+s.(string) {
			t.Errorf("sipIceServers[%d] = %v, want stun:%v", i, ice[i], s)
		}
	}
	pe := map[string]any{"enabled": true, "contactCenterPlatform": "genesys_pure_engage", "serviceName": "Genesys Pure Engage",
		"customSipHeaderNames": map[string]any{"contactCenterCallUuidHeader": "x-genesys-calluuid"}}
	if got := get(now, "contactCenterConfig.integrations").([]any); len(got) != 1 || !reflect.DeepEqual(got[0], pe) {
		t.Errorf("contactCenterConfig.integrations = %v, want the manual's Genesys Pure Engage entry %v", got, pe)
	}
	// Every other legacy value is rendered unchanged (defaults may be added).
	for key, ov := range old {
		if key == "defaultOAuthConfig" || key == "supportedAuthenticationSchemes" {
			continue
		}
		if _, gone := moved[key]; gone {
			continue
		}
		if msg := subset(ov, now[key], key, moved); msg != "" {
			t.Error(msg)
		}
	}
}

func listToMap(v any) map[string]any {
	out := map[string]any{}
	for i, item := range v.([]any) {
		out[fmt.Sprint(i)] = item
	}
	return out
}

// subset reports where want is not contained in got; keys in skip are moved ones.
func subset(want, got any, path string, skip map[string]string) string {
	if _, moved := skip[path]; moved {
		return ""
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s = %v, want an object %v", path, got, want)
		}
		for k, wv := range w {
			if path == "defaultServerConfig" && k == "sipIpsServers" {
				continue
			}
			if msg := subset(wv, g[k], path+"."+k, skip); msg != "" {
				return msg
			}
		}
		return ""
	default:
		if !reflect.DeepEqual(want, got) {
			return fmt.Sprintf("%s = %v, want %v as in the legacy file", path, got, want)
		}
		return ""
	}
}

func TestImportLegacyErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"function call", "var a = 1;\nvar defaultServerConfig = getConfig();\n", 2, 27, "must be a literal (string, number, boolean, null, undefined, object or array), got a function call"},
		{"variable reference", "var x = {a: 1};\nvar y = {b: x};\n", 2, 13, "got the variable x"},
		{"expression", "var registerExpires = 60 * 10;\n", 1, 23, "got an expression"},
		{"template with substitution", "var s = `a${1}`;\n", 1, 9, "template with substitutions"},
		{"shorthand property", "var b = 1;\nvar o = {\n  b,\n};\n", 3, 3, "shorthand property b"},
		{"getter", "var o = {get x() { return 1; }};\n", 1, 14, "getter, setter, method or computed key"},
		{"computed key", "var o = {['a' + 'b']: 1};\n", 1, 11, "computed key"},
		{"spread", "var a = [1];\nvar b = [...a];\n", 2, 13, "spread"},
		{"statement", "var a = 1;\nif (a) { a = 2; }\n", 2, 1, "only \"var NAME = literal;\" statements are allowed, got a IfStatement"},
		{"call statement", "alert('x');\n", 1, 1, "got a function call"},
		{"array hole", "var a = [1,,2];\n", 1, 9, "array holes"},
		{"syntax error", "var a = {b: 1;\n", 1, 14, "javascript syntax error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ImportLegacy([]byte(tc.src), "old.js")
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("err = %v, want Errors", err)
			}
			d := errs[0]
			if d.Line != tc.line || d.Col != tc.col || !strings.Contains(d.Message, tc.msg) || d.File != "old.js" {
				t.Errorf("error = %s\nwant old.js:%d:%d: ...%s", d, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestImportLegacyLiterals(t *testing.T) {
	src := `"use strict";
/* block */
var a = {
  'single': 'quoted',
  "double": "quoted",
  ident: undefined,
  n: -5, f: 1.5, big: 2.0, hex: 0x10,
  t: ` + "`template`" + `,
  nul: null,
  list: [1, 'two', true, undefined,],
  42: 'numeric key',
};
let b = true;
const c = "x";
window.d = 'w';
e = 'e';
var unset;
var f = 'first';
var f = 'second';
;
`
	im, err := ImportLegacy([]byte(src), "old.js")
	if err != nil {
		t.Fatal(err)
	}
	want := `advancedOptions:
  a:
    single: quoted
    double: quoted
    n: -5
    f: 1.5
    big: 2
    hex: 16
    t: template
    nul: null
    list:
      - 1
      - two
      - true
      - null
    "42": numeric key
  b: true
  c: x
  d: w
  e: e
  f: second
`
	want = "# advancedOptions migrated from old.js by softphone migrate;\n# review it, then make it the advancedOptions section of softphone.yaml.\n" + want
	if string(im.YAML) != want {
		t.Errorf("YAML =\n%s\nwant\n%s", im.YAML, want)
	}
	var again, ccc bool
	for _, w := range im.Warnings {
		again = again || strings.Contains(w.Message, "declared again") && w.Line == 19
		ccc = ccc || w.Path == "advancedOptions.contactCenterConfig" && strings.Contains(w.Message, "Genesys Pure Engage")
	}
	if !again || !ccc || len(im.Warnings) != 2 {
		t.Errorf("warnings = %v, want f declared again at line 19 and the Pure Engage hint", im.Warnings)
	}
}

func TestImportLegacyRoundTrip(t *testing.T) {
	// A rendered advancedOptions.js is itself a legacy file: importing it
	// must give back the same configuration.
	src, err := os.ReadFile("testdata/render/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := compileString(t, string(src))
	if err != nil {
		t.Fatal(err)
	}
	im, err := ImportLegacy(res.JS, "rendered.js")
	if err != nil {
		t.Fatalf("import rendered file:\n%v", err)
	}
	if len(im.Migrations) != 0 {
		t.Errorf("rendered file needed migrations: %v", im.Migrations)
	}
	again, err := Compile(im.Section, "rendered.js")
	if err != nil {
		t.Fatalf("compile imported file:\n%v", err)
	}
	if string(again.JS) != string(res.JS) {
		t.Errorf("render -> import -> render changed the file:\n%s\nwant\n%s", again.JS, res.JS)
	}
}

func TestImportLegacyBOM(t *testing.T) {
	im, err := ImportLegacy([]byte("\xef\xbb\xbfvar registerExpires = 600;\r\n"), "bom.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(im.YAML), "registerExpires: 600") {
		t.Errorf("YAML = %s, want registerExpires: 600", im.YAML)
	}
	if _, err := ImportLegacy([]byte("var a = '\xff';"), "latin1.js"); err == nil || !strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("err = %v, want a not UTF-8 error", err)
	}
}
