package tlsconf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

// TestExamples decodes the tls: section of every example config the way
// the config loader does (YAML, then mapstructure with unknown keys
// refused) and validates it, so the examples cannot drift from the schema.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/tls/*.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("examples/tls: found %d files (%v), want the 5 examples", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				TLS map[string]any `yaml:"tls"`
			}
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.TLS == nil {
				t.Fatalf("no tls: section")
			}
			var cfg Config
			dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
				Result:      &cfg,
				ErrorUnused: true,
				DecodeHook:  mapstructure.StringToTimeDurationHookFunc(),
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := dec.Decode(doc.TLS); err != nil {
				t.Fatalf("decode tls: %v", err)
			}
			cfg.SetDefaults()
			if err := cfg.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}
