package branding

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The box the client draws the logo into (manual, "Logo": 241 x 34).
const (
	maxLogoWidth  = 241
	maxLogoHeight = 34
)

const svgNamespace = "http://www.w3.org/2000/svg"

// viewBox is the size part of an SVG viewBox attribute.
type viewBox struct {
	Attr string  // the attribute as written
	W, H float64 // width and height
}

func (v viewBox) size() string { return formatNum(v.W) + "x" + formatNum(v.H) }

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (c *checker) checkLogo(name string, data []byte) {
	vb, err := parseSVG(data)
	if err != nil {
		c.r.errorf(name, "%v", err)
		return
	}
	if vb.W > maxLogoWidth || vb.H > maxLogoHeight {
		c.r.errorf(name, "viewBox %s is larger than %dx%d; the client draws the logo in a %dx%d box, scale the drawing down so its viewBox fits, e.g. \"0 0 %d %d\"",
			vb.Attr, maxLogoWidth, maxLogoHeight, maxLogoWidth, maxLogoHeight, maxLogoWidth, maxLogoHeight)
		return
	}
	c.logo = &vb
}

// checkSmallLogo compares the small logo with the logo in effect: the
// overlay's when it has a valid one (Check checks the logo first), else
// the default.
func (c *checker) checkSmallLogo(name string, data []byte) {
	vb, err := parseSVG(data)
	if err != nil {
		c.r.errorf(name, "%v", err)
		return
	}
	if vb.W > c.logo.W || vb.H > c.logo.H {
		c.r.errorf(name, "viewBox %s is larger than the logo's %s; the small logo must not be larger than the logo in width or height",
			vb.Attr, c.logo.size())
	}
}

// parseSVG checks that data is a well-formed SVG document that browsers
// draw in an <img>, and returns its viewBox.
func parseSVG(data []byte) (viewBox, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root *xml.StartElement
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			return viewBox{}, fmt.Errorf("is not a well-formed SVG image (line %d: %v); browsers draw nothing for it", line, stripXMLPrefix(err))
		}
		if se, ok := tok.(xml.StartElement); ok && root == nil {
			se = se.Copy()
			root = &se
		}
	}
	if root == nil {
		return viewBox{}, errors.New("is not an SVG image: it has no <svg> element")
	}
	if root.Name.Local != "svg" {
		return viewBox{}, fmt.Errorf("is not an SVG image: its root element is <%s>, want <svg>", root.Name.Local)
	}
	if root.Name.Space != svgNamespace {
		return viewBox{}, fmt.Errorf("<svg> lacks xmlns=%q; browsers draw nothing for it in an <img>", svgNamespace)
	}
	attr := ""
	found := false
	for _, a := range root.Attr {
		if a.Name.Local == "viewBox" && a.Name.Space == "" {
			attr, found = a.Value, true
		}
	}
	if !found {
		return viewBox{}, fmt.Errorf("<svg> has no viewBox; the client scales the logo by it, add one such as viewBox=\"0 0 %d %d\"", maxLogoWidth, maxLogoHeight)
	}
	fields := strings.FieldsFunc(attr, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(fields) != 4 {
		return viewBox{}, fmt.Errorf("viewBox %q must be four numbers \"min-x min-y width height\"", attr)
	}
	var nums [4]float64
	for i, f := range fields {
		n, err := strconv.ParseFloat(f, 64)
		if err != nil || n != n || n > 1e9 || n < -1e9 {
			return viewBox{}, fmt.Errorf("viewBox %q must be four numbers \"min-x min-y width height\", got %q", attr, f)
		}
		nums[i] = n
	}
	if nums[2] <= 0 || nums[3] <= 0 {
		return viewBox{}, fmt.Errorf("viewBox %q must have a positive width and height", attr)
	}
	return viewBox{Attr: strings.Join(fields, " "), W: nums[2], H: nums[3]}, nil
}

// stripXMLPrefix removes encoding/xml's "XML syntax error on line N: "
// prefix; the line is reported separately.
func stripXMLPrefix(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}
