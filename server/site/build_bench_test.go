package site

import (
	"testing"

	"github.com/softphone/softphone/assets"
	"github.com/softphone/softphone/webclient"
)

// BenchmarkBuildDefault measures building the store from the embedded web
// client and assets: the work done at every start (startup must stay < 1 s).
func BenchmarkBuildDefault(b *testing.B) {
	layers := []Layer{{Name: "webclient", FS: webclient.Dist(), Embedded: true}, {Name: "assets", FS: assets.FS(), Embedded: true}}
	for b.Loop() {
		if _, err := Build(layers, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
