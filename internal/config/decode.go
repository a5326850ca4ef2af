package config

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/didyoumean"
	"github.com/softphone/softphone/internal/yamlnode"
)

// decoder decodes the server keys of the document into a server.Config
// over its defaults: unknown keys (with a did-you-mean), keys set twice and
// wrong types are errors, all collected, each at the key's position. A
// value given as text (from the environment, a flag, or quoted in the file)
// is converted to the field's type; a list given as text is
// comma-separated. A list replaces the default list.
type decoder struct {
	at    *locator
	diags []Diagnostic
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	d.diags = append(d.diags, d.at.diag(n, path, fmt.Sprintf(format, args...)))
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = yamlnode.Resolve(n)
	if n == nil || yamlnode.IsNull(n) {
		return // unset: the default applies
	}
	t := v.Type()
	if reflect.PointerTo(t).Implements(textUnmarshalerType) && t != durationType {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, path, "must be a single value, got %s", yamlnode.Describe(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.errorf(n, path, "%v, got %s", err, yamlnode.Describe(n))
		}
		return
	}
	if t == durationType {
		d.decodeDuration(n, v, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		d.decode(n, elem.Elem(), path)
		v.Set(elem)
	case reflect.Struct:
		d.decodeStruct(n, v, t, keysOf(t), path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, path, "must be a single value, got %s", yamlnode.Describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil || !yamlnode.IsText(n) && n.ShortTag() != "!!bool" {
			d.errorf(n, path, "must be true or false, got %s", yamlnode.Describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits())
		if n.Kind != yaml.ScalarNode || err != nil || !yamlnode.IsText(n) && n.ShortTag() != "!!int" {
			d.errorf(n, path, "must be an integer, got %s", yamlnode.Describe(n))
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, t.Bits())
		if n.Kind != yaml.ScalarNode || err != nil || !yamlnode.IsText(n) && n.ShortTag() != "!!int" {
			d.errorf(n, path, "must be a whole number of 0 or more, got %s", yamlnode.Describe(n))
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, t.Bits())
		if n.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.errorf(n, path, "must be a number, got %s", yamlnode.Describe(n))
			return
		}
		v.SetFloat(f)
	default:
		panic("config: unsupported config field kind " + t.Kind().String() + " at " + path)
	}
}

// decodeDuration takes Go durations ("30s", "1h30m"). A number alone is an
// error rather than nanoseconds ("read: 30" would time every request out);
// only 0 needs no unit.
func (d *decoder) decodeDuration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "must be a duration such as \"30s\", got %s", yamlnode.Describe(n))
		return
	}
	if _, err := strconv.ParseFloat(n.Value, 64); err == nil && n.Value != "0" {
		d.errorf(n, path, "must be a duration with a unit such as \"%ss\" (s, m, h, ms), got %s without a unit", n.Value, n.Value)
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.errorf(n, path, "must be a duration such as \"30s\" or \"1h30m\", got %s", yamlnode.Describe(n))
		return
	}
	v.SetInt(int64(dur))
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode && yamlnode.IsText(n) && !isSection(v.Type().Elem()) {
		// A list as text: "a,b" from the environment or a flag.
		var items []*yaml.Node
		for item := range strings.SplitSeq(n.Value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item, Line: n.Line, Column: n.Column})
			}
		}
		n = &yaml.Node{Kind: yaml.SequenceNode, Content: items, Line: n.Line, Column: n.Column}
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list, got %s", yamlnode.Describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	t := v.Type()
	if n.Kind != yaml.MappingNode || t.Key().Kind() != reflect.String {
		d.errorf(n, path, "must be a mapping, got %s", yamlnode.Describe(n))
		return
	}
	m := reflect.MakeMap(t)
	for _, e := range entries(n) {
		kpath := joinPath(path, e.key.Value)
		if m.MapIndex(reflect.ValueOf(e.key.Value).Convert(t.Key())).IsValid() {
			d.errorf(e.key, kpath, "key set twice")
			continue
		}
		val := reflect.New(t.Elem()).Elem()
		d.decode(e.value, val, kpath)
		m.SetMapIndex(reflect.ValueOf(e.key.Value).Convert(t.Key()), val)
	}
	v.Set(m)
}

// decodeStruct decodes a mapping into the keys of a struct; key names
// match without regard to case.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, t reflect.Type, keys []key, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must be a mapping of keys, got %s", yamlnode.Describe(n))
		return
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	seen := map[string]*yaml.Node{}
	for _, e := range entries(n) {
		name := e.key.Value
		kpath := joinPath(path, name)
		var match *key
		for i := range keys {
			if strings.EqualFold(keys[i].name, name) {
				match = &keys[i]
				break
			}
		}
		if match == nil {
			d.errorf(e.key, kpath, "%s", unknownMsg(name, path, names))
			continue
		}
		kpath = joinPath(path, match.name)
		if first, dup := seen[match.name]; dup {
			d.errorf(e.key, kpath, "key set twice (first at line %d as %q)", first.Line, first.Value)
			continue
		}
		seen[match.name] = e.key
		if match.typ == clientConfigType {
			continue // the client config, decoded by advancedoptions
		}
		d.decode(e.value, v.FieldByIndex(match.index), kpath)
	}
}

// unknownMsg says what an unknown key may have meant: a sibling close to
// it, the same key elsewhere (htpasswdFile at the top level), or the list
// of known keys.
func unknownMsg(key, prefix string, siblings []string) string {
	if s := didyoumean.Closest(key, siblings); s != "" {
		return fmt.Sprintf("unknown key, did you mean %q?", joinPath(prefix, s))
	}
	for _, p := range serverPaths() {
		last := p[strings.LastIndex(p, ".")+1:]
		if strings.EqualFold(last, key) {
			return fmt.Sprintf("unknown key here, did you mean %q?", p)
		}
	}
	if prefix == "" {
		return "unknown key; known top-level keys are " + strings.Join(siblings, ", ")
	}
	return "unknown key; known keys here are " + strings.Join(siblings, ", ")
}

type entry struct{ key, value *yaml.Node }

// entries lists a mapping's keys and values, merge keys ("<<: *base")
// expanded: a key written in the mapping wins over a merged one.
func entries(n *yaml.Node) []entry {
	var out, merged []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := yamlnode.Resolve(n.Content[i]), yamlnode.Resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" && val != nil {
			sources := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				sources = val.Content
			}
			for _, s := range sources {
				if s = yamlnode.Resolve(s); s != nil && s.Kind == yaml.MappingNode {
					merged = append(merged, entries(s)...)
				}
			}
			continue
		}
		out = append(out, entry{k, n.Content[i+1]})
	}
	for _, m := range merged {
		shadowed := false
		for _, e := range out {
			if strings.EqualFold(e.key.Value, m.key.Value) {
				shadowed = true
				break
			}
		}
		if !shadowed {
			out = append(out, m)
		}
	}
	return out
}
