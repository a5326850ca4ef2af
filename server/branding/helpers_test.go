package branding

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing/fstest"
)

// svg returns a logo with the given viewBox ("" for none).
func svg(viewBox string) []byte {
	attr := ""
	if viewBox != "" {
		attr = fmt.Sprintf(` viewBox="%s"`, viewBox)
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"` + attr + `><rect width="10" height="10" fill="#123"/></svg>
`)
}

// wav returns a RIFF WAVE file with the given codec tag and a few samples.
func wav(codec uint16) []byte {
	var b bytes.Buffer
	samples := make([]byte, 64)
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+16+8+len(samples)))
	b.WriteString("WAVE")
	// A LIST chunk before fmt, as some editors write, to exercise the walk.
	b.WriteString("LIST")
	binary.Write(&b, binary.LittleEndian, uint32(3))
	b.WriteString("abc\x00") // odd size, padded
	b.WriteString("fmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, codec)
	binary.Write(&b, binary.LittleEndian, uint16(1))     // channels
	binary.Write(&b, binary.LittleEndian, uint32(8000))  // sample rate
	binary.Write(&b, binary.LittleEndian, uint32(16000)) // byte rate
	binary.Write(&b, binary.LittleEndian, uint16(2))     // block align
	binary.Write(&b, binary.LittleEndian, uint16(16))    // bits per sample
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(samples)))
	b.Write(samples)
	return b.Bytes()
}

var (
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 32)...)
	pngBytes  = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	oggBytes  = append([]byte("OggS\x00\x02"), make([]byte, 32)...)
	mp3Bytes  = append([]byte{0xFF, 0xFB, 0x90, 0x64}, make([]byte, 32)...)
	id3Bytes  = append([]byte("ID3\x04\x00"), make([]byte, 32)...)
	webmBytes = append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84}, []byte("webm\x42\x87\x81\x02")...)
	mkvBytes  = append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88}, []byte("matroska\x42\x87\x81\x02")...)
	m4aBytes  = append([]byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), make([]byte, 16)...)
	adtsBytes = append([]byte{0xFF, 0xF1, 0x50, 0x80}, make([]byte, 32)...)
)

// defaultStrings is the client's text resource of testDefaults.
const defaultStrings = `{
  "LANGUAGE_RESOURCE_LOCALE": "en-US",
  "APP_TITLE": "Softphone",
  "SIGN_IN": "Sign in",
  "SIGN_IN_TITLE": "Sign in to your phone line",
  "CALL": "Call",
  "HANG_UP": "Hang up"
}
`

// testDefaults is a small served tree with the shape of the real one.
func testDefaults() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                             {Data: []byte("<!doctype html>")},
		"static/js/index.Dvz-w8UM.js":            {Data: []byte("console.log(1)")},
		"static/css/index.W8FO2BrM.css":          {Data: []byte("body{}")},
		"favicon.ico":                            {Data: []byte("\x00\x00\x01\x00\x01\x00")},
		"manifest.json":                          {Data: []byte("{}")},
		"robots.txt":                             {Data: []byte("User-agent: *\n")},
		LogoPath:                                 {Data: svg("0 0 241 34")},
		SmallLogoPath:                            {Data: svg("0 0 54 32")},
		"images/virtual-backgrounds/image01.jpg": {Data: jpegBytes},
		"images/virtual-backgrounds/image02.jpg": {Data: jpegBytes},
		"sounds/ringing.wav":                     {Data: wav(1)},
		"sounds/busy.wav":                        {Data: wav(1)},
		StringsPath:                              {Data: []byte(defaultStrings)},
	}
}
