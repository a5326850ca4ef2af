package main

import (
	"bytes"
	"encoding/binary"
	"math"
)

// rate is the sample rate of every tone: telephone band, small files.
const rate = 8000

// segment is a stretch of a tone: the sum of freqs (Hz) for ms milliseconds,
// or silence when freqs is empty.
type segment struct {
	freqs []float64
	ms    int
}

// tone is a cadence of segments; the client loops the ones that repeat.
type tone []segment

// tones are the sounds the client plays, named like the files under sounds/.
// Cadences follow ITU-T E.180 habits (ring-back 400+450 Hz double ring, busy
// 425 Hz 0.5 s on/off) with a brighter two-note ring for incoming calls.
var tones = map[string]tone{
	// Incoming call, looped: two short rising bursts, then a pause.
	"ringing": {
		{[]float64{660, 880}, 400}, {nil, 100},
		{[]float64{784, 1046}, 400}, {nil, 1600},
	},
	// Outgoing call progress (remote side ringing), looped.
	"ringback": {
		{[]float64{400, 450}, 400}, {nil, 200},
		{[]float64{400, 450}, 400}, {nil, 2000},
	},
	// Remote side busy or call rejected, played three times then stopped.
	"busy": {
		{[]float64{425}, 500}, {nil, 500},
		{[]float64{425}, 500}, {nil, 500},
		{[]float64{425}, 500}, {nil, 500},
	},
	// Call ended: a short falling pair.
	"call-ended": {
		{[]float64{880}, 150}, {nil, 50}, {[]float64{587}, 250},
	},
	// A second call arrives during a call: a quiet single beep, looped.
	"call-waiting": {
		{[]float64{440}, 300}, {nil, 2700},
	},
	// A failure (registration lost, call failed): a low double buzz.
	"error": {
		{[]float64{330}, 200}, {nil, 100}, {[]float64{262}, 300},
	},
}

// render returns 16-bit samples. Each tone segment fades in and out over
// 5 ms so that no click is heard at its edges.
func (t tone) render() []int16 {
	var out []int16
	for _, s := range t {
		n := s.ms * rate / 1000
		fade := 5 * rate / 1000
		for i := 0; i < n; i++ {
			if len(s.freqs) == 0 {
				out = append(out, 0)
				continue
			}
			var v float64
			for _, f := range s.freqs {
				v += math.Sin(2 * math.Pi * f * float64(i) / rate)
			}
			v /= float64(len(s.freqs))
			gain := 0.5
			if i < fade {
				gain *= float64(i) / float64(fade)
			} else if n-i < fade {
				gain *= float64(n-i) / float64(fade)
			}
			out = append(out, int16(math.Round(v*gain*math.MaxInt16)))
		}
	}
	return out
}

// wav encodes mono 16-bit PCM samples as a RIFF WAVE file.
func wav(samples []int16) []byte {
	var b bytes.Buffer
	data := uint32(len(samples) * 2)
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, 36+data)
	b.WriteString("WAVEfmt ")
	_ = binary.Write(&b, binary.LittleEndian, struct {
		Size          uint32
		Format        uint16
		Channels      uint16
		Rate          uint32
		ByteRate      uint32
		BlockAlign    uint16
		BitsPerSample uint16
	}{16, 1, 1, rate, rate * 2, 2, 16})
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, data)
	_ = binary.Write(&b, binary.LittleEndian, samples)
	return b.Bytes()
}
