package main

import (
	"encoding"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/softphone/softphone/internal/didyoumean"
)

// schema describes the keys of server.Config as YAML spells them, derived
// from the mapstructure tags so the struct stays the single source.
type schema struct {
	// leaves maps each settable key path ("tls.acme.domains") to its type.
	leaves map[string]reflect.Type
}

var (
	durationType        = reflect.TypeOf(time.Duration(0))
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

func newSchema(t reflect.Type) *schema {
	s := &schema{leaves: map[string]reflect.Type{}}
	s.walk(t, "")
	return s
}

func (s *schema) walk(t reflect.Type, prefix string) {
	for _, f := range fields(t) {
		path := f.name
		if prefix != "" {
			path = prefix + "." + f.name
		}
		if isSection(f.typ) {
			s.walk(f.typ, path)
			continue
		}
		s.leaves[path] = f.typ
	}
}

// field is one YAML key of a struct.
type field struct {
	name string
	typ  reflect.Type
}

// fields lists a struct's YAML keys in declaration order, following
// mapstructure's rules: the tag names the key, "-" hides the field,
// ",squash" inlines an embedded struct.
func fields(t reflect.Type) []field {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("mapstructure")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "squash") {
			out = append(out, fields(sf.Type)...)
			continue
		}
		if name == "" {
			name = lowerFirst(sf.Name)
		}
		out = append(out, field{name: name, typ: sf.Type})
	}
	return out
}

// isSection reports whether a type is a nested mapping of known keys, as
// opposed to a value (durations and text-decoded types are values).
func isSection(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == durationType {
		return false
	}
	return !reflect.PointerTo(t).Implements(textUnmarshalerType)
}

// elemStruct returns the struct type of a slice's elements, or nil.
func elemStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Slice {
		return nil
	}
	e := t.Elem()
	for e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	if isSection(e) {
		return e
	}
	return nil
}

// envName is a key path's environment twin: SOFTPHONE_ + upper snake case,
// "access.basicAuth.htpasswdFile" -> SOFTPHONE_ACCESS_BASIC_AUTH_HTPASSWD_FILE.
func envName(path string) string {
	var b strings.Builder
	b.WriteString("SOFTPHONE")
	for seg := range strings.SplitSeq(path, ".") {
		b.WriteByte('_')
		runes := []rune(seg)
		for i, r := range runes {
			// A new word starts at an upper-case letter that follows a
			// lower-case one ("jwksURL" -> JWKS_URL), or at the last capital
			// of an acronym that a word follows ("HTTPServer" -> HTTP_SERVER);
			// a plural "s" stays with its acronym ("allowedIPs" -> ALLOWED_IPS).
			pluralS := i+2 == len(runes) && runes[i+1] == 's'
			if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(runes[i-1]) ||
				i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]) && !pluralS) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// paths returns the leaf key paths in sorted order.
func (s *schema) paths() []string {
	out := make([]string, 0, len(s.leaves))
	for p := range s.leaves {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// closest returns the candidate nearest to word, or "" when none is near
// enough to be a plausible typo.
func closest(word string, candidates []string) string {
	return didyoumean.Closest(word, candidates)
}
