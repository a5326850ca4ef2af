package advancedoptions

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/didyoumean"
	"github.com/softphone/softphone/internal/yamlnode"
)

// rootPath prefixes every key path in diagnostics.
const rootPath = "advancedOptions"

// mark is a position in the input, 1-based; zero when unknown.
type mark struct{ line, col int }

// decoder decodes a YAML node into the schema strictly: unknown keys,
// duplicate keys and wrong types are errors, all collected, each with its
// key path and position. It also records the position of every path so
// that validation can point at the offending value.
type decoder struct {
	file string
	errs Errors
	pos  map[string]mark
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, pos: map[string]mark{}}
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	diag := Diagnostic{File: d.file, Path: path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		diag.Line, diag.Col = n.Line, n.Column
	}
	if diag.Line == 0 {
		m := d.lookup(path)
		diag.Line, diag.Col = m.line, m.col
	}
	d.errs = append(d.errs, diag)
}

// lookup returns the position of path or of its nearest ancestor that has one.
func (d *decoder) lookup(path string) mark {
	for path != "" {
		if m, ok := d.pos[path]; ok && m.line > 0 {
			return m
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return mark{}
}

var mappingType = reflect.TypeFor[Mapping]()

// decode decodes n into v (settable), named path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = yamlnode.Resolve(n)
	if n == nil {
		return
	}
	if _, known := d.pos[path]; !known && n.Line > 0 {
		d.pos[path] = mark{n.Line, n.Column} // list items; keys are recorded by their parent
	}
	if yamlnode.IsNull(n) {
		return // unset: the default applies
	}
	if v.Type() == mappingType {
		d.decodeMapping(n, v, path)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.decode(n, elem.Elem(), path)
		v.Set(elem)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, "must be a list, got %s", yamlnode.Describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			d.errorf(n, path, "must be a string, got %s", yamlnode.Describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.errorf(n, path, "must be true or false, got %s", yamlnode.Describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int:
		var i int64
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil || i > math.MaxInt32 || i < math.MinInt32 {
			d.errorf(n, path, "must be an integer, got %s", yamlnode.Describe(n))
			return
		}
		v.SetInt(i)
	default:
		panic("advancedoptions: unsupported schema kind " + v.Kind().String())
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must be a mapping, got %s", yamlnode.Describe(n))
		return
	}
	fields := schemaFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := yamlnode.Resolve(n.Content[i]), n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			d.errorf(kn, path, "keys must be strings, got %s", yamlnode.Describe(kn))
			continue
		}
		key := kn.Value
		kpath := path + "." + key
		if seen[key] {
			d.errorf(kn, kpath, "key set twice")
			continue
		}
		seen[key] = true
		idx, ok := fields.index[key]
		if !ok {
			msg := "unknown key"
			if s := didyoumean.Closest(key, fields.names); s != "" {
				msg += fmt.Sprintf(", did you mean %q?", s)
			} else {
				msg += "; allowed: " + strings.Join(fields.names, ", ")
			}
			d.errorf(kn, kpath, "%s", msg)
			continue
		}
		if kn.Line > 0 {
			d.pos[kpath] = mark{kn.Line, kn.Column}
		}
		d.decode(vn, v.Field(idx), kpath)
	}
}

func (d *decoder) decodeMapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must be a mapping of texts, got %s", yamlnode.Describe(n))
		return
	}
	m := Mapping{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := yamlnode.Resolve(n.Content[i]), yamlnode.Resolve(n.Content[i+1])
		if kn.Kind != yaml.ScalarNode {
			d.errorf(kn, path, "keys must be texts, got %s", yamlnode.Describe(kn))
			continue
		}
		kpath := path + "." + kn.Value
		if _, dup := m.Get(kn.Value); dup {
			d.errorf(kn, kpath, "key set twice")
			continue
		}
		if vn == nil || vn.Kind != yaml.ScalarNode || vn.ShortTag() != "!!str" {
			d.errorf(vn, kpath, "must be a string, got %s (quote it)", yamlnode.Describe(vn))
			continue
		}
		if vn.Line > 0 {
			d.pos[kpath] = mark{vn.Line, vn.Column}
		}
		m = append(m, MappingEntry{Key: kn.Value, Value: vn.Value})
	}
	v.Set(reflect.ValueOf(m))
}

// fieldSet maps the keys of a schema struct to its fields.
type fieldSet struct {
	index map[string]int
	names []string
}

func schemaFields(t reflect.Type) fieldSet {
	fs := fieldSet{index: map[string]int{}}
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		if name == "" {
			continue
		}
		fs.index[name] = i
		fs.names = append(fs.names, name)
	}
	return fs
}

// jsonName is the key of a schema field: the name in its json tag.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}
