package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/didyoumean"
	"github.com/softphone/softphone/internal/yamlnode"
)

// envPrefix starts every environment variable that sets a config key.
const envPrefix = "SOFTPHONE_"

// step is one level of a key path set from outside the file: a mapping key
// or a list index.
type step struct {
	key   string
	index int
	list  bool
	// fold matches the file's keys without regard to case, as for every
	// key outside advancedOptions.
	fold bool
}

// resolveEnv maps an environment variable's name, upper case without
// SOFTPHONE_, to the key it sets: one mapping for server and client keys.
// Each key is written in upper snake case (HMAC_SECRET) or upper case
// without word breaks (HMACSECRET), keys are joined by "_", list items of
// the client config by their index. Keys may themselves contain "_"
// (cache_register_auth_mode), so every key whose spelling is a prefix of
// the name is tried, in declaration order.
func resolveEnv(rest string) ([]step, string, bool) {
	return resolveKeys(rest, rootKeys(), "", false)
}

func resolveKeys(rest string, keys []key, prefix string, client bool) ([]step, string, bool) {
	for _, k := range keys {
		spellings := []string{snake(k.name), strings.ToUpper(k.name)}
		for _, sp := range slices.Compact(spellings) {
			if rest != sp && !strings.HasPrefix(rest, sp+"_") {
				continue
			}
			tail := strings.TrimPrefix(strings.TrimPrefix(rest, sp), "_")
			path := joinPath(prefix, k.name)
			st := step{key: k.name, fold: !client}
			var steps []step
			var ok bool
			switch {
			case client || k.typ == clientConfigType:
				steps, path, ok = resolveClient(tail, k.typ, path)
			case isSection(k.typ):
				if tail != "" {
					steps, path, ok = resolveKeys(tail, keysOf(k.typ), path, false)
				}
			default:
				ok = tail == "" // server lists are set whole, comma-separated
			}
			if ok {
				return append([]step{st}, steps...), path, true
			}
		}
	}
	return nil, "", false
}

// resolveClient resolves the rest of a name below a client config key of
// type t: any key or list item may be set, with a YAML value.
func resolveClient(rest string, t reflect.Type, path string) ([]step, string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case rest == "":
		return nil, path, true
	case t == clientMappingType:
		return nil, "", false // free-form keys are case-sensitive
	case t.Kind() == reflect.Slice:
		num, after, _ := strings.Cut(rest, "_")
		i, err := strconv.Atoi(num)
		if err != nil || i < 0 || i > 1000 {
			return nil, "", false
		}
		tail, p, ok := resolveClient(after, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		if !ok {
			return nil, "", false
		}
		return append([]step{{index: i, list: true}}, tail...), p, true
	case t.Kind() == reflect.Struct:
		return resolveKeys(rest, keysOf(t), path, true)
	}
	return nil, "", false
}

// applyEnv sets the keys named by SOFTPHONE_* variables (environ as
// os.Environ gives it) in the document root. Server keys take the value as
// text, as a flag does (a list comma-separated); client keys parse it as
// YAML, so true, 3000 and [a, b] have their YAML types. Variables are
// applied in name order, whatever order the environment has.
func (o *overlay) applyEnv(root *yaml.Node, environ []string) {
	vars := map[string]string{}
	var names []string
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(strings.ToUpper(name), envPrefix) {
			continue
		}
		if _, dup := vars[name]; !dup {
			names = append(names, name)
		}
		vars[name] = value
	}
	slices.Sort(names)
	for _, name := range names {
		source := "environment variable " + name
		steps, path, ok := resolveEnv(strings.ToUpper(name)[len(envPrefix):])
		if !ok {
			o.errorf(source, "", "%s", unknownEnvMsg(name))
			continue
		}
		val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: vars[name]}
		if within(path, sectionKey) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(vars[name]), &doc); err == nil && len(doc.Content) > 0 {
				val = doc.Content[0]
			}
		}
		o.set(root, steps, val, path, source)
	}
}

func unknownEnvMsg(name string) string {
	up := strings.ToUpper(name)
	if strings.HasPrefix(up, envPrefix+"ADVANCEDOPTIONS_") || strings.HasPrefix(up, envPrefix+"ADVANCED_OPTIONS_") {
		return "names no key of advancedOptions (free-form maps cannot be set from the environment)"
	}
	var names []string
	for _, p := range serverPaths() {
		names = append(names, EnvName(p))
	}
	msg := "matches no config key"
	if s := didyoumean.Closest(name, names); s != "" {
		msg += fmt.Sprintf(", did you mean %s?", s)
	}
	return msg
}

// setPath sets the value at steps under n, creating mappings and list items.
func setPath(n *yaml.Node, steps []step, val *yaml.Node) error {
	for i, st := range steps {
		n = yamlnode.Resolve(n)
		last := i == len(steps)-1
		if st.list {
			if n.Kind != yaml.SequenceNode {
				return fmt.Errorf("the file sets this list to %s", yamlnode.Describe(n))
			}
			switch {
			case st.index < len(n.Content):
			case st.index == len(n.Content):
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
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
			return fmt.Errorf("the file sets %s to %s, not a mapping", st.key, yamlnode.Describe(n))
		}
		at := -1
		for j := 0; j+1 < len(n.Content); j += 2 {
			if k := n.Content[j].Value; k == st.key || st.fold && strings.EqualFold(k, st.key) {
				at = j + 1
			}
		}
		if last {
			if at < 0 {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: st.key}, val)
			} else {
				n.Content[at] = val
			}
			return nil
		}
		if at < 0 || yamlnode.IsNull(yamlnode.Resolve(n.Content[at])) {
			next := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if steps[i+1].list {
				next = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			}
			if at < 0 {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: st.key}, next)
			} else {
				n.Content[at] = next
			}
			n = next
			continue
		}
		n = n.Content[at]
	}
	return nil
}
