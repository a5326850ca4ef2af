package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// background describes a virtual background: a diagonal gradient between
// two colours with soft circles ("bokeh") scattered over it.
type background struct {
	from, to color.RGBA
	circles  []circle
}

type circle struct {
	x, y, r float64 // fractions of the width
	alpha   float64
}

const bgW, bgH = 640, 360

var backgrounds = []background{
	{color.RGBA{0x1e, 0x3c, 0x72, 255}, color.RGBA{0x2a, 0x52, 0x98, 255}, []circle{{0.2, 0.3, 0.12, 0.15}, {0.7, 0.2, 0.08, 0.12}, {0.85, 0.45, 0.15, 0.1}}},
	{color.RGBA{0xe0, 0xea, 0xfc, 255}, color.RGBA{0xcf, 0xde, 0xf3, 255}, []circle{{0.15, 0.5, 0.2, 0.25}, {0.8, 0.3, 0.1, 0.3}}},
	{color.RGBA{0x13, 0x4e, 0x5e, 255}, color.RGBA{0x71, 0xb2, 0x80, 255}, []circle{{0.3, 0.15, 0.06, 0.2}, {0.55, 0.35, 0.1, 0.15}, {0.9, 0.1, 0.07, 0.2}}},
	{color.RGBA{0x42, 0x27, 0x5a, 255}, color.RGBA{0x73, 0x4b, 0x6d, 255}, []circle{{0.1, 0.1, 0.09, 0.18}, {0.6, 0.45, 0.14, 0.12}}},
	{color.RGBA{0xf2, 0xe8, 0xdc, 255}, color.RGBA{0xd8, 0xc3, 0xa5, 255}, []circle{{0.75, 0.2, 0.18, 0.2}, {0.25, 0.4, 0.08, 0.25}}},
}

func (bg background) jpeg() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, bgW, bgH))
	for y := 0; y < bgH; y++ {
		for x := 0; x < bgW; x++ {
			t := (float64(x)/bgW + float64(y)/bgH) / 2
			r, g, b := lerp(bg.from.R, bg.to.R, t), lerp(bg.from.G, bg.to.G, t), lerp(bg.from.B, bg.to.B, t)
			for _, c := range bg.circles {
				d := math.Hypot(float64(x)-c.x*bgW, float64(y)-c.y*bgW) / (c.r * bgW)
				if d < 1 {
					a := c.alpha * (1 - d*d)
					r, g, b = r+(255-r)*a, g+(255-g)*a, b+(255-b)*a
				}
			}
			img.SetRGBA(x, y, color.RGBA{uint8(r), uint8(g), uint8(b), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func lerp(a, b uint8, t float64) float64 { return float64(a) + (float64(b)-float64(a))*t }
