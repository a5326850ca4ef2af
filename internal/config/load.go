package config

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/brand"
	"github.com/softphone/softphone/internal/yamlnode"
	"github.com/softphone/softphone/server"
	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/branding"
)

// Diagnostic is one error or warning about the config, server keys and
// client keys alike: file (or the variable or flag that set the key),
// line, column, key path, severity and message.
type Diagnostic = advancedoptions.Diagnostic

// Errors is a refused config: every error, and the warnings found
// alongside them, in a stable order.
type Errors = advancedoptions.Errors

// Where softphone looks for its config when --config is not given, in order.
var searchPaths = []string{"softphone.yaml", "/etc/softphone/softphone.yaml"}

// Embedded names the embedded default config in diagnostics.
const Embedded = "(embedded default)"

// embeddedClient names the embedded demo client config in diagnostics.
const embeddedClient = "(embedded default advancedOptions)"

// Loaded is a config that passed every check, ready to serve.
type Loaded struct {
	// Server is the decoded, defaulted and validated config, with the
	// rendered client config in Server.Client.
	Server server.Config
	// File is the config file read, or "" for the embedded default.
	File string
	// Client is the compiled client config (migrations and warnings included).
	Client *advancedoptions.Result
	// Warnings are legal but risky choices, server and client keys alike,
	// in a stable order.
	Warnings []Diagnostic
	// Upgrade lists the branding.dir text keys the client no longer uses
	// and the client keys it lacks (printed by softphone check).
	Upgrade branding.UpgradeReport

	at *locator
}

// Name is the config file's name for messages.
func (l *Loaded) Name() string {
	if l.File == "" {
		return Embedded
	}
	return l.File
}

// Locate turns lines of the form "key.path: message", as the server
// packages report problems, into diagnostics at the key's position.
func (l *Loaded) Locate(lines []string, sev advancedoptions.Severity) []Diagnostic {
	var out []Diagnostic
	for _, line := range lines {
		d := l.at.line(line)
		d.Severity = sev
		out = append(out, d)
	}
	return out
}

// File returns the file to read: the explicit one (which must exist),
// else the first of the search paths that exists, else "" for the
// embedded default.
func File(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("--config: %w", err)
		}
		return explicit, nil
	}
	for _, p := range searchPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", nil
}

// Load reads the config file (explicit, else the search path, else the
// embedded default), the SOFTPHONE_* environment (environ as os.Environ
// gives it) and the flags (nil for none), and returns a checked config or
// [Errors] listing every problem with its position or source.
func Load(explicit string, flags *pflag.FlagSet, environ []string) (*Loaded, error) {
	file, err := File(explicit)
	if err != nil {
		return nil, err
	}
	var src []byte
	if file != "" {
		if src, err = os.ReadFile(file); err != nil {
			return nil, err
		}
	} else {
		src = brand.Config() // a branded build's default config; nil otherwise
	}
	return LoadBytes(file, src, flags, environ)
}

// LoadBytes is Load for a file already read; file is "" for the embedded
// default. The pipeline:
//
//	parse     the YAML, keeping every key's line and column
//	overlay   SOFTPHONE_* variables, then flags, set keys in the document
//	          (flags win over the environment, which wins over the file)
//	decode    server keys strictly into server.Config over its defaults
//	compile   the advancedOptions section (advancedoptions.Compile)
//	validate  server.Config.Validate, branding.dir's files
//
// Every finding is a [Diagnostic]; the errors and warnings come back
// sorted by source and position.
func LoadBytes(file string, src []byte, flags *pflag.FlagSet, environ []string) (*Loaded, error) {
	display := file
	if display == "" {
		display = Embedded
	}
	root, perr := parseYAML(display, src)
	if perr != nil {
		return nil, Errors{*perr}
	}

	// The client config: the file's section, or the embedded demo.
	sectionFile := display
	if advancedoptions.SectionOf(root) == nil && file == "" {
		var doc yaml.Node
		if err := yaml.Unmarshal(advancedoptions.DefaultYAML, &doc); err != nil {
			return nil, fmt.Errorf("embedded default client config: %w", err)
		}
		section := advancedoptions.SectionOf(&doc)
		if section == nil {
			return nil, errors.New("embedded default client config: no advancedOptions section")
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: sectionKey}, section)
		sectionFile = embeddedClient
	}

	ov := newOverlay()
	ov.applyEnv(root, environ)
	ov.applyFlags(root, flags)
	at := &locator{display: display, root: root, ov: ov}
	diags := ov.diags
	warns := ignoreOtherModes(root, at)

	d := &decoder{at: at}
	cfg := server.Defaults()
	d.decodeStruct(root, reflect.ValueOf(&cfg).Elem(), serverConfigType, rootKeys(), "")
	diags = append(diags, d.diags...)
	cfg.SetDefaults()
	if cfg.StateDir == "" {
		cfg.StateDir = defaultStateDir()
	}

	section := advancedoptions.SectionOf(root)
	result, err := advancedoptions.Compile(section, sectionFile)
	var cerrs Errors
	switch {
	case errors.As(err, &cerrs):
		for _, c := range cerrs {
			diags = append(diags, at.client(c))
		}
	case err != nil:
		diags = append(diags, Diagnostic{File: sectionFile, Path: sectionKey, Message: err.Error()})
	default:
		lv := result.Options.LocalVideoFilter
		cfg.Client = server.ClientConfig{JS: result.JS, ConnectOrigins: result.ConnectOrigins,
			VirtualBackground: lv != nil && lv.VirtualBackgroundSupported != nil && *lv.VirtualBackgroundSupported}
		// access.oidc.provider can name a provider of the client config, so
		// one registration serves the page's sign-in and the phone's.
		if ap := result.Options.AuthProvidersConfig; ap != nil {
			for _, p := range ap.Providers {
				cfg.Access.ClientProviders = append(cfg.Access.ClientProviders, auth.ProviderRef{
					Name: p.ProviderLoginName, Type: p.ProviderType, Authority: p.Authority, Realm: p.Realm, ClientID: p.ClientID,
				})
			}
		}
	}
	for _, w := range result.Warnings {
		w = at.client(w)
		w.Severity = advancedoptions.SeverityWarning
		warns = append(warns, w)
	}

	if err := cfg.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			diags = append(diags, at.line(line))
		}
	}
	var brandReport branding.Report
	if cfg.Branding.Dir != "" {
		r, err := branding.CheckDir(cfg.Branding.Dir)
		if err != nil {
			diags = append(diags, at.diag(nil, "branding.dir", err.Error()))
		}
		for _, e := range r.Errors {
			diags = append(diags, at.diag(nil, "branding.dir", e))
		}
		for _, w := range r.Warnings {
			warns = append(warns, at.warn("branding.dir", w))
		}
		brandReport = r
	}
	for _, w := range cfg.Warnings() {
		d := at.line(w)
		d.Severity = advancedoptions.SeverityWarning
		warns = append(warns, d)
	}
	// A config file any user can change: reported at the file, not a key.
	for _, w := range server.ConfigFileWarnings(file) {
		warns = append(warns, Diagnostic{File: file, Severity: advancedoptions.SeverityWarning, Message: w})
	}
	diags, warns = dedupe(diags), dedupe(warns)
	Sort(diags)
	Sort(warns)
	if len(diags) > 0 {
		return nil, append(Errors(diags), warns...)
	}
	return &Loaded{Server: cfg, File: file, Client: result, Warnings: warns, Upgrade: brandReport.Upgrade, at: at}, nil
}

// ignoreOtherModes drops the file's keys of the TLS modes that a variable
// or flag setting tls.mode did not select (--tls-mode self-signed over a
// files-mode config), with a warning for each, so that the override works
// as the admin meant instead of failing on keys the file needed.
func ignoreOtherModes(root *yaml.Node, at *locator) []Diagnostic {
	src := at.ov.sources["tls.mode"]
	if src == "" {
		return nil
	}
	tls := childFold(root, "tls")
	mode := childFold(tls, "mode")
	if tls == nil || tls.Kind != yaml.MappingNode || mode == nil {
		return nil
	}
	modeKeys := []struct{ name, mode string }{
		{"certFile", "files"}, {"keyFile", "files"}, {"pfxFile", "files"}, {"pfxPassword", "files"}, {"acme", "acme"},
	}
	var warns []Diagnostic
	kept := tls.Content[:0:0]
	for i := 0; i+1 < len(tls.Content); i += 2 {
		k := tls.Content[i]
		var owner, name string
		for _, mk := range modeKeys {
			if strings.EqualFold(k.Value, mk.name) {
				owner, name = mk.mode, mk.name
			}
		}
		path := "tls." + name
		if owner != "" && owner != mode.Value && at.ov.source(path) == "" {
			warns = append(warns, Diagnostic{File: at.display, Line: k.Line, Col: k.Column, Path: path, Severity: advancedoptions.SeverityWarning,
				Message: fmt.Sprintf("ignored: %s sets tls.mode to %s, which does not use it (it is for %s mode)", src, mode.Value, owner)})
			continue
		}
		kept = append(kept, k, tls.Content[i+1])
	}
	tls.Content = kept
	return warns
}

// childFold returns the value of key in mapping m, matched without regard
// to case, or nil.
func childFold(m *yaml.Node, key string) *yaml.Node {
	m = yamlnode.Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, key) {
			v = yamlnode.Resolve(m.Content[i+1])
		}
	}
	return v
}

// Sort puts diagnostics in a stable order: the config file's by position,
// then those of the embedded defaults, the environment and the flags, each
// by key path and message.
func Sort(ds []Diagnostic) {
	rank := func(d Diagnostic) int {
		switch {
		case strings.HasPrefix(d.File, "flag "):
			return 3
		case strings.HasPrefix(d.File, "environment variable "):
			return 2
		case strings.HasPrefix(d.File, "("):
			return 1
		}
		return 0
	}
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(rank(a), rank(b)),
			cmp.Compare(a.File, b.File),
			cmp.Compare(unplaced(a), unplaced(b)),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// unplaced is 1 for a diagnostic without a position, which sorts after
// those with one.
func unplaced(d Diagnostic) int {
	if d.Line == 0 {
		return 1
	}
	return 0
}

func dedupe(in []Diagnostic) []Diagnostic {
	seen := map[Diagnostic]bool{}
	var out []Diagnostic
	for _, d := range in {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// defaultStateDir follows systemd's StateDirectory= and the XDG base
// directory spec, so a service and a developer each get a sane place.
func defaultStateDir() string {
	if d := os.Getenv("STATE_DIRECTORY"); d != "" {
		return strings.Split(d, ":")[0]
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "softphone")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "softphone")
	}
	return filepath.Join(os.TempDir(), "softphone-state")
}
