package advancedoptions

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ../internal/contractgen

// ContractKey is one key of the client contract: what the embedded web
// client does with one key of the schema. [Contract] derives it from the
// [Options] struct (path, type), [Options.SetDefaults] (documented defaults)
// and the clientKeys table (the client's own defaults, ranges, and whether
// it implements the key). go generate writes it to
// webclient/src/config/contract.gen.ts, which the client reads its defaults
// and ranges from, and to the key list of docs/client-options.md.
type ContractKey struct {
	// Path is the key path below advancedOptions; "[]" stands for any list item,
	// e.g. "contactCenterConfig.integrations[].enabled".
	Path string `json:"-"`
	// Type is "boolean", "integer", "string", "string[]" or "map" (texts by key).
	Type string `json:"type"`
	// Default is the value that applies when the key is unset: the manual's
	// documented default (rendered by softphone) or the client's own. nil when none.
	Default any `json:"default,omitzero"`
	// Min and Max bound an integer key, inclusive; nil when unbounded.
	Min *int `json:"min,omitzero"`
	Max *int `json:"max,omitzero"`
	// Implemented tells whether this client does what the manual says the key does.
	Implemented bool `json:"implemented"`
	// Client says what this client does with the key, for docs/client-options.md.
	Client string `json:"-"`
	// warning is what softphone check says when the key is set although not
	// implemented; empty for the generic message.
	warning string
}

// clientKey is the hand-kept part of a ContractKey.
type clientKey struct {
	implemented bool
	client      string
	def         any
	min, max    *int
	warning     string
	// noDefault drops a default SetDefaults fills in depending on other keys
	// (an AAD provider's endpoint); it is rendered explicitly anyway.
	noDefault bool
}

// does is a key the client implements, saying what it does with it.
func does(client string) clientKey { return clientKey{implemented: true, client: client} }

// lacks is a key the client does not implement, naming the missing feature.
func lacks(missing string) clientKey { return clientKey{client: missing} }

// orElse is the client's default where the manual documents none.
func (k clientKey) orElse(def any) clientKey { k.def = def; return k }

// within is the inclusive range of an integer key.
func (k clientKey) within(lo, hi int) clientKey {
	k.min, k.max = &lo, &hi
	return k
}

// warn replaces the generic "does not implement" warning.
func (k clientKey) warn(msg string) clientKey { k.warning = msg; return k }

// conditional drops the default SetDefaults fills in depending on other keys.
func (k clientKey) conditional() clientKey { k.noDefault = true; return k }

// Contract lists every key of the schema in schema order with what the
// client does with it. It panics when the schema and the clientKeys table
// disagree (a key without an entry, an entry without a key, two defaults);
// a test keeps that from ever shipping.
func Contract() []ContractKey {
	keys, err := buildContract()
	if err != nil {
		panic(err)
	}
	return keys
}

func buildContract() ([]ContractKey, error) {
	// A sample with one item in each list and every optional section, so
	// that their defaults show.
	sample := &Options{
		NotificationOptions: &NotificationOptions{Autoplay: &AutoplayNotification{}},
		ContactCenterConfig: &ContactCenterConfig{Integrations: make([]Integration, 1)},
		AuthProvidersConfig: &AuthProvidersConfig{Providers: make([]AuthProvider, 1)},
	}
	sample.SetDefaults()
	var keys []ContractKey
	var errs []string
	seen := map[string]bool{}
	walkSchema(reflect.ValueOf(sample).Elem(), "", func(path string, v reflect.Value) {
		ck, ok := clientKeys[path]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: in the schema but not in clientKeys", path))
			return
		}
		seen[path] = true
		k := ContractKey{Path: path, Type: schemaType(v.Type()), Min: ck.min, Max: ck.max,
			Implemented: ck.implemented, Client: ck.client, warning: ck.warning}
		if documented := leafValue(v); documented != nil && !ck.noDefault {
			if ck.def != nil {
				errs = append(errs, fmt.Sprintf("%s: SetDefaults sets %v and clientKeys gives %v: keep one", path, documented, ck.def))
			}
			k.Default = documented
		} else if ck.def != nil {
			k.Default = ck.def
		}
		if (k.Min != nil) != (k.Type == "integer") {
			errs = append(errs, fmt.Sprintf("%s: a range is for integer keys, and every integer key needs one", path))
		}
		keys = append(keys, k)
	})
	for path := range clientKeys {
		if !seen[path] {
			errs = append(errs, fmt.Sprintf("%s: in clientKeys but not in the schema", path))
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, fmt.Errorf("advancedoptions: client contract: %s", strings.Join(errs, "; "))
	}
	return keys, nil
}

// walkSchema calls leaf for every key below v (a schema struct), depth first
// in field order, with its contract path and value.
func walkSchema(v reflect.Value, prefix string, leaf func(path string, v reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		if name == "" {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		f := v.Field(i)
		ft := f.Type()
		switch {
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			if f.IsNil() {
				f = reflect.New(ft.Elem())
			}
			walkSchema(f.Elem(), path, leaf)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft != mappingType:
			item := reflect.New(ft.Elem()).Elem()
			if f.Len() > 0 {
				item = f.Index(0)
			}
			walkSchema(item, path+"[]", leaf)
		default:
			leaf(path, f)
		}
	}
}

func schemaType(t reflect.Type) string {
	if t == mappingType {
		return "map"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int:
		return "integer"
	case reflect.String:
		return "string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "string[]"
		}
	}
	panic("advancedoptions: no contract type for " + t.String())
}

// leafValue is the value of a schema leaf as plain Go (bool, int, string,
// []string), or nil when it is unset.
func leafValue(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.IsZero() && v.Kind() != reflect.Bool && v.Kind() != reflect.Int {
		if v.Kind() == reflect.Slice && !v.IsNil() {
			return []string{}
		}
		return nil
	}
	if v.Type() == mappingType {
		return nil
	}
	return v.Interface()
}

// contractIndex is the contract by path, built once.
var contractIndex = sync.OnceValue(func() map[string]ContractKey {
	m := map[string]ContractKey{}
	for _, k := range Contract() {
		m[k.Path] = k
	}
	return m
})

// walkSet calls leaf for every key set in v (a schema struct): its path in
// diagnostics (with list indices), its contract key, and its value.
func walkSet(v reflect.Value, path, cpath string, leaf func(path string, k ContractKey, val any)) {
	t := v.Type()
	for i := range t.NumField() {
		name := jsonName(t.Field(i))
		if name == "" {
			continue
		}
		fpath, fcpath := path+"."+name, name
		if cpath != "" {
			fcpath = cpath + "." + name
		}
		f := v.Field(i)
		ft := f.Type()
		switch {
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			if !f.IsNil() {
				walkSet(f.Elem(), fpath, fcpath, leaf)
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft != mappingType:
			for j := range f.Len() {
				walkSet(f.Index(j), idx(fpath, j), fcpath+"[]", leaf)
			}
		default:
			if f.Type() == mappingType {
				if f.Len() > 0 {
					leaf(fpath, contractIndex()[fcpath], f.Interface())
				}
			} else if val := leafValue(f); val != nil {
				leaf(fpath, contractIndex()[fcpath], val)
			}
		}
	}
}

// ranges checks every integer key against the contract's range.
func (v *validator) ranges(o *Options) {
	walkSet(reflect.ValueOf(o).Elem(), rootPath, "", func(path string, k ContractKey, val any) {
		if n, ok := val.(int); ok && k.Min != nil {
			v.intRange(path, &n, *k.Min, *k.Max)
		}
	})
}

// unimplemented warns about every key set in o that this client does not
// implement; false, and the key's default, are not a use. Call it before
// SetDefaults, so that only what the configuration sets is reported.
func unimplemented(d *decoder, o *Options) []Diagnostic {
	var warns []Diagnostic
	walkSet(reflect.ValueOf(o).Elem(), rootPath, "", func(path string, k ContractKey, val any) {
		if k.Implemented || val == false || reflect.DeepEqual(val, k.Default) {
			return
		}
		msg := k.warning
		if msg == "" {
			msg = fmt.Sprintf("this client does not implement %s: the key is served but has no effect", k.Client)
		}
		m := d.lookup(path)
		warns = append(warns, Diagnostic{File: d.file, Line: m.line, Col: m.col, Path: path, Message: msg})
	})
	return warns
}
