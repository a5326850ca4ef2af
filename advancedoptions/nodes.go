package advancedoptions

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/yamlnode"
)

// Helpers to read and rewrite YAML mapping nodes in place, for migrations.

// lookupKey returns the key and value nodes of key in mapping m, or nils.
func lookupKey(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = yamlnode.Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := yamlnode.Resolve(m.Content[i]); kn.Kind == yaml.ScalarNode && kn.Value == key {
			return kn, m.Content[i+1]
		}
	}
	return nil, nil
}

// child returns the value of key in m, aliases resolved, or nil.
func child(m *yaml.Node, key string) *yaml.Node {
	_, v := lookupKey(m, key)
	return yamlnode.Resolve(v)
}

// isSet reports whether n holds a value (not absent, not null).
func isSet(n *yaml.Node) bool {
	n = yamlnode.Resolve(n)
	return n != nil && !yamlnode.IsNull(n)
}

// removeKey deletes every entry of key from mapping m.
func removeKey(m *yaml.Node, key string) {
	out := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := yamlnode.Resolve(m.Content[i]); kn.Kind == yaml.ScalarNode && kn.Value == key {
			continue
		}
		out = append(out, m.Content[i], m.Content[i+1])
	}
	m.Content = out
}

// setKey sets key to v in mapping m, replacing an existing entry in place
// or appending a new one.
func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := yamlnode.Resolve(m.Content[i]); kn.Kind == yaml.ScalarNode && kn.Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, strNode(key), v)
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(b)}
}

func mapNode(pairs ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(pairs); i += 2 {
		m.Content = append(m.Content, strNode(pairs[i].(string)), pairs[i+1].(*yaml.Node))
	}
	return m
}

func seqNode(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// nodeValue is n as a plain Go value, for migration reports.
func nodeValue(n *yaml.Node) any {
	var v any
	if n == nil || n.Decode(&v) != nil {
		return nil
	}
	return v
}

// maxNodes bounds the size of a configuration after alias expansion, so
// that a small file with nested aliases ("billion laughs") cannot exhaust memory.
const maxNodes = 100000

// cloneNode deep-copies n, so migrations never change the caller's tree.
// Aliases are expanded into copies of their targets. It returns false when
// the copy would exceed maxNodes.
func cloneNode(n *yaml.Node) (*yaml.Node, bool) {
	budget := maxNodes
	c := cloneBudget(n, &budget, 0)
	return c, budget >= 0
}

func cloneBudget(n *yaml.Node, budget *int, depth int) *yaml.Node {
	*budget--
	if n == nil || *budget < 0 || depth > 1000 {
		if n != nil {
			*budget = -1
		}
		return nil
	}
	if n.Kind == yaml.AliasNode {
		c := cloneBudget(n.Alias, budget, depth+1)
		if c != nil {
			c.Anchor = ""
		}
		return c
	}
	c := *n
	c.Anchor = ""
	c.Alias = nil
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = cloneBudget(ch, budget, depth+1)
			if *budget < 0 {
				return nil
			}
		}
	}
	if c.Kind == yaml.MappingNode {
		expandMerges(&c)
	}
	return &c
}

// expandMerges replaces YAML merge keys ("<<: *base", "<<: [*a, *b]") of an
// already copied mapping by the merged entries: keys set explicitly win,
// then earlier merged mappings over later ones.
func expandMerges(m *yaml.Node) {
	var own, merged []*yaml.Node
	has := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			sources := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				sources = v.Content
			}
			for _, src := range sources {
				if src != nil && src.Kind == yaml.MappingNode {
					merged = append(merged, src.Content...)
				}
			}
			continue
		}
		own = append(own, k, v)
		has[k.Value] = true
	}
	if len(own) == len(m.Content) {
		return
	}
	for i := 0; i+1 < len(merged); i += 2 {
		if k := merged[i]; !has[k.Value] {
			has[k.Value] = true
			own = append(own, k, merged[i+1])
		}
	}
	m.Content = own
}
