package branding

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/softphone/softphone/internal/didyoumean"
)

// Served paths with rules of their own.
const (
	// LogoPath is the wide logo, drawn into a 241x34 box.
	LogoPath = "images/logo.svg"
	// SmallLogoPath is the narrow-screen logo, no larger than the logo.
	SmallLogoPath = "images/logo-small.svg"
	// StringsPath is the client's default text resource.
	StringsPath = "static/localization/strings-default.json"
	// ConfigPath is rendered from the advancedOptions section, never a file.
	ConfigPath = "static/js/advancedOptions.js"

	backgroundsDir  = "images/virtual-backgrounds/"
	soundsDir       = "sounds/"
	localizationDir = "static/localization/"
)

// Check examines every file of overlay against defaults, the served tree
// without the overlay (the web client build and the default assets, as
// Defaults returns). Files and folders whose names start with a dot are
// skipped, as the server does not serve them. Check reads each overlay file
// once and the defaults' logo and text file; it is meant to run on every
// config load.
func Check(overlay, defaults fs.FS) Report {
	var r Report
	c := checker{r: &r, overlay: overlay}
	c.loadDefaults(defaults)

	var names []string
	err := fs.WalkDir(overlay, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			r.errorf(displayName(p), "cannot be read: %v", unwrapPath(err))
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		r.errorf(".", "cannot be read: %v", err)
	}
	// The logo first: the small logo is compared with the logo in effect.
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == LogoPath) != (names[j] == LogoPath) {
			return names[i] == LogoPath
		}
		return names[i] < names[j]
	})
	for _, name := range names {
		c.file(name)
	}
	return r
}

// checker holds what every file's check needs to know about the defaults.
type checker struct {
	r       *Report
	overlay fs.FS

	served      map[string]bool // every default path
	servedList  []string        // the same, sorted, for suggestions
	backgrounds []string        // base names of the default virtual backgrounds
	keys        map[string]bool // keys of the client's text resource; nil when unknown
	keyList     []string
	logo        *viewBox // the logo the small logo is compared with
}

func (c *checker) loadDefaults(defaults fs.FS) {
	c.served = map[string]bool{}
	fs.WalkDir(defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		c.served[p] = true
		c.servedList = append(c.servedList, p)
		if dir, base := path.Split(p); dir == backgroundsDir {
			c.backgrounds = append(c.backgrounds, base)
		}
		return nil
	})
	sort.Strings(c.servedList)
	sort.Strings(c.backgrounds)
	if b, err := fs.ReadFile(defaults, StringsPath); err == nil {
		if entries, perr := parseStrings(b); perr == nil {
			c.keys = map[string]bool{}
			for _, e := range entries {
				if !c.keys[e.key] {
					c.keys[e.key] = true
					c.keyList = append(c.keyList, e.key)
				}
			}
			sort.Strings(c.keyList)
		}
	}
	c.logo = &viewBox{W: maxLogoWidth, H: maxLogoHeight}
	if b, err := fs.ReadFile(defaults, LogoPath); err == nil {
		if vb, err := parseSVG(b); err == nil {
			c.logo = &vb
		}
	}
}

// file checks one overlay file.
func (c *checker) file(name string) {
	data, err := fs.ReadFile(c.overlay, name)
	if err != nil {
		c.r.errorf(name, "cannot be read: %v", unwrapPath(err))
		return
	}
	dir, base := path.Split(name)
	switch {
	case secretLike(base):
		c.r.errorf(name, "would be served to anyone who can reach the softphone; keep config files, keys and password files outside the brand folder")
	case secretContent(data):
		c.r.errorf(name, "holds a private key or htpasswd lines, which would be served to anyone who can reach the softphone; keep keys and password files outside the brand folder")
	case name == ConfigPath:
		c.r.warnf(name, "is ignored: the client config is rendered from the advancedOptions section of softphone.yaml (`softphone migrate` imports an existing advancedOptions.js)")
	case name == LogoPath:
		c.checkLogo(name, data)
	case name == SmallLogoPath:
		c.checkSmallLogo(name, data)
	case dir == localizationDir && path.Ext(base) == ".json":
		// Besides strings-default.json, localizationConfig.defaultLanguageResourceURL
		// may point the client at another text file here (a translation).
		c.checkStrings(name, data)
	case dir == backgroundsDir && !c.served[name] && len(c.backgrounds) == 0:
		c.r.errorf(name, "this client has no virtual backgrounds to replace, and an overlay cannot add any")
	case dir == backgroundsDir && !c.served[name]:
		c.r.errorf(name, "the client shows only the virtual backgrounds %s and cannot add more; replace one of those names instead",
			strings.Join(c.backgrounds, ", "))
	case !c.served[name]:
		c.r.warnf(name, "the client never loads this file; did you mean %s?", didyoumean.Nearest(name, c.servedList))
	case strings.HasPrefix(name, soundsDir):
		checkSound(c.r, name, data)
	case name == "index.html" || strings.HasPrefix(name, "static/js/") || strings.HasPrefix(name, "static/css/"):
		c.r.warnf(name, "replaces a file of the web client build; after a client upgrade it no longer matches the new build (index.html names the bundles to load), so remove it from the brand folder before upgrading")
	default:
		checkImage(c.r, name, data)
	}
}

// secretLike reports names that look like softphone.yaml, TLS keys or
// password files: served from the overlay, they would leak.
func secretLike(base string) bool {
	switch strings.ToLower(path.Ext(base)) {
	case ".yaml", ".yml", ".pem", ".key", ".pfx", ".p12", ".htpasswd":
		return true
	}
	return strings.EqualFold(base, "htpasswd")
}

// htpasswdLine matches "user:hash" with a hash format htpasswd files use.
var htpasswdLine = regexp.MustCompile(`(?m)^[^:\s#]{1,255}:(\$2[aby]\$\d\d\$|\$apr1\$|\$1\$|\$5\$|\$6\$|\{SHA\}|\{SSHA\})\S+\s*$`)

// secretContent reports content that is a secret whatever the file is
// called: a PEM private key (PKCS#1, PKCS#8, EC, OpenSSH, encrypted) or
// htpasswd lines.
func secretContent(data []byte) bool {
	if i := bytes.Index(data, []byte("-----BEGIN ")); i >= 0 {
		head, _, _ := bytes.Cut(data[i:], []byte("\n"))
		if bytes.Contains(head, []byte("PRIVATE KEY-----")) {
			return true
		}
	}
	return htpasswdLine.Match(data)
}

// unwrapPath drops the *fs.PathError wrapper, whose path repeats the name
// the message already starts with.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func displayName(p string) string {
	if p == "" {
		return "."
	}
	return p
}
