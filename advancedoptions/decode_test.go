package advancedoptions

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		path      string
		msg       string
		line, col int
	}{
		{
			name: "unknown top-level key with did-you-mean",
			yaml: "advancedOptions:\n  defaultServerConfg:\n    sipDomain: example.com\n",
			path: "advancedOptions.defaultServerConfg", msg: `unknown key, did you mean "defaultServerConfig"?`, line: 2, col: 3,
		},
		{
			name: "case typo suggests the exact spelling",
			yaml: "advancedOptions:\n  acdClientConfig: {enabled: true}\n",
			path: "advancedOptions.acdClientConfig", msg: `did you mean "ACDClientConfig"?`, line: 2, col: 3,
		},
		{
			name: "unknown nested key",
			yaml: "advancedOptions:\n  defaultServerConfig:\n    sipDomian: example.com\n",
			path: "advancedOptions.defaultServerConfig.sipDomian", msg: `did you mean "sipDomain"?`, line: 3, col: 5,
		},
		{
			name: "unknown key far from any lists the allowed ones",
			yaml: "advancedOptions:\n  layoutConfig:\n    colors: dark\n",
			path: "advancedOptions.layoutConfig.colors", msg: "unknown key; allowed: alwaysShowFullCallsList", line: 3, col: 5,
		},
		{
			name: "string instead of bool",
			yaml: "advancedOptions:\n  isVideoEnabled: \"yes\"\n",
			path: "advancedOptions.isVideoEnabled", msg: `must be true or false, got "yes"`, line: 2, col: 19,
		},
		{
			name: "float instead of int",
			yaml: "advancedOptions:\n  noAnswerTimeout: 1.5\n",
			path: "advancedOptions.noAnswerTimeout", msg: "must be an integer, got 1.5", line: 2, col: 20,
		},
		{
			name: "scalar instead of list",
			yaml: "advancedOptions:\n  defaultServerConfig:\n    sipServerAddress: wss://sbc.example.com\n",
			path: "advancedOptions.defaultServerConfig.sipServerAddress", msg: `must be a list, got "wss://sbc.example.com"`, line: 3, col: 23,
		},
		{
			name: "number instead of string",
			yaml: "advancedOptions:\n  defaultServerConfig:\n    sipDomain: 42\n",
			path: "advancedOptions.defaultServerConfig.sipDomain", msg: "must be a string, got 42", line: 3, col: 16,
		},
		{
			name: "list instead of mapping",
			yaml: "advancedOptions:\n  modes: [1, 2]\n",
			path: "advancedOptions.modes", msg: "must be a mapping, got a list", line: 2, col: 10,
		},
		{
			name: "duplicate key",
			yaml: "advancedOptions:\n  modes:\n    ice_timeout_fix: 1000\n    ice_timeout_fix: 3000\n",
			path: "advancedOptions.modes.ice_timeout_fix", msg: "key set twice", line: 4, col: 5,
		},
		{
			name: "free-form map value must be text",
			yaml: "advancedOptions:\n  customerInfoContextDisplayMapping:\n    VIPLevel: 3\n",
			path: "advancedOptions.customerInfoContextDisplayMapping.VIPLevel", msg: "must be a string, got 3 (quote it)", line: 3, col: 15,
		},
		{
			name: "section not a mapping",
			yaml: "advancedOptions: 5\n",
			path: "advancedOptions", msg: "must be a mapping, got 5", line: 1, col: 18,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileString(t, tc.yaml)
			d := findDiag(t, err, tc.path)
			if !strings.Contains(d.Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", d.Message, tc.msg)
			}
			if d.Line != tc.line || d.Col != tc.col {
				t.Errorf("position = %d:%d, want %d:%d", d.Line, d.Col, tc.line, tc.col)
			}
			if d.File != "softphone.yaml" {
				t.Errorf("file = %q, want softphone.yaml", d.File)
			}
		})
	}
}

func TestDecodeReportsAllErrorsAtOnce(t *testing.T) {
	_, err := compileString(t, `advancedOptions:
  isVideoEnabled: 1
  noAnswerTimeout: x
  bogus: true
  dtmfDuration: 5
`)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want Errors", err)
	}
	if len(errs) != 4 {
		t.Fatalf("got %d errors, want 4 (three decode errors and one range error):\n%v", len(errs), err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "softphone.yaml:2:19: advancedOptions.isVideoEnabled: ") {
		t.Errorf("Error() = %q, want one file:line:col: path: message line per error", err.Error())
	}
}

func TestAliasesAndNullsDecode(t *testing.T) {
	res, err := compileString(t, `advancedOptions:
  defaultServerConfig:
    sipDomain: &dom example.com
    sipServerAddress: &sbcs ["wss://sbc.example.com:10081"]
  registerExpires: ~
  localizationConfig:
    defaultLanguageResourceURL: *dom
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Options.LocalizationConfig.DefaultLanguageResourceURL; got != "example.com" {
		t.Errorf("alias value = %q, want example.com", got)
	}
	if res.Options.RegisterExpires != nil {
		t.Errorf("registerExpires = %d, want unset for null", *res.Options.RegisterExpires)
	}
}

func TestAliasBombIsRefused(t *testing.T) {
	src := "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		src += strings.Replace("aN: &aN [*aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP, *aP]\n", "N", string(rune('0'+i)), 2)
		src = strings.ReplaceAll(src, "aP", "a"+string(rune('0'+i-1)))
	}
	src += "advancedOptions:\n  codecFilter:\n    audio:\n      remove: *a8\n"
	_, err := compileString(t, src)
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v, want a too large error", err)
	}
}

// findDiag returns the diagnostic of err at path, failing when there is none.
func findDiag(t *testing.T, err error, path string) Diagnostic {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want Errors with %s", err, path)
	}
	for _, d := range errs {
		if d.Path == path {
			return d
		}
	}
	t.Fatalf("no error at %s; got:\n%v", path, err)
	return Diagnostic{}
}

func TestMergeKeys(t *testing.T) {
	res, err := compileString(t, `common: &common
  providerType: OIDC
  authority: https://sso.example.com
  clientId: shared
advancedOptions:
  defaultServerConfig:
    sipServerAddress: ["wss://sbc.example.com"]
  authProvidersConfig:
    providers:
      - <<: *common
        providerLoginName: SSO A
      - <<: *common
        providerLoginName: SSO B
        clientId: own
`)
	if err != nil {
		t.Fatal(err)
	}
	ps := res.Options.AuthProvidersConfig.Providers
	if len(ps) != 2 || ps[0].ClientID != "shared" || ps[1].ClientID != "own" || ps[1].Authority != "https://sso.example.com" {
		t.Errorf("providers = %+v, want merged common keys with explicit clientId winning", ps)
	}
}

func BenchmarkCompile(b *testing.B) {
	section := parseSection(b, string(mustRead(b, "testdata/render/full.yaml")))
	for b.Loop() {
		if _, err := Compile(section, "full.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
