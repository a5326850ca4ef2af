package config

import (
	"encoding"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/server"
)

// sectionKey is the top-level key of the client config. Its value goes to
// advancedoptions untouched: its keys are case-sensitive.
const sectionKey = "advancedOptions"

// key is one YAML key of a config struct.
type key struct {
	// name is the key as the file spells it.
	name string
	// typ is the field's Go type.
	typ reflect.Type
	// index locates the field (through squashed embedded structs).
	index []int
}

var (
	durationType        = reflect.TypeFor[time.Duration]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	serverConfigType    = reflect.TypeFor[server.Config]()
	clientConfigType    = reflect.TypeFor[advancedoptions.Options]()
	clientMappingType   = reflect.TypeFor[advancedoptions.Mapping]()
)

// keysOf lists a struct's YAML keys in declaration order. The server's
// structs name their keys in mapstructure tags (the Go convention for
// config structs), the client's schema in json tags (the names the
// browser reads); either tag names the key, "-" hides the field and
// ",squash" inlines an embedded struct. Untagged fields are the field name
// with a lower-case first letter.
func keysOf(t reflect.Type) []key {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []key
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag, ok := sf.Tag.Lookup("mapstructure")
		if !ok {
			tag = sf.Tag.Get("json")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "squash") {
			for _, k := range keysOf(sf.Type) {
				k.index = append([]int{i}, k.index...)
				out = append(out, k)
			}
			continue
		}
		if name == "" {
			name = lowerFirst(sf.Name)
		}
		out = append(out, key{name: name, typ: sf.Type, index: []int{i}})
	}
	return out
}

// rootKeys are the top-level keys: server.Config's and advancedOptions.
func rootKeys() []key {
	return append(keysOf(serverConfigType), key{name: sectionKey, typ: clientConfigType})
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

// serverPaths returns every settable server key path ("tls.acme.domains"),
// sorted.
func serverPaths() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for _, k := range keysOf(t) {
			p := joinPath(prefix, k.name)
			if isSection(k.typ) {
				walk(k.typ, p)
				continue
			}
			out = append(out, p)
		}
	}
	walk(serverConfigType, "")
	sort.Strings(out)
	return out
}

// EnvName is a key path's environment twin: SOFTPHONE_ + upper snake case,
// "access.basicAuth.htpasswdFile" -> SOFTPHONE_ACCESS_BASIC_AUTH_HTPASSWD_FILE.
// Each segment may also be written in upper case without the word breaks
// (SOFTPHONE_ACCESS_JWT_HMACSECRET); see [resolveEnv].
func EnvName(path string) string {
	var b strings.Builder
	b.WriteString(envPrefix[:len(envPrefix)-1])
	for seg := range strings.SplitSeq(path, ".") {
		b.WriteByte('_')
		b.WriteString(snake(seg))
	}
	return b.String()
}

// snake is one key in upper snake case: a new word starts at an upper-case
// letter that follows a lower-case one ("jwksURL" -> JWKS_URL), or at the
// last capital of an acronym that a word follows ("HTTPServer" ->
// HTTP_SERVER); a plural "s" stays with its acronym ("allowedIPs" ->
// ALLOWED_IPS).
func snake(seg string) string {
	var b strings.Builder
	runes := []rune(seg)
	for i, r := range runes {
		pluralS := i+2 == len(runes) && runes[i+1] == 's'
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(runes[i-1]) ||
			i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]) && !pluralS) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
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

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// within reports whether path is base or below it.
func within(path, base string) bool {
	return path == base || strings.HasPrefix(path, base+".") || strings.HasPrefix(path, base+"[")
}
