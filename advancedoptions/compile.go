package advancedoptions

import (
	"cmp"
	"math"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/yamlnode"
)

// Result is a compiled client configuration.
type Result struct {
	// Options is the decoded configuration with defaults filled in; nil on errors.
	Options *Options
	// JS is the advancedOptions.js to serve; nil on errors.
	JS []byte
	// Migrations lists the deprecated settings that were rewritten.
	Migrations []Migration
	// Warnings are legal but unsafe or doubtful choices.
	Warnings []Diagnostic
	// ConnectOrigins are the origins the client connects to, sorted and
	// unique, for the Content-Security-Policy connect-src.
	ConnectOrigins []string
}

// Compile turns the value of the advancedOptions key (nil when absent) into
// the advancedOptions.js to serve: migrate deprecated keys, decode strictly,
// fill defaults, validate, render. file names the input in diagnostics.
//
// Compile is a pure function of its input: no I/O, and section is not
// changed. On failure it returns an [Errors] with every error found, and a
// Result that still carries the migrations and warnings.
func Compile(section *yaml.Node, file string) (*Result, error) {
	res := &Result{}
	root, ok := cloneNode(section)
	if !ok {
		return res, Errors{{File: file, Line: section.Line, Col: section.Column, Path: rootPath,
			Message: "too large: more than 100000 values after expanding aliases"}}
	}
	if root != nil && root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			root = nil
		} else {
			root = root.Content[0]
		}
	}
	if root == nil {
		root = mapNode()
	}
	mig := &migrator{file: file}
	mig.run(root)
	res.Migrations = mig.migs

	d := newDecoder(file)
	o := &Options{}
	d.decode(root, reflect.ValueOf(o).Elem(), rootPath)
	ignored := unimplemented(d, o)
	o.SetDefaults()
	v := &validator{d: d}
	v.validate(o)
	res.Warnings = append(append(mig.warns, v.warns...), ignored...)
	for i := range res.Warnings {
		res.Warnings[i].Severity = SeverityWarning
	}

	errs := append(mig.errs, d.errs...)
	errs = append(errs, withoutOverlap(v.errs, d.errs)...)
	sortByPosition(res.Warnings)
	if len(errs) > 0 {
		sortByPosition(errs)
		return res, errs
	}
	js, err := Render(o)
	if err != nil {
		return res, err
	}
	res.Options, res.JS, res.ConnectOrigins = o, js, connectOrigins(o)
	return res, nil
}

// sortByPosition orders diagnostics as they appear in the input; those
// without a position keep their order at the end.
func sortByPosition(ds []Diagnostic) {
	key := func(d Diagnostic) (int, int) {
		if d.Line == 0 {
			return math.MaxInt, 0
		}
		return d.Line, d.Col
	}
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		al, ac := key(a)
		bl, bc := key(b)
		if c := cmp.Compare(al, bl); c != 0 {
			return c
		}
		return cmp.Compare(ac, bc)
	})
}

// withoutOverlap drops validation errors about values that failed to
// decode: a value left unset by a type error would otherwise also be
// reported as missing.
func withoutOverlap(verrs, derrs Errors) Errors {
	var out Errors
	for _, ve := range verrs {
		related := false
		for _, de := range derrs {
			if within(ve.Path, de.Path) || within(de.Path, ve.Path) {
				related = true
				break
			}
		}
		if !related {
			out = append(out, ve)
		}
	}
	return out
}

// within reports whether path is base or below it.
func within(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+".") || strings.HasPrefix(path, base+"[")
}

// SectionOf returns the value of the top-level advancedOptions key of a
// parsed YAML document (or mapping), or nil when there is none. The key is
// matched without regard to case, as every key of the file's top level and
// server sections is (see internal/config); the keys inside the section are
// case-sensitive. When the key is there twice in different cases, the last
// one is returned (the config pipeline refuses such a file anyway).
func SectionOf(doc *yaml.Node) *yaml.Node {
	if doc != nil && doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	doc = yamlnode.Resolve(doc)
	if doc == nil || doc.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if kn := yamlnode.Resolve(doc.Content[i]); kn.Kind == yaml.ScalarNode && strings.EqualFold(kn.Value, rootPath) {
			v = doc.Content[i+1]
		}
	}
	return v
}
