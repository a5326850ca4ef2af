package branding

import (
	"encoding/json"
	"testing"
)

func FuzzParseStrings(f *testing.F) {
	f.Add([]byte(defaultStrings))
	f.Add([]byte(fullStrings))
	f.Add([]byte(`{"A": "b", "A": 1}`))
	f.Add([]byte("\xEF\xBB\xBF{}"))
	f.Add([]byte(`{"A": "b"} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseStrings(data)
		if err != nil {
			if je, ok := err.(*jsonError); ok && (je.line < 1 || je.col < 1) {
				t.Errorf("error position line %d col %d, want 1-based", je.line, je.col)
			}
			return
		}
		// Whatever parses is an object of strings to encoding/json too.
		var m map[string]string
		if err := json.Unmarshal(data[len(data)-len(trimBOM(data)):], &m); err != nil {
			t.Errorf("parseStrings accepted %q, json.Unmarshal refuses it: %v", data, err)
		}
		for _, e := range entries {
			if _, ok := m[e.key]; !ok {
				t.Errorf("key %q not in json.Unmarshal's map", e.key)
			}
		}
	})
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && string(b[:3]) == "\xEF\xBB\xBF" {
		return b[3:]
	}
	return b
}

func FuzzParseSVG(f *testing.F) {
	f.Add(svg("0 0 241 34"))
	f.Add(svg(""))
	f.Add(svg("0,0,1e3,-4"))
	f.Add([]byte("<html/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		vb, err := parseSVG(data)
		if err == nil && (vb.W <= 0 || vb.H <= 0) {
			t.Errorf("parseSVG accepted viewBox %q with size %vx%v", vb.Attr, vb.W, vb.H)
		}
	})
}

func FuzzSniffSound(f *testing.F) {
	for _, b := range [][]byte{wav(1), wav(0x31), oggBytes, mp3Bytes, id3Bytes, webmBytes, mkvBytes, m4aBytes, adtsBytes, []byte("RIFF\xff\xff\xff\x7fWAVEfmt ")} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := sniffSound(data)
		if (format == "") == (err == nil) {
			t.Errorf("sniffSound(%q) = %q, %v: want a format or an error", data, format, err)
		}
	})
}
