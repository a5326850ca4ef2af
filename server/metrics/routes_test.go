package metrics

import (
	"net/http/httptest"
	"testing"
)

func TestRouteClasses(t *testing.T) {
	tests := []struct {
		base, path, want string
	}{
		{"/", "/", RouteShell},
		{"/", "/index.html", RouteShell},
		{"/", "/static/js/advancedOptions.js", RouteConfig},
		{"/", "/static/js/index.Bl_dAoUW.js", RouteBundle},
		{"/", "/static/css/index.1234.css", RouteBundle},
		{"/", "/static/localization/strings-default.json", RouteAsset},
		{"/", "/images/virtual-backgrounds/image01.jpg", RouteAsset},
		{"/", "/healthz", RouteHealth},
		{"/webrtc_client/", "/webrtc_client/", RouteShell},
		{"/webrtc_client/", "/webrtc_client/static/js/advancedOptions.js", RouteConfig},
		{"/webrtc_client/", "/webrtc_client/sounds/ring.mp3", RouteAsset},
		{"/webrtc_client/", "/webrtc_client", RouteOther},
		{"/webrtc_client/", "/wp-login.php", RouteOther},
		{"/webrtc_client/", "/healthz", RouteHealth},
	}
	for _, tc := range tests {
		t.Run(tc.base+tc.path, func(t *testing.T) {
			if got := RouteClasses(tc.base)(httptest.NewRequest("GET", tc.path, nil)); got != tc.want {
				t.Errorf("RouteClasses(%q)(%q) = %q, want %q", tc.base, tc.path, got, tc.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		listen  string
		wantErr string
	}{
		{"", ""},
		{"127.0.0.1:9464", ""},
		{":9464", ""},
		{"[::1]:9464", ""},
		{"9464", `metrics.listen: must be host:port such as "127.0.0.1:9464", or "" to turn metrics off, got "9464"`},
		{"localhost:http", `metrics.listen: port must be a number from 0 to 65535, got "http"`},
		{"localhost:70000", `metrics.listen: port must be a number from 0 to 65535, got "70000"`},
	}
	for _, tc := range tests {
		t.Run(tc.listen, func(t *testing.T) {
			err := Config{Listen: tc.listen}.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("Validate(%q) = %q, want %q", tc.listen, got, tc.wantErr)
			}
		})
	}
}
