package site

import (
	"testing"

	"github.com/softphone/softphone/assets"
	"github.com/softphone/softphone/webclient"
)

// BenchmarkBuildDefault measures building the store from the embedded web
// client and assets: the work done at every start (startup must stay < 1 s).
func BenchmarkBuildDefault(b *testing.B) {
	layers := []Layer{{"webclient", webclient.Dist()}, {"assets", assets.FS()}}
	for b.Loop() {
		if _, err := Build(layers, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
