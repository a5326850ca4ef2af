package config

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// keyFlag is a command-line flag that sets a config key.
type keyFlag struct{ name, key, usage string }

// keyFlags are the flags that set config keys, in help order. serve takes
// them all; other commands take the few that change what they do.
var keyFlags = []keyFlag{
	{"listen", "listen", `HTTPS listen address (config key listen, default ":8443")`},
	{"redirect-listen", "redirectListen", `plain-HTTP redirect listen address, "" to disable (config key redirectListen, default ":8080")`},
	{"base-path", "basePath", `sub-path the client is served under, e.g. "/webrtc_client/" (config key basePath, default "/")`},
	{"state-dir", "stateDir", "folder for the self-signed certificate and ACME cache (config key stateDir)"},
	{"tls-mode", "tls.mode", "self-signed, files, acme or off (config key tls.mode, default self-signed); keys of the file's other modes are then ignored"},
	{"branding-dir", "branding.dir", "brand overlay folder (config key branding.dir)"},
	{"access-log", "log.access", "stdout, stderr, off or a file (config key log.access, default stdout)"},
	{"log-format", "log.format", "text or json (config key log.format, default text)"},
	{"log-level", "log.level", "debug, info, warn or error (config key log.level, default info)"},
	{"metrics-listen", "metrics.listen", `Prometheus /metrics listen address, e.g. "127.0.0.1:9464" (config key metrics.listen, default off)`},
}

// ServeKeys are the config keys serve has a flag for: all of them.
func ServeKeys() []string {
	keys := make([]string, len(keyFlags))
	for i, f := range keyFlags {
		keys[i] = f.key
	}
	return keys
}

// AddFlags adds --config and the flags of the given config keys to a
// command's flag set.
func AddFlags(fs *pflag.FlagSet, configPath *string, keys ...string) {
	fs.StringVarP(configPath, "config", "c", "", "config file (default: ./softphone.yaml, else /etc/softphone/softphone.yaml, else the embedded default)")
	for _, k := range keys {
		f, ok := flagOf(k)
		if !ok {
			panic("config: no flag sets " + k)
		}
		fs.String(f.name, "", f.usage)
	}
}

func flagOf(key string) (keyFlag, bool) {
	for _, f := range keyFlags {
		if f.key == key {
			return f, true
		}
	}
	return keyFlag{}, false
}

// applyFlags sets the keys of the flags given on the command line; they
// win over the environment and the file.
func (o *overlay) applyFlags(root *yaml.Node, fs *pflag.FlagSet) {
	if fs == nil {
		return
	}
	for _, f := range keyFlags {
		fl := fs.Lookup(f.name)
		if fl == nil || !fl.Changed {
			continue
		}
		var steps []step
		for seg := range strings.SplitSeq(f.key, ".") {
			steps = append(steps, step{key: seg, fold: true})
		}
		o.set(root, steps, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fl.Value.String()}, f.key, "flag --"+f.name)
	}
}

// overlay records what the environment and flags set over the file, so
// that a diagnostic about such a key names the variable or flag.
type overlay struct {
	// sources maps each key path set from outside the file to what set it.
	sources map[string]string
	diags   []Diagnostic
}

func newOverlay() *overlay { return &overlay{sources: map[string]string{}} }

func (o *overlay) set(root *yaml.Node, steps []step, val *yaml.Node, path, source string) {
	if err := setPath(root, steps, val); err != nil {
		o.errorf(source, path, "%v", err)
		return
	}
	o.sources[path] = source
}

func (o *overlay) errorf(source, path, format string, args ...any) {
	o.diags = append(o.diags, Diagnostic{File: source, Path: path, Message: fmt.Sprintf(format, args...)})
}

// source returns what set path or the nearest of its ancestors from
// outside the file, or "".
func (o *overlay) source(path string) string {
	best, src := "", ""
	for p, s := range o.sources {
		if within(path, p) && len(p) > len(best) {
			best, src = p, s
		}
	}
	return src
}
