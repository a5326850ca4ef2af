package branding

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const (
	fullStrings = `{"LANGUAGE_RESOURCE_LOCALE": "fr-CA", "APP_TITLE": "Téléphone", "SIGN_IN": "Connexion",
	"SIGN_IN_TITLE": "Connectez-vous", "CALL": "Appeler", "HANG_UP": ""}`
	backgroundNames = "image01.jpg, image02.jpg"
	bundleWarning   = "replaces a file of the web client build; after a client upgrade it no longer matches the new build (index.html names the bundles to load), so remove it from the brand folder before upgrading"
	secretError     = "would be served to anyone who can reach the softphone; keep config files, keys and password files outside the brand folder"
	objectError     = `must be a JSON object of "KEY": "text" entries: `
)

func files(kv ...any) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		var data []byte
		switch v := kv[i+1].(type) {
		case string:
			data = []byte(v)
		case []byte:
			data = v
		}
		m[kv[i].(string)] = &fstest.MapFile{Data: data}
	}
	return m
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		overlay  fstest.MapFS
		errors   []string
		warnings []string
	}{
		{name: "empty overlay"},
		{
			name: "complete valid brand",
			overlay: files(
				LogoPath, svg("0 0 200 30"),
				SmallLogoPath, svg("0,0,50,30"),
				"images/virtual-backgrounds/image02.jpg", jpegBytes,
				"sounds/ringing.wav", wav(1),
				"sounds/busy.wav", wav(0xFFFE),
				"favicon.ico", pngBytes,
				StringsPath, fullStrings,
			),
		},
		{
			name:    "dotfiles and dot folders are not served, so not checked",
			overlay: files(".DS_Store", "junk", ".git/config", "[core]", "images/.thumbs", "x"),
		},

		// Logo.
		{
			name:    "logo larger than 241x34",
			overlay: files(LogoPath, svg("0 0 300 40")),
			errors:  []string{`images/logo.svg: viewBox 0 0 300 40 is larger than 241x34; the client draws the logo in a 241x34 box, scale the drawing down so its viewBox fits, e.g. "0 0 241 34"`},
		},
		{
			name:    "logo too tall only",
			overlay: files(LogoPath, svg("10 10 241 34.5")),
			errors:  []string{`images/logo.svg: viewBox 10 10 241 34.5 is larger than 241x34; the client draws the logo in a 241x34 box, scale the drawing down so its viewBox fits, e.g. "0 0 241 34"`},
		},
		{
			name:    "logo without viewBox",
			overlay: files(LogoPath, svg("")),
			errors:  []string{`images/logo.svg: <svg> has no viewBox; the client scales the logo by it, add one such as viewBox="0 0 241 34"`},
		},
		{
			name:    "logo without the SVG namespace",
			overlay: files(LogoPath, `<svg viewBox="0 0 241 34"></svg>`),
			errors:  []string{`images/logo.svg: <svg> lacks xmlns="http://www.w3.org/2000/svg"; browsers draw nothing for it in an <img>`},
		},
		{
			name:    "logo that is HTML",
			overlay: files(LogoPath, `<html><body>logo</body></html>`),
			errors:  []string{`images/logo.svg: is not an SVG image: its root element is <html>, want <svg>`},
		},
		{
			name:    "logo that is empty",
			overlay: files(LogoPath, ``),
			errors:  []string{`images/logo.svg: is not an SVG image: it has no <svg> element`},
		},
		{
			name:    "logo that is not well-formed",
			overlay: files(LogoPath, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">\n<g>\n</svg>"),
			errors:  []string{`images/logo.svg: is not a well-formed SVG image (line 3: element <g> closed by </svg>); browsers draw nothing for it`},
		},
		{
			name:    "viewBox with three numbers",
			overlay: files(LogoPath, svg("0 0 241")),
			errors:  []string{`images/logo.svg: viewBox "0 0 241" must be four numbers "min-x min-y width height"`},
		},
		{
			name:    "viewBox with a word",
			overlay: files(LogoPath, svg("0 0 wide 34")),
			errors:  []string{`images/logo.svg: viewBox "0 0 wide 34" must be four numbers "min-x min-y width height", got "wide"`},
		},
		{
			name:    "viewBox with zero width",
			overlay: files(LogoPath, svg("0 0 0 34")),
			errors:  []string{`images/logo.svg: viewBox "0 0 0 34" must have a positive width and height`},
		},

		// Small logo.
		{
			name:    "small logo larger than the default logo",
			overlay: files(SmallLogoPath, svg("0 0 300 20")),
			errors:  []string{`images/logo-small.svg: viewBox 0 0 300 20 is larger than the logo's 241x34; the small logo must not be larger than the logo in width or height`},
		},
		{
			name:    "small logo larger than the overlay's logo",
			overlay: files(LogoPath, svg("0 0 100 30"), SmallLogoPath, svg("0 0 54 32")),
			errors:  []string{`images/logo-small.svg: viewBox 0 0 54 32 is larger than the logo's 100x30; the small logo must not be larger than the logo in width or height`},
		},
		{
			name:    "small logo equal to the overlay's logo",
			overlay: files(LogoPath, svg("0 0 120.5 34"), SmallLogoPath, svg("0 0 120.5 34")),
		},
		{
			name:    "small logo compared with the default when the overlay's logo is refused",
			overlay: files(LogoPath, svg("0 0 20 10 5"), SmallLogoPath, svg("0 0 200 34")),
			errors:  []string{`images/logo.svg: viewBox "0 0 20 10 5" must be four numbers "min-x min-y width height"`},
		},
		{
			name:    "small logo that is not SVG",
			overlay: files(SmallLogoPath, `<html/>`),
			errors:  []string{`images/logo-small.svg: is not an SVG image: its root element is <html>, want <svg>`},
		},

		// Virtual backgrounds.
		{
			name:    "virtual background with a new name",
			overlay: files("images/virtual-backgrounds/image03.jpg", jpegBytes),
			errors:  []string{"images/virtual-backgrounds/image03.jpg: the client shows only the virtual backgrounds " + backgroundNames + " and cannot add more; replace one of those names instead"},
		},
		{
			name:    "virtual background that is not an image",
			overlay: files("images/virtual-backgrounds/image01.jpg", "not a picture"),
			errors:  []string{"images/virtual-backgrounds/image01.jpg: is not an image (its content looks like text/plain; charset=utf-8); browsers show nothing for it"},
		},
		{
			name:     "virtual background in another format than its name",
			overlay:  files("images/virtual-backgrounds/image01.jpg", pngBytes),
			warnings: []string{"images/virtual-backgrounds/image01.jpg: is image/png under a .jpg name and is served as image/jpeg; convert it so the name and the content agree"},
		},

		// Sounds.
		{
			name:    "sound that is not audio",
			overlay: files("sounds/ringing.wav", "<html>oops</html>"),
			errors:  []string{"sounds/ringing.wav: is not a sound browsers play (WAV, Ogg, MP3, WebM or M4A), its content looks like text/html; charset=utf-8"},
		},
		{
			name:    "WAV with a codec browsers do not play",
			overlay: files("sounds/ringing.wav", wav(0x31)),
			errors:  []string{"sounds/ringing.wav: is a WAV file with codec 0x0031, which browsers do not play; save it as PCM WAV"},
		},
		{
			name:    "WAV without a fmt chunk",
			overlay: files("sounds/busy.wav", "RIFF\x04\x00\x00\x00WAVE"),
			errors:  []string{"sounds/busy.wav: is a WAV file without a fmt chunk; browsers cannot play it"},
		},
		{
			name:    "WAV cut inside the fmt chunk",
			overlay: files("sounds/busy.wav", "RIFF\x10\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01"),
			errors:  []string{"sounds/busy.wav: is a WAV file without a fmt chunk; browsers cannot play it"},
		},
		{
			name:    "WAV with a chunk size past the end",
			overlay: files("sounds/busy.wav", "RIFF\x10\x00\x00\x00WAVELIST\xff\xff\x00\x00"),
			errors:  []string{"sounds/busy.wav: is a WAV file without a fmt chunk; browsers cannot play it"},
		},
		{
			name:    "Matroska audio",
			overlay: files("sounds/busy.wav", mkvBytes),
			errors:  []string{"sounds/busy.wav: is a Matroska file, which not every browser plays; use WAV, Ogg, MP3, WebM or M4A"},
		},
		{
			name:    "AAC ADTS is not MP3",
			overlay: files("sounds/busy.wav", adtsBytes),
			errors:  []string{"sounds/busy.wav: is not a sound browsers play (WAV, Ogg, MP3, WebM or M4A), its content looks like application/octet-stream"},
		},
		{
			name: "playable formats under the .wav name",
			overlay: files("sounds/ringing.wav", oggBytes, "sounds/busy.wav", mp3Bytes,
				"sounds/busy.wav.bak", "x"),
			warnings: []string{
				"sounds/busy.wav: holds MP3 audio under a .wav name and is served with the type of its name; browsers may refuse the mismatch, convert it to WAV",
				"sounds/busy.wav.bak: the client never loads this file; did you mean sounds/busy.wav?",
				"sounds/ringing.wav: holds Ogg audio under a .wav name and is served with the type of its name; browsers may refuse the mismatch, convert it to WAV",
			},
		},
		{
			name:     "ID3-tagged MP3, WebM and M4A are recognised",
			overlay:  files("sounds/ringing.wav", id3Bytes, "sounds/busy.wav", webmBytes),
			warnings: []string{"sounds/busy.wav: holds WebM audio under a .wav name and is served with the type of its name; browsers may refuse the mismatch, convert it to WAV", "sounds/ringing.wav: holds MP3 audio under a .wav name and is served with the type of its name; browsers may refuse the mismatch, convert it to WAV"},
		},
		{
			name:     "M4A",
			overlay:  files("sounds/busy.wav", m4aBytes),
			warnings: []string{"sounds/busy.wav: holds M4A audio under a .wav name and is served with the type of its name; browsers may refuse the mismatch, convert it to WAV"},
		},

		// Paths.
		{
			name:    "paths the client never loads name the closest real path",
			overlay: files("images/Logo.svg", svg("0 0 1 1"), "sounds/ringing.mp3", mp3Bytes, "image/logo-small.svg", svg("0 0 1 1"), "favicon.png", pngBytes),
			warnings: []string{
				"favicon.png: the client never loads this file; did you mean favicon.ico?",
				"image/logo-small.svg: the client never loads this file; did you mean images/logo-small.svg?",
				"images/Logo.svg: the client never loads this file; did you mean images/logo.svg?",
				"sounds/ringing.mp3: the client never loads this file; did you mean sounds/ringing.wav?",
			},
		},
		{
			name:    "config files, keys and password files would leak",
			overlay: files("softphone.yaml", "listen: :8443", "tls/server.key", "k", "certs/chain.PEM", "c", "htpasswd", "u:p", "id.pfx", "x"),
			errors: []string{
				"certs/chain.PEM: " + secretError,
				"htpasswd: " + secretError,
				"id.pfx: " + secretError,
				"softphone.yaml: " + secretError,
				"tls/server.key: " + secretError,
			},
		},
		{
			name:     "advancedOptions.js is rendered, never a file",
			overlay:  files(ConfigPath, "var advancedOptions = {};"),
			warnings: []string{"static/js/advancedOptions.js: is ignored: the client config is rendered from the advancedOptions section of softphone.yaml (`softphone migrate` imports an existing advancedOptions.js)"},
		},
		{
			name:     "replacing the web client build",
			overlay:  files("index.html", "<!doctype html>", "static/js/index.Dvz-w8UM.js", "x", "static/css/index.W8FO2BrM.css", "y"),
			warnings: []string{"index.html: " + bundleWarning, "static/css/index.W8FO2BrM.css: " + bundleWarning, "static/js/index.Dvz-w8UM.js: " + bundleWarning},
		},
		{
			name:    "replacing manifest and robots is fine",
			overlay: files("manifest.json", `{"name":"Acme"}`, "robots.txt", "User-agent: *\nDisallow: /\n"),
		},

		// Text.
		{
			name:    "strings that are not JSON",
			overlay: files(StringsPath, "{\n  \"SIGN_IN\": \"Connexion\",\n  \"CALL\": Appeler\n}"),
			errors:  []string{StringsPath + ": " + objectError + "line 3 col 11: invalid character 'A' looking for beginning of value"},
		},
		{
			name:    "strings that are an array",
			overlay: files(StringsPath, `["SIGN_IN"]`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: the file is an array, not an object"},
		},
		{
			name:    "strings with a number",
			overlay: files(StringsPath, "{\"SIGN_IN\": \"x\",\n\"CALL\": 42}"),
			errors:  []string{StringsPath + ": " + objectError + "line 2 col 7: CALL: value must be a string, got the number 42"},
		},
		{
			name:    "strings that are a string",
			overlay: files(StringsPath, `"SIGN_IN"`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: the file is a string, not an object"},
		},
		{
			name:    "strings that are a number",
			overlay: files(StringsPath, `42`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: the file is a number, not an object"},
		},
		{
			name:    "strings that are a boolean",
			overlay: files(StringsPath, ` true`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: the file is a boolean, not an object"},
		},
		{
			name:    "strings that are null",
			overlay: files(StringsPath, `null`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: the file is null, not an object"},
		},
		{
			name:    "strings with an array value",
			overlay: files(StringsPath, `{"CALL": ["a"]}`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 8: CALL: value must be a string, got an array"},
		},
		{
			name:    "strings with a boolean value",
			overlay: files(StringsPath, `{"CALL": false}`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 8: CALL: value must be a string, got a boolean false"},
		},
		{
			name:    "strings with a null value",
			overlay: files(StringsPath, `{"CALL": null}`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 8: CALL: value must be a string, got null"},
		},
		{
			name:    "strings with an object",
			overlay: files(StringsPath, `{"CALL": {"text": "x"}}`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 8: CALL: value must be a string, got an object"},
		},
		{
			name:    "strings cut short",
			overlay: files(StringsPath, `{"CALL": "x"`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 13: unexpected end of the file"},
		},
		{
			name:    "strings with trailing data",
			overlay: files(StringsPath, `{"CALL": "x"} {}`),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 15: more data after the object"},
		},
		{
			name:    "empty strings file",
			overlay: files(StringsPath, ``),
			errors:  []string{StringsPath + ": " + objectError + "line 1 col 1: unexpected end of the file"},
		},
		{
			name:    "strings with a UTF-8 byte order mark",
			overlay: files(StringsPath, "\xEF\xBB\xBF"+fullStrings),
		},
		{
			name:    "locale that is not a BCP 47 tag",
			overlay: files(StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": "french"}`),
			errors:  []string{StringsPath + `: LANGUAGE_RESOURCE_LOCALE: "french" is not a valid BCP 47 language tag such as "en-US" or "fr-CA": language: tag is not well-formed`},
		},
		{
			name:    "locale with an unknown subtag",
			overlay: files(StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": "zz-US"}`),
			errors:  []string{StringsPath + `: LANGUAGE_RESOURCE_LOCALE: "zz-US" is not a valid BCP 47 language tag such as "en-US" or "fr-CA": language: subtag "zz" is well-formed but unknown`},
		},
		{
			name:    "locale with an underscore",
			overlay: files(StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": "de_DE"}`),
			errors:  []string{StringsPath + `: LANGUAGE_RESOURCE_LOCALE: "de_DE" is not a valid BCP 47 language tag: subtags are separated by "-", as in "de-DE"`},
		},
		{
			name:    "empty locale falls back to the client default",
			overlay: files(StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": ""}`),
		},
		{
			name:    "locales browsers accept",
			overlay: files(StringsPath, `{"LANGUAGE_RESOURCE_LOCALE": "sr-Latn-RS"}`, "static/localization/strings-de.json", `{"LANGUAGE_RESOURCE_LOCALE": "de-CH-1996"}`),
		},
		{
			name:    "unknown keys, with and without a likely typo",
			overlay: files(StringsPath, `{"SIGN_IN_TITEL": "a", "sign_in": "b", "CALL_QUEUE_FULL": "c", "CALL": "d"}`),
			warnings: []string{
				StringsPath + `: SIGN_IN_TITEL: unknown key, did you mean "SIGN_IN_TITLE"?`,
				StringsPath + `: sign_in: unknown key, did you mean "SIGN_IN"?`,
				StringsPath + `: CALL_QUEUE_FULL: unknown key; the client does not use it (removed or renamed in this release?)`,
			},
		},
		{
			name:     "duplicate key",
			overlay:  files(StringsPath, `{"CALL": "a", "CALL": "b"}`),
			warnings: []string{StringsPath + `: CALL: appears more than once; browsers use the last one`},
		},
		{
			name:     "other text files in static/localization are checked too",
			overlay:  files("static/localization/strings-fr.json", `{"LANGUAGE_RESOURCE_LOCALE": "fr", "APPEL": "Appeler"}`),
			warnings: []string{`static/localization/strings-fr.json: APPEL: unknown key; the client does not use it (removed or renamed in this release?)`},
		},
		{
			name:     "files in static/localization that are not JSON",
			overlay:  files("static/localization/strings-fr.js", "x"),
			warnings: []string{"static/localization/strings-fr.js: the client never loads this file; did you mean static/localization/strings-default.json?"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			overlay := tc.overlay
			if overlay == nil {
				overlay = fstest.MapFS{}
			}
			r := Check(overlay, testDefaults())
			if !slices.Equal(r.Errors, tc.errors) {
				t.Errorf("Errors =\n  %s\nwant\n  %s", strings.Join(r.Errors, "\n  "), strings.Join(tc.errors, "\n  "))
			}
			if !slices.Equal(r.Warnings, tc.warnings) {
				t.Errorf("Warnings =\n  %s\nwant\n  %s", strings.Join(r.Warnings, "\n  "), strings.Join(tc.warnings, "\n  "))
			}
			if r.OK() != (len(tc.errors) == 0) {
				t.Errorf("OK() = %v with %d error(s)", r.OK(), len(r.Errors))
			}
		})
	}
}
