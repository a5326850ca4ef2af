package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/brand"
	"github.com/softphone/softphone/server"
	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/branding"
)

// Where softphone looks for its config when --config is not given, in order.
var searchPaths = []string{"softphone.yaml", "/etc/softphone/softphone.yaml"}

// advancedOptionsKey is the section handed to the advancedoptions package
// untouched: viper lowercases keys, and the client config is case-sensitive.
const advancedOptionsKey = "advancedOptions"

// envAdvancedOptionsPrefix starts env twins of advancedOptions keys.
const envAdvancedOptionsPrefix = "SOFTPHONE_ADVANCEDOPTIONS_"

// loaded is a config that passed every check, ready to serve.
type loaded struct {
	// Server is the decoded, defaulted and validated config.
	Server server.Config
	// File is the config file read, or "" for the embedded default.
	File string
	// Client is the compiled client config (migrations and warnings included).
	Client *advancedoptions.Result
	// Warnings are legal but risky choices, each with its key path.
	Warnings []string
	// Upgrade lists the branding.dir text keys the client no longer uses
	// and the client keys it lacks (printed by softphone check).
	Upgrade branding.UpgradeReport
}

// configError carries every problem found in one config, one per line.
type configError struct{ diags []string }

func (e *configError) Error() string { return strings.Join(e.diags, "\n") }

// configFile returns the file to read: the explicit one (which must
// exist), else the first of searchPaths that exists, else "".
func configFile(explicit string) (string, error) {
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

// loadConfig reads the config file (or the embedded default), the
// SOFTPHONE_* environment and the flags, and returns a checked config or
// a *configError listing every problem with file:line:col where known.
func loadConfig(explicit string, flags *pflag.FlagSet, environ []string) (*loaded, error) {
	file, err := configFile(explicit)
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
	return loadConfigBytes(file, src, flags, environ)
}

func loadConfigBytes(file string, src []byte, flags *pflag.FlagSet, environ []string) (*loaded, error) {
	display := file
	if display == "" {
		display = "(embedded default)"
	}
	var diags []string
	diag := func(root *yaml.Node, path, msg string) {
		if path == "" {
			diags = append(diags, display+": "+msg)
			return
		}
		diags = append(diags, position(display, root, path)+path+": "+msg)
	}

	root, err := parseYAML(src)
	if err != nil {
		return nil, &configError{[]string{fmt.Sprintf("%s: %v", display, err)}}
	}
	cfgType := reflect.TypeOf(server.Config{})
	sch := newSchema(cfgType)

	// Unknown keys, with a did-you-mean, before anything is decoded.
	for _, u := range unknownKeys(root, cfgType, "", sch) {
		diag(root, u.path, u.msg)
	}
	envKeys, envDiags := envTwins(sch, environ)
	diags = append(diags, envDiags...)

	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(stripSection(src, root))); err != nil {
		return nil, &configError{[]string{fmt.Sprintf("%s: %v", display, err)}}
	}
	// Precedence: flags over the environment over the file. Both are set
	// explicitly (not bound) so the environ passed in is the one used.
	envValues := map[string]string{}
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		envValues[name] = value
	}
	for key, env := range envKeys {
		if value, ok := envValues[env]; ok {
			v.Set(key, value)
		}
	}
	if flags != nil {
		for key, flag := range flagKeys {
			if f := flags.Lookup(flag); f != nil && f.Changed {
				v.Set(key, f.Value.String())
			}
		}
	}
	cfg := server.Defaults()
	err = v.Unmarshal(&cfg, func(dc *mapstructure.DecoderConfig) {
		dc.ZeroFields = true // a list in the file replaces the default list
		dc.WeaklyTypedInput = true
		dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
			mapstructure.TextUnmarshallerHookFunc(),
		)
	})
	if err != nil {
		for _, line := range decodeErrors(err) {
			path, msg := splitPath(line)
			diag(root, path, msg)
		}
	}
	cfg.SetDefaults()
	if cfg.StateDir == "" {
		cfg.StateDir = defaultStateDir()
	}

	// The client config: the file's section, or the embedded demo.
	section := sectionNode(root)
	sectionFile := display
	if section == nil && file == "" {
		defRoot, err := parseYAML(advancedoptions.DefaultYAML)
		if err != nil {
			return nil, fmt.Errorf("embedded default client config: %w", err)
		}
		if s := sectionNode(defRoot); s != nil {
			section = s
		} else {
			section = defRoot
		}
		sectionFile = "(embedded default advancedOptions)"
	}
	if section == nil {
		section = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if err := advancedoptions.ApplyEnv(section, environ); err != nil {
		diags = append(diags, strings.Split(err.Error(), "\n")...)
	}
	result, err := advancedoptions.Compile(section, sectionFile)
	if err != nil {
		var aerrs advancedoptions.Errors
		if errors.As(err, &aerrs) {
			for _, d := range aerrs {
				diags = append(diags, d.String())
			}
		} else {
			diags = append(diags, err.Error())
		}
	} else {
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

	if err := cfg.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			path, msg := splitPath(line)
			diag(root, path, msg)
		}
	}
	var brandReport branding.Report
	if cfg.Branding.Dir != "" {
		r, err := branding.CheckDir(cfg.Branding.Dir)
		if err != nil {
			diag(root, "branding.dir", err.Error())
		}
		for _, e := range r.Errors {
			diag(root, "branding.dir", e)
		}
		brandReport = r
	}
	if len(diags) > 0 {
		return nil, &configError{dedupe(diags)}
	}
	l := &loaded{Server: cfg, File: file, Client: result, Upgrade: brandReport.Upgrade}
	l.Warnings = append(l.Warnings, server.ConfigFileWarnings(file)...)
	for _, w := range brandReport.Warnings {
		l.Warnings = append(l.Warnings, position(display, root, "branding.dir")+"branding.dir: "+w)
	}
	for _, w := range cfg.Warnings() {
		path, msg := splitPath(w)
		if path == "" {
			l.Warnings = append(l.Warnings, display+": "+msg)
			continue
		}
		l.Warnings = append(l.Warnings, position(display, root, path)+path+": "+msg)
	}
	for _, w := range result.Warnings {
		l.Warnings = append(l.Warnings, w.String())
	}
	return l, nil
}

// flagKeys maps config keys to the serve/check/render flags that set them.
var flagKeys = map[string]string{
	"listen":         "listen",
	"redirectListen": "redirect-listen",
	"basePath":       "base-path",
	"stateDir":       "state-dir",
	"tls.mode":       "tls-mode",
	"branding.dir":   "branding-dir",
	"log.access":     "access-log",
	"log.format":     "log-format",
	"log.level":      "log-level",
	"metrics.listen": "metrics-listen",
}

// addConfigFlags adds --config and the main keys' flags to a command.
func addConfigFlags(fs *pflag.FlagSet, configPath *string) {
	fs.StringVarP(configPath, "config", "c", "", "config file (default: ./softphone.yaml, else /etc/softphone/softphone.yaml, else the embedded default)")
	fs.String("listen", "", `HTTPS listen address (config key listen, default ":8443")`)
	fs.String("redirect-listen", "", `plain-HTTP redirect listen address, "" to disable (config key redirectListen, default ":8080")`)
	fs.String("base-path", "", `sub-path the client is served under, e.g. "/webrtc_client/" (config key basePath, default "/")`)
	fs.String("state-dir", "", "folder for the self-signed certificate and ACME cache (config key stateDir)")
	fs.String("tls-mode", "", "self-signed, files, acme or off (config key tls.mode, default self-signed)")
	fs.String("branding-dir", "", "brand overlay folder (config key branding.dir)")
	fs.String("access-log", "", "stdout, stderr, off or a file (config key log.access, default stdout)")
	fs.String("log-format", "", "text or json (config key log.format, default text)")
	fs.String("log-level", "", "debug, info, warn or error (config key log.level, default info)")
	fs.String("metrics-listen", "", `Prometheus /metrics listen address, e.g. "127.0.0.1:9464" (config key metrics.listen, default off)`)
}

// parseYAML returns the document's top-level mapping node, or an empty
// mapping for an empty document.
func parseYAML(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%d:%d: the config must be a mapping of keys (listen:, tls:, advancedOptions:...), got a %s", root.Line, root.Column, kindName(root))
	}
	return root, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

// sectionNode returns the value of the top-level advancedOptions key.
func sectionNode(root *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if strings.EqualFold(root.Content[i].Value, advancedOptionsKey) {
			return root.Content[i+1]
		}
	}
	return nil
}

// stripSection re-encodes the document without advancedOptions, which
// viper must not see (it would lowercase it and gains nothing from it).
func stripSection(src []byte, root *yaml.Node) []byte {
	if sectionNode(root) == nil {
		return src
	}
	rest := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if !strings.EqualFold(root.Content[i].Value, advancedOptionsKey) {
			rest.Content = append(rest.Content, root.Content[i], root.Content[i+1])
		}
	}
	out, err := yaml.Marshal(rest)
	if err != nil {
		return src
	}
	return out
}

type unknown struct{ path, msg string }

// unknownKeys walks the YAML against the config struct and reports every
// key softphone does not know, suggesting the closest known one.
func unknownKeys(n *yaml.Node, t reflect.Type, prefix string, sch *schema) []unknown {
	var out []unknown
	switch {
	case n.Kind == yaml.MappingNode && isSection(t):
		fs := fields(t)
		names := make([]string, len(fs))
		for i, f := range fs {
			names[i] = f.name
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			path := joinPath(prefix, key)
			if prefix == "" && strings.EqualFold(key, advancedOptionsKey) {
				continue
			}
			var match *field
			for j := range fs {
				if strings.EqualFold(fs[j].name, key) {
					match = &fs[j]
					break
				}
			}
			if match == nil {
				out = append(out, unknown{path, unknownMsg(key, prefix, names, sch)})
				continue
			}
			out = append(out, unknownKeys(val, match.typ, path, sch)...)
		}
	case n.Kind == yaml.SequenceNode && elemStruct(t) != nil:
		for i, item := range n.Content {
			out = append(out, unknownKeys(item, elemStruct(t), fmt.Sprintf("%s[%d]", prefix, i), sch)...)
		}
	}
	return out
}

func unknownMsg(key, prefix string, siblings []string, sch *schema) string {
	if s := closest(key, siblings); s != "" {
		return fmt.Sprintf("unknown key, did you mean %q?", joinPath(prefix, s))
	}
	// The right key in the wrong place: htpasswdFile at the top level.
	for _, p := range sch.paths() {
		last := p[strings.LastIndex(p, ".")+1:]
		if strings.EqualFold(last, key) {
			return fmt.Sprintf("unknown key here, did you mean %q?", p)
		}
	}
	if prefix == "" {
		return "unknown key; known top-level keys are " + strings.Join(append(siblings, advancedOptionsKey), ", ")
	}
	return "unknown key; known keys here are " + strings.Join(siblings, ", ")
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// envTwins maps every leaf key to its SOFTPHONE_* variable, and reports
// SOFTPHONE_* variables that match no key (a typo there would otherwise be
// silently ignored).
func envTwins(sch *schema, environ []string) (map[string]string, []string) {
	keys := map[string]string{}
	known := map[string]bool{}
	var names []string
	for _, p := range sch.paths() {
		e := envName(p)
		keys[p] = e
		known[e] = true
		names = append(names, e)
	}
	var diags []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "SOFTPHONE_") || known[name] || strings.HasPrefix(name, envAdvancedOptionsPrefix) {
			continue
		}
		msg := "environment variable " + name + ": matches no config key"
		if s := closest(name, names); s != "" {
			msg += fmt.Sprintf(", did you mean %s?", s)
		}
		diags = append(diags, msg)
	}
	sort.Strings(diags)
	return keys, diags
}

// decodeErrors splits mapstructure's joined error into lines of the form
// "key: message".
func decodeErrors(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "*"))
		line = strings.TrimPrefix(line, "decoding failed due to the following error(s):")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// mapstructure says "'tls.mode' expected type 'string', got ...".
		if strings.HasPrefix(line, "'") {
			if end := strings.Index(line[1:], "'"); end > 0 {
				key := line[1 : end+1]
				line = key + ": " + strings.TrimSpace(line[end+2:])
			}
		}
		out = append(out, line)
	}
	return out
}

// splitPath splits "key.path: message" into its parts; a line without a
// key path comes back whole as the message.
func splitPath(line string) (string, string) {
	path, msg, ok := strings.Cut(line, ": ")
	if !ok || strings.ContainsAny(path, " \t") {
		return "", line
	}
	return path, msg
}

// position returns "file:line:col: " for a key path, as far down the path
// as the YAML goes, or "file: " when the key is not in the file.
func position(file string, root *yaml.Node, path string) string {
	n := nodeAt(root, path)
	if n == nil {
		return file + ": "
	}
	return fmt.Sprintf("%s:%d:%d: ", file, n.Line, n.Column)
}

// nodeAt finds the YAML node of a key path such as "access.jwt.algorithms[1]":
// the key node for mapping entries, the item for list indexes.
func nodeAt(root *yaml.Node, path string) *yaml.Node {
	if path == "" || root == nil {
		return nil
	}
	cur, found := root, (*yaml.Node)(nil)
	for seg := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		next := (*yaml.Node)(nil)
		if cur.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if strings.EqualFold(cur.Content[i].Value, name) {
					found, next = cur.Content[i], cur.Content[i+1]
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
			next = next.Content[i]
			found = next
			rest = strings.TrimPrefix(after, "[")
		}
		cur = next
	}
	return found
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
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
