package branding

import (
	"net/http"
	"path"
	"strings"
)

// checkImage checks a raster image or icon that replaces a default: it must
// be an image, and should be the format its name says.
func checkImage(r *Report, name string, data []byte) {
	want := ""
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		want = "image/jpeg"
	case ".png":
		want = "image/png"
	case ".gif":
		want = "image/gif"
	case ".webp":
		want = "image/webp"
	case ".ico":
		want = "image/x-icon"
	default:
		return
	}
	got := http.DetectContentType(data)
	switch {
	case !strings.HasPrefix(got, "image/"):
		r.errorf(name, "is not an image (its content looks like %s); browsers show nothing for it", got)
	case got != want && !(want == "image/x-icon" && got == "image/png"):
		r.warnf(name, "is %s under a %s name and is served as %s; convert it so the name and the content agree", got, path.Ext(name), want)
	}
}
