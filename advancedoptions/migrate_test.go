package advancedoptions

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// migrateSection runs the migrations on a copy of section and returns the
// migrated section as YAML with the report.
func migrateSection(t *testing.T, section *yaml.Node, file string) ([]byte, *migrator) {
	t.Helper()
	root, ok := cloneNode(section)
	if !ok {
		t.Fatal("section too large")
	}
	m := &migrator{file: file}
	m.run(root)
	sortSchemaOrder(root, reflect.TypeFor[Options]())
	out, err := encodeSection(root)
	if err != nil {
		t.Fatal(err)
	}
	return out, m
}

// report formats migrations, warnings and errors for golden files.
func report(migs []Migration, warns []Diagnostic, errs Errors) []byte {
	var b bytes.Buffer
	for _, m := range migs {
		fmt.Fprintf(&b, "# migrated: %s\n", m)
	}
	for _, w := range warns {
		fmt.Fprintf(&b, "# warning: %s\n", w)
	}
	for _, e := range errs {
		fmt.Fprintf(&b, "# error: %s\n", e)
	}
	return b.Bytes()
}

// TestMigrationsGolden runs every testdata/migrations/*.yaml through the
// migrations; the golden file holds the migrated section and the report.
// The migrated configuration must compile, and migrating it again must
// change nothing.
func TestMigrationsGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/migrations/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			section := parseSection(t, string(src))
			out, m := migrateSection(t, section, filepath.Base(f))
			if len(m.migs) == 0 && len(m.warns) == 0 {
				t.Errorf("no migration applied and no warning")
			}
			golden(t, "migrations/"+name+".golden", append(out, report(m.migs, m.warns, m.errs)...))

			res, err := Compile(section, filepath.Base(f))
			if err != nil {
				t.Fatalf("migrated configuration does not compile:\n%v", err)
			}
			if !reflect.DeepEqual(res.Migrations, m.migs) {
				t.Errorf("Compile reports migrations %v, want %v", res.Migrations, m.migs)
			}

			again, m2 := migrateSection(t, parseSection(t, string(out)), "again.yaml")
			if len(m2.migs) != 0 || len(m2.warns) != 0 {
				t.Errorf("migrating twice applied %v, warned %v; want nothing (idempotent)", m2.migs, m2.warns)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("migrating twice changed the section:\n%s\nwant:\n%s", again, out)
			}
		})
	}
}

func TestCompileDoesNotChangeItsInput(t *testing.T) {
	src, err := os.ReadFile("testdata/migrations/default-oauth-config-keycloak.yaml")
	if err != nil {
		t.Fatal(err)
	}
	section := parseSection(t, string(src))
	before, err := yaml.Marshal(section)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Compile(section, "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := yaml.Marshal(section)
	if !bytes.Equal(before, after) {
		t.Errorf("Compile changed its input:\n%s\nwas:\n%s", after, before)
	}
	second, err := Compile(section, "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.JS, second.JS) || len(first.Migrations) != len(second.Migrations) {
		t.Errorf("two compiles of the same input differ")
	}
}

func TestMigrationErrors(t *testing.T) {
	tests := []struct {
		name, body, path, msg string
	}{
		{"unknown scheme", "  supportedAuthenticationSchemes: [\"kerberos\"]\n",
			"advancedOptions.supportedAuthenticationSchemes[0]", `must be one of "user-password", "oauth", "user-password_from_oauth", got "kerberos"`},
		{"oauth config not a mapping", "  defaultOAuthConfig: msal\n",
			"advancedOptions.defaultOAuthConfig", "must be a mapping"},
		{"target not a mapping", "  maxSizeForCallHistory: 5\n  callHistoryConfig: 7\n",
			"advancedOptions.maxSizeForCallHistory", "callHistoryConfig is not a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileString(t, "advancedOptions:\n"+baseServer+tc.body)
			d := findDiag(t, err, tc.path)
			if !strings.Contains(d.Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", d.Message, tc.msg)
			}
		})
	}
}
