package advancedoptions

import (
	"fmt"
	"strings"
)

// Diagnostic is one finding about the configuration: an error or a warning,
// located by key path and, when the input was a file, by line and column.
type Diagnostic struct {
	// File is the name of the file the key was read from; empty when unknown.
	File string
	// Line and Col are 1-based; 0 when the key has no position (for example
	// a key created by a migration).
	Line, Col int
	// Path is the key path, e.g. "advancedOptions.defaultServerConfig.sipServerAddress[1]".
	Path string
	// Message says what is allowed and what was given.
	Message string
}

// String formats the diagnostic as "file:line:col: path: message", leaving
// out the parts that are unknown.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		b.WriteString(":")
	}
	if d.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", d.Line, d.Col)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Errors is every error found in one configuration, reported at once.
type Errors []Diagnostic

// Error prints one diagnostic per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

var _ error = Errors(nil)
