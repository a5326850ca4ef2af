package branding

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/softphone/softphone/internal/didyoumean"
)

// LocaleKey names the BCP 47 language tag of a text resource (manual,
// "Setting Client Localization").
const LocaleKey = "LANGUAGE_RESOURCE_LOCALE"

// entry is one "KEY": "text" pair of a text resource, in file order.
type entry struct {
	key, value string
}

// jsonError is a text resource that is not a JSON object of strings; line
// and col point at the problem (1-based, 0 when unknown).
type jsonError struct {
	line, col int
	msg       string
}

func (e *jsonError) Error() string {
	if e.line == 0 {
		return e.msg
	}
	return fmt.Sprintf("line %d col %d: %s", e.line, e.col, e.msg)
}

func (c *checker) checkStrings(name string, data []byte) {
	entries, err := parseStrings(data)
	if err != nil {
		c.r.errorf(name, "must be a JSON object of \"KEY\": \"text\" entries: %v", err)
		return
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.key] {
			c.r.warnf(name, "%s: appears more than once; browsers use the last one", e.key)
			continue
		}
		seen[e.key] = true
		if e.key == LocaleKey && e.value != "" {
			if err := checkLocale(e.value); err != nil {
				c.r.errorf(name, "%s: %v", LocaleKey, err)
			}
		}
		if c.keys == nil || c.keys[e.key] {
			continue
		}
		if s := didyoumean.Closest(e.key, c.keyList); s != "" {
			c.r.warnf(name, "%s: unknown key, did you mean %q?", e.key, s)
		} else {
			c.r.warnf(name, "%s: unknown key; the client does not use it (removed or renamed in this release?)", e.key)
		}
	}
	if c.keys == nil {
		return
	}
	d := StringsDiff{File: name}
	for k := range seen {
		if !c.keys[k] {
			d.Unused = append(d.Unused, k)
		}
	}
	for _, k := range c.keyList {
		if !seen[k] {
			d.Missing = append(d.Missing, k)
		}
	}
	sort.Strings(d.Unused)
	if len(d.Unused) > 0 || len(d.Missing) > 0 {
		c.r.Upgrade.Strings = append(c.r.Upgrade.Strings, d)
	}
}

// checkLocale accepts a well-formed BCP 47 tag with known subtags, as
// browsers' Intl APIs do. x/text also takes "en_US"; browsers do not.
func checkLocale(tag string) error {
	if strings.Contains(tag, "_") {
		return fmt.Errorf("%q is not a valid BCP 47 language tag: subtags are separated by \"-\", as in %q", tag, strings.ReplaceAll(tag, "_", "-"))
	}
	if _, err := language.Parse(tag); err != nil {
		return fmt.Errorf("%q is not a valid BCP 47 language tag such as \"en-US\" or \"fr-CA\": %v", tag, err)
	}
	return nil
}

// parseStrings reads a text resource: one JSON object whose values are all
// strings. A UTF-8 byte order mark is allowed, as browsers' JSON parsing
// skips it (Windows editors write one).
func parseStrings(data []byte) ([]entry, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(off int64, format string, args ...any) error {
		line, col := position(data, off)
		return &jsonError{line: line, col: col, msg: fmt.Sprintf(format, args...)}
	}
	syntax := func(err error) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(int64(len(data)), "unexpected end of the file")
		}
		// The decoder's offsets are relative to the value it was reading;
		// a whole-document parse gives the absolute one.
		var se *json.SyntaxError
		if errors.As(json.Unmarshal(data, new(any)), &se) {
			off := se.Offset
			if strings.HasPrefix(se.Error(), "invalid character") {
				off-- // the offset counts the offending byte itself
			}
			return fail(off, "%v", se)
		}
		return fail(dec.InputOffset(), "%v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fail(0, "the file is %s, not an object", describe(tok))
	}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		key := tok.(string) // object keys are always strings once More said so
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntax(err)
		}
		// null would decode to "" without error; the client ignores it.
		var value string
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '"' || json.Unmarshal(t, &value) != nil {
			return nil, fail(start, "%s: value must be a string, got %s", key, describeRaw(raw))
		}
		out = append(out, entry{key: key, value: value})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, syntax(err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := data[end:]
		return nil, fail(end+int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n"))), "more data after the object")
	}
	return out, nil
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

func describeRaw(raw json.RawMessage) string {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return "nothing"
	}
	switch s[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean " + string(s)
	case 'n':
		return "null"
	}
	return "the number " + string(s)
}
