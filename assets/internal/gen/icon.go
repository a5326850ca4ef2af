package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"
)

// icon returns favicon.ico holding 16, 32 and 48 pixel PNG images of the
// brand mark: a blue rounded square with three white sound bars, the same
// shape as images/logo-small.svg.
func icon() ([]byte, error) {
	sizes := []int{16, 32, 48}
	var pngs [][]byte
	for _, s := range sizes {
		var b bytes.Buffer
		if err := png.Encode(&b, mark(s)); err != nil {
			return nil, err
		}
		pngs = append(pngs, b.Bytes())
	}
	var out bytes.Buffer
	_ = binary.Write(&out, binary.LittleEndian, [3]uint16{0, 1, uint16(len(sizes))})
	offset := 6 + 16*len(sizes)
	for i, s := range sizes {
		_ = binary.Write(&out, binary.LittleEndian, struct {
			W, H, Colors, Reserved uint8
			Planes, BPP            uint16
			Size, Offset           uint32
		}{uint8(s), uint8(s), 0, 0, 1, 32, uint32(len(pngs[i])), uint32(offset)})
		offset += len(pngs[i])
	}
	for _, p := range pngs {
		out.Write(p)
	}
	return out.Bytes(), nil
}

// mark draws the brand mark at size s with 4x4 supersampling.
func mark(s int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, s, s))
	blue := color.NRGBA{0x15, 0x65, 0xc0, 255}
	const ss = 4
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			var inBox, inBar int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(s)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(s)
					if roundedBox(u, v, 0.22) {
						inBox++
						if bar(u, v) {
							inBar++
						}
					}
				}
			}
			if inBox == 0 {
				continue
			}
			a := float64(inBox) / ss / ss
			w := float64(inBar) / float64(inBox)
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-w) + 255*w)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(blue.R), mix(blue.G), mix(blue.B), uint8(math.Round(a * 255))})
		}
	}
	return img
}

// roundedBox reports whether (u, v) in the unit square lies inside a square
// with corner radius r.
func roundedBox(u, v, r float64) bool {
	cx := math.Max(r, math.Min(1-r, u))
	cy := math.Max(r, math.Min(1-r, v))
	return math.Hypot(u-cx, v-cy) <= r
}

// bar reports whether (u, v) lies on one of the three vertical sound bars.
func bar(u, v float64) bool {
	bars := []struct{ x, h float64 }{{0.3, 0.36}, {0.5, 0.56}, {0.7, 0.36}}
	for _, b := range bars {
		if math.Abs(u-b.x) <= 0.07 && math.Abs(v-0.5) <= b.h/2 {
			return true
		}
	}
	return false
}
