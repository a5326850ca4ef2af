package advancedoptions

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts the environment variables that set client config keys.
const EnvPrefix = "SOFTPHONE_ADVANCEDOPTIONS_"

// ApplyEnv sets keys of section from environment variables (environ as
// os.Environ gives it) named EnvPrefix + the key path in upper case, levels
// joined by "_" and list items by their index:
//
//	SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPDOMAIN=example.com
//	SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPSERVERADDRESS='["wss://sbc.example.com:10081"]'
//	SOFTPHONE_ADVANCEDOPTIONS_MODES_ICE_TIMEOUT_FIX=3000
//	SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_0_CLIENTID=...
//
// Names match schema keys case-insensitively; values are parsed as YAML, so
// true, 3000 and [a, b] have their YAML types. An environment variable wins
// over the file. Free-form maps (whose keys are case-sensitive) cannot be
// set this way. section must be a mapping (or null, which becomes an empty
// mapping); it is changed in place. Errors name the variable.
func ApplyEnv(section *yaml.Node, environ []string) error {
	var errs Errors
	var vars []string
	for _, kv := range environ {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(strings.ToUpper(name), EnvPrefix) {
			vars = append(vars, kv)
		}
	}
	slices.Sort(vars) // deterministic, whatever order the environment has
	for _, kv := range vars {
		name, value, _ := strings.Cut(kv, "=")
		fail := func(format string, args ...any) {
			errs = append(errs, Diagnostic{Path: name, Message: fmt.Sprintf(format, args...)})
		}
		if section == nil {
			fail("there is no advancedOptions section to apply it to")
			continue
		}
		if isNull(section) {
			*section = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: section.Line, Column: section.Column}
		}
		if section.Kind != yaml.MappingNode {
			fail("advancedOptions is not a mapping")
			continue
		}
		steps, ok := envPath(strings.ToUpper(name[len(EnvPrefix):]), reflect.TypeFor[Options]())
		if !ok {
			fail("names no key of advancedOptions (free-form maps cannot be set from the environment)")
			continue
		}
		var val yaml.Node
		if err := yaml.Unmarshal([]byte(value), &val); err != nil || len(val.Content) == 0 {
			val = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{strNode(value)}}
		}
		if err := setPath(section, steps, val.Content[0]); err != nil {
			fail("%v", err)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// envStep is one level of an environment path: a mapping key or a list index.
type envStep struct {
	key   string
	index int
	list  bool
}

// envPath resolves an upper-case "_"-joined path against schema type t.
// Keys may themselves contain "_" (cache_register_auth_mode), so every
// field whose name is a prefix is tried.
func envPath(rest string, t reflect.Type) ([]envStep, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if rest == "" {
		return nil, true
	}
	switch {
	case t == mappingType:
		return nil, false
	case t.Kind() == reflect.Slice:
		num, after, _ := strings.Cut(rest, "_")
		i, err := strconv.Atoi(num)
		if err != nil || i < 0 || i > 1000 {
			return nil, false
		}
		tail, ok := envPath(after, t.Elem())
		if !ok {
			return nil, false
		}
		return append([]envStep{{index: i, list: true}}, tail...), true
	case t.Kind() == reflect.Struct:
		fields := schemaFields(t)
		for _, name := range fields.names {
			up := strings.ToUpper(name)
			if rest != up && !strings.HasPrefix(rest, up+"_") {
				continue
			}
			tail, ok := envPath(strings.TrimPrefix(strings.TrimPrefix(rest, up), "_"), t.Field(fields.index[name]).Type)
			if ok {
				return append([]envStep{{key: name}}, tail...), true
			}
		}
	}
	return nil, false
}

// setPath sets the value at steps under n, creating mappings and list items.
func setPath(n *yaml.Node, steps []envStep, val *yaml.Node) error {
	for i, st := range steps {
		last := i == len(steps)-1
		if st.list {
			if n.Kind != yaml.SequenceNode {
				return fmt.Errorf("the file sets this list to %s", describe(n))
			}
			switch {
			case st.index < len(n.Content):
			case st.index == len(n.Content):
				n.Content = append(n.Content, mapNode())
			default:
				return fmt.Errorf("index %d is past the end of the list (%d items)", st.index, len(n.Content))
			}
			if last {
				n.Content[st.index] = val
				return nil
			}
			n = n.Content[st.index]
			continue
		}
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("the file sets %s to %s, not a mapping", st.key, describe(n))
		}
		if last {
			setKey(n, st.key, val)
			return nil
		}
		next := child(n, st.key)
		if next == nil || isNull(next) {
			next = mapNode()
			if steps[i+1].list {
				next = seqNode()
			}
			setKey(n, st.key, next)
		}
		n = next
	}
	return nil
}
