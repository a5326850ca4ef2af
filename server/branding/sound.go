package branding

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/http"
	"path"
	"strings"
)

// Audio formats every browser the client supports plays in an <audio>.
const (
	fmtWAV  = "WAV"
	fmtOgg  = "Ogg"
	fmtMP3  = "MP3"
	fmtWebM = "WebM"
	fmtM4A  = "M4A"
)

// extFormats maps sound file extensions to the format their content must be.
var extFormats = map[string]string{
	".wav": fmtWAV, ".ogg": fmtOgg, ".oga": fmtOgg, ".opus": fmtOgg,
	".mp3": fmtMP3, ".webm": fmtWebM, ".m4a": fmtM4A,
}

// WAV codecs browsers decode: PCM, IEEE float, and the extensible header
// that wraps them.
var wavCodecs = map[uint16]bool{1: true, 3: true, 0xFFFE: true}

func checkSound(r *Report, name string, data []byte) {
	format, err := sniffSound(data)
	if err != nil {
		r.errorf(name, "%v", err)
		return
	}
	if want := extFormats[strings.ToLower(path.Ext(name))]; want != "" && want != format {
		r.warnf(name, "holds %s audio under a %s name and is served with the type of its name; browsers may refuse the mismatch, convert it to %s",
			format, path.Ext(name), want)
	}
}

// sniffSound names the audio format of data from its first bytes, or says
// why browsers will not play it.
func sniffSound(data []byte) (string, error) {
	switch {
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WAVE":
		codec, ok := wavCodec(data)
		if !ok {
			return "", fmt.Errorf("is a WAV file without a fmt chunk; browsers cannot play it")
		}
		if !wavCodecs[codec] {
			return "", fmt.Errorf("is a WAV file with codec 0x%04X, which browsers do not play; save it as PCM WAV", codec)
		}
		return fmtWAV, nil
	case bytes.HasPrefix(data, []byte("OggS")):
		return fmtOgg, nil
	case bytes.HasPrefix(data, []byte("ID3")),
		len(data) >= 2 && data[0] == 0xFF && data[1]&0xE0 == 0xE0 && data[1]&0x06 != 0:
		// An ID3 tag, or an MPEG audio frame header: 11 sync bits, then a
		// layer that is not 00 (00 is AAC's ADTS).
		return fmtMP3, nil
	case bytes.HasPrefix(data, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		// EBML: WebM, or Matroska, which only some browsers play.
		if bytes.Contains(data[:min(len(data), 64)], []byte("webm")) {
			return fmtWebM, nil
		}
		return "", fmt.Errorf("is a Matroska file, which not every browser plays; use WAV, Ogg, MP3, WebM or M4A")
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return fmtM4A, nil
	}
	return "", fmt.Errorf("is not a sound browsers play (WAV, Ogg, MP3, WebM or M4A), its content looks like %s", http.DetectContentType(data))
}

// wavCodec walks the RIFF chunks to the fmt chunk and returns its format tag.
func wavCodec(data []byte) (uint16, bool) {
	for off := 12; off+8 <= len(data); {
		id := string(data[off : off+4])
		size := int(binary.LittleEndian.Uint32(data[off+4 : off+8]))
		if id == "fmt " {
			if off+10 > len(data) {
				return 0, false
			}
			return binary.LittleEndian.Uint16(data[off+8 : off+10]), true
		}
		if size < 0 || size > len(data) {
			return 0, false
		}
		off += 8 + size + size%2 // chunks are padded to an even size
	}
	return 0, false
}
