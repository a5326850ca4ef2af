package advancedoptions

import (
	"fmt"
	"strings"
)

// Diagnostic is one finding about the configuration: an error or a warning,
// located by key path and, when the input was a file, by line and column.
// It is the one diagnostic type of softphone's config, used for the server's
// keys as well as for the client's (see internal/config).
type Diagnostic struct {
	// File is the name of the file the key was read from, or the other
	// source that set it (an environment variable, a flag); empty when unknown.
	File string
	// Line and Col are 1-based; 0 when the key has no position (for example
	// a key created by a migration).
	Line, Col int
	// Path is the key path, e.g. "advancedOptions.defaultServerConfig.sipServerAddress[1]".
	Path string
	// Severity tells an error (the zero value) from a warning.
	Severity Severity
	// Message says what is allowed and what was given.
	Message string
}

// Severity is how serious a diagnostic is.
type Severity int

const (
	// SeverityError refuses the config.
	SeverityError Severity = iota
	// SeverityWarning is a legal but risky or doubtful choice.
	SeverityWarning
)

// String is "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
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

// Error prints one diagnostic per line; warnings carried along with the
// errors start with "warning: ".
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
		if d.Severity == SeverityWarning {
			lines[i] = "warning: " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

var _ error = Errors(nil)
