package advancedoptions

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
	"go.yaml.in/yaml/v3"
)

// Import is a legacy advancedOptions.js turned into configuration.
type Import struct {
	// Section is the migrated advancedOptions mapping, its nodes positioned
	// at the .js source, ready for [Compile].
	Section *yaml.Node
	// YAML is the section as a YAML document with a top-level advancedOptions key.
	YAML []byte
	// Migrations lists the deprecated settings that were rewritten.
	Migrations []Migration
	// Warnings are findings that did not stop the import.
	Warnings []Diagnostic
}

// ImportLegacy reads a legacy advancedOptions.js without executing it: it
// parses the JavaScript, then takes each top-level "var NAME = literal;" (or
// let, const, NAME = literal, window.NAME = literal) and turns the literal
// into YAML. Comments, single quotes, trailing commas and undefined (an
// unset key) are accepted; anything that is not a literal is an error with
// its line and column. The result is migrated like any configuration. On
// failure the error is an [Errors].
func ImportLegacy(src []byte, name string) (*Import, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a UTF-8 BOM, as Windows editors write
	if !utf8.Valid(src) {
		return nil, Errors{{File: name, Message: "is not UTF-8 text"}}
	}
	prog, err := parser.ParseFile(nil, name, src, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, syntaxErrors(err, name)
	}
	im := &legacyImporter{file: prog.File, name: name}
	root := im.program(prog)
	if len(im.errs) > 0 {
		return nil, im.errs
	}
	mig := &migrator{file: name}
	if child(root, "contactCenterConfig") == nil && child(root, "defaultOAuthConfig") == nil && child(root, "supportedAuthenticationSchemes") == nil {
		im.warns = append(im.warns, Diagnostic{File: name, Path: p("contactCenterConfig"),
			Message: "not set: if this file predates 2.6 and the client runs inside Genesys WDE, add the Genesys Pure Engage integration (enabled: true, contactCenterPlatform: genesys_pure_engage, serviceName: Genesys Pure Engage, customSipHeaderNames: {contactCenterCallUuidHeader: x-genesys-calluuid})"})
	}
	mig.run(root)
	if len(mig.errs) > 0 {
		return nil, mig.errs
	}
	sortSchemaOrder(root, reflect.TypeFor[Options]())
	out, err := encodeSection(root)
	if err != nil {
		return nil, err
	}
	out = append([]byte("# advancedOptions migrated from "+filepath.Base(name)+" by softphone migrate;\n# review it, then make it the advancedOptions section of softphone.yaml.\n"), out...)
	return &Import{Section: root, YAML: out, Migrations: mig.migs, Warnings: append(im.warns, mig.warns...)}, nil
}

func syntaxErrors(err error, name string) Errors {
	var list parser.ErrorList
	if errors.As(err, &list) {
		out := make(Errors, len(list))
		for i, e := range list {
			out[i] = Diagnostic{File: name, Line: e.Position.Line, Col: e.Position.Column, Message: "javascript syntax error: " + e.Message}
		}
		return out
	}
	return Errors{{File: name, Message: "javascript syntax error: " + err.Error()}}
}

// legacyImporter walks the AST of a legacy file, accepting literals only.
type legacyImporter struct {
	file  *file.File
	name  string
	errs  Errors
	warns []Diagnostic
}

func (im *legacyImporter) pos(i file.Idx) (int, int) {
	pos := im.file.Position(int(i) - im.file.Base())
	return pos.Line, pos.Column
}

func (im *legacyImporter) errorf(at file.Idx, path, format string, args ...any) {
	l, c := im.pos(at)
	im.errs = append(im.errs, Diagnostic{File: im.name, Line: l, Col: c, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (im *legacyImporter) warnf(at file.Idx, path, format string, args ...any) {
	l, c := im.pos(at)
	im.warns = append(im.warns, Diagnostic{File: im.name, Line: l, Col: c, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (im *legacyImporter) program(prog *ast.Program) *yaml.Node {
	root := mapNode()
	set := func(id *ast.Identifier, value ast.Expression) {
		name := id.Name.String()
		path := rootPath + "." + name
		if value == nil {
			return // var x; is undefined: unset
		}
		v, undefined := im.literal(value, path)
		if undefined || v == nil {
			return
		}
		if kn, _ := lookupKey(root, name); kn != nil {
			im.warnf(id.Idx, path, "declared again; the last declaration wins, as in JavaScript (first at line %d)", kn.Line)
			removeKey(root, name)
		}
		k := strNode(name)
		k.Line, k.Column = im.pos(id.Idx)
		root.Content = append(root.Content, k, v)
	}
	prevEnd := file.Idx(im.file.Base())
	for _, st := range prog.Body {
		start := st.Idx0()
		if start < prevEnd { // some goja nodes (IfStatement) lack their start
			start = im.skipSpace(prevEnd)
		}
		prevEnd = st.Idx1()
		switch st := st.(type) {
		case *ast.EmptyStatement:
		case *ast.VariableStatement:
			im.bindings(st.List, set)
		case *ast.LexicalDeclaration:
			im.bindings(st.List, set)
		case *ast.ExpressionStatement:
			if sl, ok := st.Expression.(*ast.StringLiteral); ok && sl.Value == "use strict" {
				continue // a directive, not configuration
			}
			as, ok := st.Expression.(*ast.AssignExpression)
			if id := assignTarget(as); ok && as.Operator == token.ASSIGN && id != nil {
				set(id, as.Right)
				continue
			}
			im.errorf(start, "", "only \"var NAME = literal;\" statements are allowed, got %s", describeJS(st.Expression))
		default:
			im.errorf(start, "", "only \"var NAME = literal;\" statements are allowed, got a %s", statementKind(st))
		}
	}
	return root
}

// skipSpace returns the index of the first character at or after i that is
// not white space or a comment.
func (im *legacyImporter) skipSpace(i file.Idx) file.Idx {
	src := im.file.Source()
	off := int(i) - im.file.Base()
	for off < len(src) {
		switch {
		case strings.HasPrefix(src[off:], "//"):
			nl := strings.IndexByte(src[off:], '\n')
			if nl < 0 {
				return file.Idx(len(src) + im.file.Base())
			}
			off += nl + 1
		case strings.HasPrefix(src[off:], "/*"):
			end := strings.Index(src[off+2:], "*/")
			if end < 0 {
				return file.Idx(len(src) + im.file.Base())
			}
			off += end + 4
		case strings.IndexByte(" \t\r\n;", src[off]) >= 0:
			off++
		default:
			return file.Idx(off + im.file.Base())
		}
	}
	return file.Idx(off + im.file.Base())
}

func (im *legacyImporter) bindings(list []*ast.Binding, set func(*ast.Identifier, ast.Expression)) {
	for _, b := range list {
		id, ok := b.Target.(*ast.Identifier)
		if !ok {
			im.errorf(b.Target.Idx0(), "", "destructuring is not allowed, declare \"var NAME = literal;\"")
			continue
		}
		set(id, b.Initializer)
	}
}

// assignTarget returns NAME of "NAME = ..." or "window.NAME = ...".
func assignTarget(as *ast.AssignExpression) *ast.Identifier {
	if as == nil {
		return nil
	}
	switch l := as.Left.(type) {
	case *ast.Identifier:
		return l
	case *ast.DotExpression:
		if w, ok := l.Left.(*ast.Identifier); ok && w.Name == "window" {
			return &l.Identifier
		}
	}
	return nil
}

// literal converts a literal expression to a YAML node; undefined reports
// the value undefined (an unset key).
func (im *legacyImporter) literal(e ast.Expression, path string) (n *yaml.Node, undefined bool) {
	line, col := im.pos(e.Idx0())
	at := func(n *yaml.Node) *yaml.Node {
		n.Line, n.Column = line, col
		return n
	}
	switch e := e.(type) {
	case *ast.StringLiteral:
		return at(strNode(e.Value.String())), false
	case *ast.TemplateLiteral:
		if e.Tag == nil && len(e.Expressions) == 0 && len(e.Elements) == 1 && e.Elements[0].Valid {
			return at(strNode(e.Elements[0].Parsed.String())), false
		}
	case *ast.NumberLiteral:
		return at(numberNode(e.Value, false)), false
	case *ast.UnaryExpression:
		if num, ok := e.Operand.(*ast.NumberLiteral); ok && !e.Postfix && (e.Operator == token.MINUS || e.Operator == token.PLUS) {
			return at(numberNode(num.Value, e.Operator == token.MINUS)), false
		}
	case *ast.BooleanLiteral:
		return at(boolNode(e.Value)), false
	case *ast.NullLiteral:
		return at(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}), false
	case *ast.Identifier:
		if e.Name == "undefined" {
			return nil, true
		}
	case *ast.ArrayLiteral:
		seq := at(seqNode())
		for i, item := range e.Value {
			ip := idx(path, i)
			if item == nil {
				im.errorf(e.LeftBracket, ip, "array holes are not allowed")
				continue
			}
			v, undef := im.literal(item, ip)
			if undef {
				v = at(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
			}
			if v != nil {
				seq.Content = append(seq.Content, v)
			}
		}
		return seq, false
	case *ast.ObjectLiteral:
		return im.object(e, path, at(mapNode())), false
	}
	im.errorf(e.Idx0(), path, "must be a literal (string, number, boolean, null, undefined, object or array), got %s", describeJS(e))
	return nil, false
}

func (im *legacyImporter) object(e *ast.ObjectLiteral, path string, m *yaml.Node) *yaml.Node {
	for _, prop := range e.Value {
		pk, ok := prop.(*ast.PropertyKeyed)
		if !ok || pk.Kind != ast.PropertyKindValue || pk.Computed {
			im.errorf(prop.Idx0(), path, "only \"key: literal\" properties are allowed, got %s", describeJS(prop))
			continue
		}
		var key string
		switch k := pk.Key.(type) {
		case *ast.StringLiteral:
			key = k.Value.String()
		case *ast.NumberLiteral:
			key = numberNode(k.Value, false).Value
		default:
			im.errorf(pk.Key.Idx0(), path, "property names must be names, strings or numbers, got %s", describeJS(pk.Key))
			continue
		}
		kp := path + "." + key
		v, undefined := im.literal(pk.Value, kp)
		if v == nil && !undefined {
			continue
		}
		if kn, _ := lookupKey(m, key); kn != nil {
			im.warnf(pk.Key.Idx0(), kp, "set again; the last value wins, as in JavaScript (first at line %d)", kn.Line)
			removeKey(m, key)
		}
		if undefined {
			continue
		}
		kn := strNode(key)
		kn.Line, kn.Column = im.pos(pk.Key.Idx0())
		m.Content = append(m.Content, kn, v)
	}
	return m
}

// numberNode renders a JavaScript number as a YAML int or float.
func numberNode(v any, negate bool) *yaml.Node {
	var f float64
	switch v := v.(type) {
	case int64:
		if negate {
			v = -v
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v, 10)}
	case float64:
		f = v
	}
	if negate {
		f = -f
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(int64(f), 10)}
	}
	switch {
	case math.IsInf(f, 1):
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: ".inf"}
	case math.IsInf(f, -1):
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: "-.inf"}
	case math.IsNaN(f):
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: ".nan"}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'g', -1, 64)}
}

// describeJS names a non-literal expression for error messages.
func describeJS(e ast.Node) string {
	switch e := e.(type) {
	case *ast.Identifier:
		return fmt.Sprintf("the variable %s", e.Name)
	case *ast.CallExpression, *ast.NewExpression:
		return "a function call"
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
		return "a function"
	case *ast.BinaryExpression:
		return "an expression"
	case *ast.TemplateLiteral:
		return "a template with substitutions"
	case *ast.PropertyShort:
		return fmt.Sprintf("the shorthand property %s", e.Name.Name)
	case *ast.SpreadElement:
		return "a spread (...)"
	case *ast.PropertyKeyed:
		return "a getter, setter, method or computed key"
	case nil:
		return "nothing"
	}
	return "a " + statementKind(e)
}

// statementKind names an AST node type, e.g. "IfStatement".
func statementKind(n ast.Node) string {
	t := reflect.TypeOf(n)
	if t == nil {
		return "nothing"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// sortSchemaOrder orders the keys of every schema mapping under n as the
// schema does (migrations append the keys they create); keys the schema does
// not know keep their order at the end, and free-form maps keep theirs.
func sortSchemaOrder(n *yaml.Node, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n == nil || t == mappingType:
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			sortSchemaOrder(item, t.Elem())
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := schemaFields(t)
		out := make([]*yaml.Node, 0, len(n.Content))
		done := make([]bool, len(n.Content))
		for _, name := range fields.names {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if !done[i] && n.Content[i].Value == name {
					sortSchemaOrder(n.Content[i+1], t.Field(fields.index[name]).Type)
					out = append(out, n.Content[i], n.Content[i+1])
					done[i] = true
				}
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !done[i] {
				out = append(out, n.Content[i], n.Content[i+1])
			}
		}
		n.Content = out
	}
}

// encodeSection writes root as a YAML document under an advancedOptions key.
func encodeSection(root *yaml.Node) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{mapNode(rootPath, root)}}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode advancedOptions: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode advancedOptions: %w", err)
	}
	return b.Bytes(), nil
}
