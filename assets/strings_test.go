package assets

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

var update = flag.Bool("update", false, "rewrite files/static/localization/strings-default.json from the web client's defaults")

// stringifyLiteral parses a JavaScript object literal of string values and
// prints it as JSON.stringify(literal, null, 2) does, in the literal's order.
func stringifyLiteral(t *testing.T, literal string) string {
	t.Helper()
	prog, err := parser.ParseFile(nil, clientDefaults, "var defaultStrings = "+literal+";", 0, parser.WithDisableSourceMaps)
	if err != nil {
		t.Fatalf("%s: defaultStrings: %v", clientDefaults, err)
	}
	decl, ok := prog.Body[0].(*ast.VariableStatement)
	if !ok || len(decl.List) != 1 {
		t.Fatalf("%s: defaultStrings is not one object literal", clientDefaults)
	}
	obj, ok := decl.List[0].Initializer.(*ast.ObjectLiteral)
	if !ok {
		t.Fatalf("%s: defaultStrings is not an object literal", clientDefaults)
	}
	quote := func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // JSON.stringify leaves <, > and & as they are
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	var lines []string
	for _, prop := range obj.Value {
		pk, ok := prop.(*ast.PropertyKeyed)
		key, kok := pk.Key.(*ast.StringLiteral)
		val, vok := pk.Value.(*ast.StringLiteral)
		if !ok || !kok || !vok {
			t.Fatalf("%s: defaultStrings: every property must be KEY: 'text', got %T", clientDefaults, prop)
		}
		lines = append(lines, "  "+quote(key.Value.String())+": "+quote(val.Value.String()))
	}
	return "{\n" + strings.Join(lines, ",\n") + "\n}\n"
}

// clientDefaults is the web client's source of its English texts; the
// served strings-default.json must carry exactly these keys and texts.
const clientDefaults = "../webclient/src/i18n/defaults.ts"

// TestStringsDefaultMatchesClient compares the served default text file
// with the client's defaultStrings, evaluated from defaults.ts (a plain
// object literal), and prints it as JSON.stringify(defaultStrings, null, 2)
// does. go test -update rewrites the served file. It lives here, not in the
// web client's tests, so that those run from webclient/ alone.
func TestStringsDefaultMatchesClient(t *testing.T) {
	src, err := os.ReadFile(clientDefaults)
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "export const defaultStrings = ", "} as const;"
	body := string(src)
	i, j := strings.Index(body, start), strings.Index(body, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %q ... %q object literal", clientDefaults, start, end)
	}
	want := stringifyLiteral(t, body[i+len(start):j+1])
	served := filepath.Join("files", "static", "localization", "strings-default.json")
	if *update {
		if err := os.WriteFile(served, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(served)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s differs from the client's defaultStrings (go test ./assets -update rewrites it)\ngot:\n%s\nwant:\n%s", served, got, want)
	}
	if !strings.Contains(want, `"LANGUAGE_RESOURCE_LOCALE": "en-US"`) {
		t.Errorf("defaultStrings does not name its locale en-US")
	}
}
