package yamlnode

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestDescribe(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`v: "30"`, `"30"`},
		{`v: 30`, `30`},
		{`v: true`, `true`},
		{`v: ~`, `null`},
		{`v:`, `null`},
		{`v: {a: 1}`, `a mapping`},
		{`v: [1]`, `a list`},
		{"a: &x [1]\nv: *x", `a list`},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
			t.Fatal(err)
		}
		m := doc.Content[0]
		v := m.Content[len(m.Content)-1]
		if got := Describe(v); got != tc.want {
			t.Errorf("Describe(%q) = %q, want %q", tc.src, got, tc.want)
		}
	}
	if got := Describe(nil); got != "nothing" {
		t.Errorf("Describe(nil) = %q, want \"nothing\"", got)
	}
}
