// Package yamlnode holds the few questions the config decoders (internal/config
// for the server keys, advancedoptions for the client keys) ask of a YAML
// node, so that both name values the same way in their messages.
package yamlnode

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Resolve follows aliases to the node they stand for; nil for a broken or
// too deep chain.
func Resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 100; depth++ {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is a YAML null (null, ~ or nothing).
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// IsText reports whether a scalar is a string (quoted in the file, or from
// the environment or a flag).
func IsText(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

// Describe names what n is, for "got ..." in messages: a quoted string, a
// number or boolean as written, "null", "a mapping", "a list" or "nothing".
func Describe(n *yaml.Node) string {
	n = Resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch {
		case IsText(n):
			return strconv.Quote(n.Value)
		case IsNull(n):
			return "null"
		default:
			return n.Value
		}
	}
	return "an unsupported YAML value"
}
