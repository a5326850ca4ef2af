// Package doctor checks, from this machine, what agents' browsers need to
// reach: the SBCs of the client config (DNS, TCP, TLS certificate, the
// WebSocket upgrade), its sign-in providers (OpenID discovery and keys)
// and its ICE servers (a STUN binding), each failure with the vendor
// manual's remedy.
package doctor

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/config"
)

// Options are doctor's inputs, as the command line gives them.
type Options struct {
	// ConfigPath is --config, "" for the search path.
	ConfigPath string
	// Environ is the environment the config is read with (os.Environ()).
	Environ []string
	// JSON prints the checklist as JSON instead of text.
	JSON bool
	// Timeout bounds each network step.
	Timeout time.Duration
	// CAFiles are PEM files of extra trusted CA certificates (--ca).
	CAFiles []string
}

// Run loads the config as serve would, checks every address of its client
// config and prints the checklist to w. It returns false when a check
// failed; an error is a config or flag problem (config errors are
// config.Errors, for the caller to print).
func Run(ctx context.Context, o Options, w io.Writer) (bool, error) {
	l, err := config.Load(o.ConfigPath, nil, o.Environ)
	if err != nil {
		return false, err
	}
	if o.Timeout <= 0 {
		return false, fmt.Errorf("--timeout: must be a positive duration such as \"5s\", got %q", o.Timeout)
	}
	roots, err := doctorRoots(o.CAFiles)
	if err != nil {
		return false, err
	}
	p := &prober{roots: roots, timeout: o.Timeout, now: time.Now}
	rep := p.run(ctx, l.Name(), doctorTargetsFrom(l.Client.Options))
	if o.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return false, err
		}
	} else {
		rep.print(w)
	}
	return rep.OK, nil
}

// doctorRoots is the system's trusted roots (SSL_CERT_FILE and
// SSL_CERT_DIR are honoured) plus the --ca files.
func doctorRoots(files []string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, f := range files {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("--ca: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca %s: no PEM certificate in the file", f)
		}
	}
	return pool, nil
}

// doctorTarget is one address from the client config, with its key path.
type doctorTarget struct {
	key, url string
	provider *advancedoptions.AuthProvider
}

// doctorTargets are what doctor checks, in the config's order.
type doctorTargets struct {
	sbcs, providers, ice []doctorTarget
}

func doctorTargetsFrom(o *advancedoptions.Options) doctorTargets {
	var t doctorTargets
	if o == nil {
		return t
	}
	const ds = "advancedOptions.defaultServerConfig."
	if s := o.DefaultServerConfig; s != nil {
		for i, u := range s.SIPServerAddress {
			t.sbcs = append(t.sbcs, doctorTarget{key: fmt.Sprintf(ds+"sipServerAddress[%d]", i), url: u})
		}
		for i, u := range s.BackupSIPServerAddress {
			t.sbcs = append(t.sbcs, doctorTarget{key: fmt.Sprintf(ds+"backupSipServerAddress[%d]", i), url: u})
		}
		for i, u := range s.SIPIceServers {
			t.ice = append(t.ice, doctorTarget{key: fmt.Sprintf(ds+"sipIceServers[%d]", i), url: u})
		}
	}
	if a := o.AuthProvidersConfig; a != nil {
		for i := range a.Providers {
			t.providers = append(t.providers, doctorTarget{
				key:      fmt.Sprintf("advancedOptions.authProvidersConfig.providers[%d].authority", i),
				url:      a.Providers[i].Authority,
				provider: &a.Providers[i],
			})
		}
	}
	return t
}

// doctorReport is the checklist, also the --json output.
type doctorReport struct {
	// OK is false when any check failed.
	OK bool `json:"ok"`
	// Config is the file the targets came from.
	Config string `json:"config"`
	// Checks are in the order printed.
	Checks []doctorCheck `json:"checks"`
	// Summary counts checks by status.
	Summary map[checkStatus]int `json:"summary"`
}

// run checks every target, all at once, and keeps the config's order.
func (p *prober) run(ctx context.Context, file string, t doctorTargets) doctorReport {
	if ctx == nil {
		ctx = context.Background()
	}
	type job struct {
		run func() []doctorCheck
		out []doctorCheck
	}
	var jobs []*job
	for _, s := range t.sbcs {
		jobs = append(jobs, &job{run: func() []doctorCheck { return p.checkSBC(ctx, s.key, s.url) }})
	}
	for _, pr := range t.providers {
		jobs = append(jobs, &job{run: func() []doctorCheck { return p.checkProvider(ctx, pr.key, *pr.provider) }})
	}
	for _, s := range t.ice {
		jobs = append(jobs, &job{run: func() []doctorCheck { return p.checkICE(ctx, s.key, s.url) }})
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { j.out = j.run() })
	}
	wg.Wait()

	rep := doctorReport{OK: true, Config: file, Checks: []doctorCheck{}, Summary: map[checkStatus]int{statusOK: 0, statusWarn: 0, statusFail: 0, statusSkip: 0}}
	for _, j := range jobs {
		rep.Checks = append(rep.Checks, j.out...)
	}
	if len(t.sbcs) == 0 {
		rep.Checks = append(rep.Checks, doctorCheck{
			Target: "advancedOptions.defaultServerConfig.sipServerAddress", Check: "config", Status: statusWarn,
			Detail: "no SBC address in the client config: agents must type one in", Remedy: remedyURL,
		})
	}
	for _, c := range rep.Checks {
		rep.Summary[c.Status]++
		if c.Status == statusFail {
			rep.OK = false
		}
	}
	return rep
}

// print writes the checklist for a person: one block per target, a mark
// per check, the remedy under each warning or failure.
func (r doctorReport) print(w io.Writer) {
	fmt.Fprintf(w, "softphone doctor: client config from %s\n", r.Config)
	last := ""
	for _, c := range r.Checks {
		if c.Target != last {
			last = c.Target
			fmt.Fprintf(w, "\n%s\n", c.Target)
			if c.Key != "" {
				fmt.Fprintf(w, "  (%s)\n", c.Key)
			}
		}
		fmt.Fprintf(w, "  %s %-13s %s\n", mark(c.Status), c.Check, c.Detail)
		if c.Remedy != "" && (c.Status == statusFail || c.Status == statusWarn) {
			for _, line := range wrap("remedy: "+c.Remedy, 76) {
				fmt.Fprintf(w, "         %s\n", line)
			}
		}
	}
	fmt.Fprintf(w, "\n%d checks: %d ok, %d warning(s), %d failed, %d skipped\n",
		len(r.Checks), r.Summary[statusOK], r.Summary[statusWarn], r.Summary[statusFail], r.Summary[statusSkip])
	if !r.OK {
		fmt.Fprintln(w, "FAILED: agents will not reach everything listed above; see the remedies.")
	}
}

func mark(s checkStatus) string {
	switch s {
	case statusOK:
		return "[ ok ]"
	case statusWarn:
		return "[warn]"
	case statusFail:
		return "[FAIL]"
	}
	return "[skip]"
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

var _ error = errHTTPStatus{}
