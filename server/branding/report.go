package branding

import (
	"fmt"
	"strings"
)

// Report is the outcome of Check. Every message starts with the
// overlay-relative path of the file it is about.
type Report struct {
	// Errors are files the client would show wrongly or not at all; a
	// config whose overlay has any is refused.
	Errors []string
	// Warnings are files that are served but likely not what the admin
	// meant, such as a path the client never loads.
	Warnings []string
	// Upgrade compares the overlay's text files with the client's keys.
	Upgrade UpgradeReport
}

// OK reports whether the overlay has no errors.
func (r Report) OK() bool { return len(r.Errors) == 0 }

func (r *Report) errorf(name, format string, args ...any) {
	r.Errors = append(r.Errors, name+": "+fmt.Sprintf(format, args...))
}

func (r *Report) warnf(name, format string, args ...any) {
	r.Warnings = append(r.Warnings, name+": "+fmt.Sprintf(format, args...))
}

// UpgradeReport is the manual's upgrade step 4c, automated: for each text
// file of the overlay, which of its keys the current client no longer uses
// and which of the client's keys it lacks.
type UpgradeReport struct {
	// Strings has one entry per overlay text file that differs from the
	// client's key set, in path order.
	Strings []StringsDiff
}

// StringsDiff compares one overlay text file with the client's keys.
type StringsDiff struct {
	// File is the overlay-relative path, such as
	// "static/localization/strings-default.json".
	File string
	// Unused are keys of the file that the client does not use (removed or
	// renamed since the file was written), sorted.
	Unused []string
	// Missing are keys the client uses that the file lacks, sorted; agents
	// see the client's English text for them.
	Missing []string
}

// Lines renders the report for `softphone check`, one line per finding,
// each starting with the file's path. It is empty when every overlay text
// file has exactly the client's keys.
func (u UpgradeReport) Lines() []string {
	var out []string
	for _, d := range u.Strings {
		if len(d.Unused) > 0 {
			out = append(out, fmt.Sprintf("%s: %d key(s) the client no longer uses, remove or rename them: %s",
				d.File, len(d.Unused), strings.Join(d.Unused, ", ")))
		}
		if len(d.Missing) > 0 {
			out = append(out, fmt.Sprintf("%s: %d key(s) of the client missing, agents see the English default text for them: %s",
				d.File, len(d.Missing), strings.Join(d.Missing, ", ")))
		}
	}
	return out
}
