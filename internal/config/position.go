package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/yamlnode"
)

// locator places diagnostics: at the variable or flag that set the key,
// else at the key's line and column in the file.
type locator struct {
	display string
	root    *yaml.Node
	ov      *overlay
}

// diag is an error about path; n is the offending node when known.
func (l *locator) diag(n *yaml.Node, path, msg string) Diagnostic {
	d := Diagnostic{File: l.display, Path: path, Message: msg}
	if src := l.ov.source(path); src != "" {
		d.File = src
		return d
	}
	if n == nil || n.Line == 0 {
		n = nodeAt(l.root, path)
	}
	if n != nil {
		d.Line, d.Col = n.Line, n.Column
	}
	return d
}

func (l *locator) warn(path, msg string) Diagnostic {
	d := l.diag(nil, path, msg)
	d.Severity = advancedoptions.SeverityWarning
	return d
}

// line places a "key.path: message" line as the server packages report
// problems; a line without a key path is a message about the whole file.
func (l *locator) line(s string) Diagnostic {
	path, msg, ok := strings.Cut(s, ": ")
	if !ok || path == "" || strings.ContainsAny(path, " \t") {
		return Diagnostic{File: l.display, Message: s}
	}
	return l.diag(nil, path, msg)
}

// client re-places a diagnostic of the client config whose key was set by
// a variable: its position is the file's, which did not set it.
func (l *locator) client(d Diagnostic) Diagnostic {
	if src := l.ov.source(d.Path); src != "" {
		d.File, d.Line, d.Col = src, 0, 0
	}
	return d
}

// nodeAt finds the YAML node of a key path such as "access.jwt.algorithms[1]":
// the key node for mapping entries, the item for list indexes; as far down
// the path as the document goes, or nil.
func nodeAt(root *yaml.Node, path string) *yaml.Node {
	if path == "" || root == nil {
		return nil
	}
	cur, found := root, (*yaml.Node)(nil)
	for seg := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		next := (*yaml.Node)(nil)
		if cur = yamlnode.Resolve(cur); cur.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if strings.EqualFold(cur.Content[i].Value, name) {
					found, next = cur.Content[i], yamlnode.Resolve(cur.Content[i+1])
					break
				}
			}
		}
		if next == nil {
			return found
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if err != nil || next.Kind != yaml.SequenceNode || i < 0 || i >= len(next.Content) {
				return found
			}
			next = yamlnode.Resolve(next.Content[i])
			found = next
			rest = strings.TrimPrefix(after, "[")
		}
		cur = next
	}
	return found
}

// parseYAML returns the document's top-level mapping node, or an empty
// mapping for an empty document. A syntax error comes back with its line,
// the column where the line's problem starts, and a hint.
func parseYAML(display string, src []byte) (*yaml.Node, *Diagnostic) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		d := syntaxError(display, src, err)
		return nil, &d
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Diagnostic{File: display, Line: root.Line, Col: root.Column,
			Message: fmt.Sprintf("the config must be a mapping of keys (listen:, tls:, advancedOptions:...), got %s", yamlnode.Describe(root))}
	}
	return root, nil
}

// yamlLine matches the line yaml.v3 reports with a syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxHints explain yaml.v3's syntax errors in an admin's terms.
var syntaxHints = []struct{ problem, hint string }{
	{"found character that cannot start any token", "indent with spaces, not tabs, and quote values that start with @ or `"},
	{"mapping values are not allowed", `a value containing ": " must be quoted, and a key needs a space after its colon`},
	{"did not find expected key", "this line's indentation does not match the keys above it"},
	{"could not find expected ':'", `a key needs a colon after it; a value running over several lines must be quoted`},
	{"did not find expected ',' or ']'", "a [ list is not closed, or an item needs quotes"},
	{"did not find expected ',' or '}'", "a { mapping is not closed, or a value needs quotes"},
	{"found unexpected end of stream", "a quote or bracket opened here is not closed"},
	{"block sequence entries are not allowed", `a "- " list item must start on its own line under its key`},
	{"found undefined alias", "an *alias names an &anchor that is not defined above it"},
	{"did not find expected alphabetic or numeric character", "a & or * must be followed by a name; quote values that start with & or *"},
}

// parserProblems are the syntax errors of yaml.v3's parser (the others
// are its scanner's): it numbers their lines from 0, the scanner's from 1.
var parserProblems = []string{
	"did not find expected key", "did not find expected node content", "did not find expected '-' indicator",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected <document start>",
}

// syntaxError turns yaml.v3's syntax error into a diagnostic. yaml.v3
// gives the line only; the column is where the line's first character
// that could be at fault is (a tab, else the first non-blank one).
func syntaxError(display string, src []byte, err error) Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	d := Diagnostic{File: display, Message: "YAML syntax: " + msg}
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return d
	}
	n, _ := strconv.Atoi(m[1])
	for _, p := range parserProblems {
		if strings.HasPrefix(m[2], p) {
			n++
			break
		}
	}
	d.Line, d.Message = n, "YAML syntax: "+m[2]
	lines := strings.Split(string(src), "\n")
	if n >= 1 && n <= len(lines) {
		text := lines[n-1]
		col := strings.IndexByte(text, '\t')
		if col < 0 {
			col = len(text) - len(strings.TrimLeft(text, " "))
		}
		d.Col = col + 1
	}
	for _, h := range syntaxHints {
		if strings.Contains(m[2], h.problem) {
			d.Message += " (hint: " + h.hint + ")"
			break
		}
	}
	return d
}
