package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/internal/testenv"
)

func TestServiceOptionsValidate(t *testing.T) {
	ok := serviceOptions{Name: "softphone", ConfigPath: `C:\ProgramData\softphone\softphone.yaml`}
	tests := []struct {
		name    string
		mutate  func(*serviceOptions)
		wantErr string
	}{
		{"valid", func(*serviceOptions) {}, ""},
		{"unc config", func(o *serviceOptions) { o.ConfigPath = `\\fs01\config\softphone.yaml` }, ""},
		{"log file", func(o *serviceOptions) { o.LogFile = `D:/logs/softphone.log` }, ""},
		{"no config", func(o *serviceOptions) { o.ConfigPath = "" }, "--config: required"},
		{"relative config", func(o *serviceOptions) { o.ConfigPath = `softphone.yaml` }, `--config: must be an absolute path (a service starts in C:\Windows\System32), got "softphone.yaml"`},
		{"drive-relative config", func(o *serviceOptions) { o.ConfigPath = `C:softphone.yaml` }, "--config: must be an absolute path"},
		{"relative log", func(o *serviceOptions) { o.LogFile = `logs\softphone.log` }, `--log-file: must be an absolute path, got "logs\\softphone.log"`},
		{"name with space", func(o *serviceOptions) { o.Name = "soft phone" }, `--name: must be 1 to 256 characters without spaces, slashes or quotes, got "soft phone"`},
		{"quote in path", func(o *serviceOptions) { o.ConfigPath = `C:\a"b.yaml` }, "must not contain double quotes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.mutate(&o)
			err := o.validate(windowsIsAbs)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("validate() = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("validate() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	// Every problem at once.
	err := serviceOptions{Name: "", ConfigPath: "x.yaml", LogFile: "y.log"}.validate(windowsIsAbs)
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("validate() with three problems = %v, want three lines", err)
	}
}

func TestServiceRunArgs(t *testing.T) {
	o := serviceOptions{Name: "softphone-lab", ConfigPath: `C:\ProgramData\softphone\softphone.yaml`}
	want := `service run --name softphone-lab --config C:\ProgramData\softphone\softphone.yaml`
	if got := strings.Join(o.runArgs(), " "); got != want {
		t.Errorf("runArgs() = %q, want %q", got, want)
	}
	o.LogFile = `C:\logs\sp.log`
	if got := strings.Join(o.runArgs(), " "); got != want+` --log-file C:\logs\sp.log` {
		t.Errorf("runArgs() with a log file = %q", got)
	}
	// The run command parses what install wrote.
	cmd := newServiceCmd()
	run, _, err := cmd.Find(o.runArgs()[1:])
	if err != nil || run.Name() != "run" {
		t.Fatalf("find run: %v %v", run, err)
	}
	if err := run.ParseFlags(o.runArgs()[2:]); err != nil {
		t.Fatalf("parse %v: %v", o.runArgs(), err)
	}
	for flag, want := range map[string]string{"name": o.Name, "config": o.ConfigPath, "log-file": o.LogFile} {
		if got := run.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("service run --%s = %q, want %q", flag, got, want)
		}
	}
}

func TestWindowsIsAbs(t *testing.T) {
	for p, want := range map[string]bool{
		`C:\x`: true, `c:/x`: true, `\\srv\share\x`: true,
		`C:x`: false, `\x`: false, `x\y`: false, `/etc/x`: false, ``: false,
	} {
		if got := windowsIsAbs(p); got != want {
			t.Errorf("windowsIsAbs(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestServiceCommandIsWindowsOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("checks the message other systems print")
	}
	for _, args := range [][]string{{}, {"install", "--config", `C:\sp.yaml`}, {"start"}, {"stop"}, {"uninstall"}, {"run"}} {
		t.Run(strings.Join(append([]string{"service"}, args...), " "), func(t *testing.T) {
			var out bytes.Buffer
			cmd := newServiceCmd()
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			cmd.SetArgs(args)
			err := cmd.Execute()
			var exit exitError
			if !errors.As(err, &exit) || exit != 1 {
				t.Errorf("err = %v, want exit status 1", err)
			}
			if !strings.Contains(out.String(), "runs only on Windows") || !strings.Contains(out.String(), "systemd") {
				t.Errorf("output = %q, want the Windows-only explanation pointing at systemd", out.String())
			}
		})
	}
}

// logField returns field of the first JSON log line with message msg.
func logField(log, msg, field string) string {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			s, _ := m[field].(string)
			return s
		}
	}
	return ""
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServiceLoopRealServer drives the service life cycle the Windows
// handler drives, with the real server: start, serve, reload on parameter
// change, interrogate, stop.
func TestServiceLoopRealServer(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "softphone.yaml")
	write := func(base string) {
		yaml := fmt.Sprintf("listen: \"127.0.0.1:0\"\nredirectListen: \"\"\nbasePath: %q\nstateDir: %q\ntls: {mode: \"off\"}\nlog: {access: \"off\", format: json}\n", base, dir)
		if err := os.WriteFile(cfgFile, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("/")
	logs := &testenv.Buffer{}
	run := func(ctx context.Context, reload <-chan struct{}, ready func()) error {
		return runServer(ctx, runParams{
			configPath: cfgFile,
			logger:     func(format, level string) *slog.Logger { return newLogger(logs, format, level) },
			reload:     reload,
			ready:      ready,
		})
	}
	controls := make(chan serviceControl)
	var mu sync.Mutex
	var states []string
	report := func(s serviceState) {
		mu.Lock()
		states = append(states, s.String())
		mu.Unlock()
	}
	seen := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(states, ",")
	}
	done := make(chan uint32, 1)
	go func() { done <- serviceLoop(controls, report, run, slog.New(slog.NewJSONHandler(logs, nil))) }()

	waitFor(t, "running", func() bool { return strings.HasSuffix(seen(), "running") })
	url := logField(logs.String(), "serving", "url")
	if !strings.HasPrefix(url, "http://") {
		t.Fatalf("no serving URL in the log:\n%s", logs.String())
	}
	get := func(path string) int {
		resp, err := http.Get(strings.TrimSuffix(url, "/") + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("/healthz"); code != 200 {
		t.Errorf("GET /healthz while running = %d, want 200", code)
	}
	if code := get("/index.html"); code != 200 {
		t.Errorf("GET /index.html with basePath / = %d, want 200", code)
	}

	// Parameter change: the new basePath is served.
	write("/webrtc_client/")
	controls <- controlReload
	waitFor(t, "the reload", func() bool { return strings.Contains(logs.String(), `"config reloaded"`) })
	if code := get("/webrtc_client/index.html"); code != 200 {
		t.Errorf("GET /webrtc_client/index.html after reload = %d, want 200", code)
	}

	controls <- controlInterrogate
	waitFor(t, "the interrogation answer", func() bool { return strings.HasSuffix(seen(), "running,running") })

	controls <- controlStop
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code after stop = %d, want 0\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("service did not stop within 20s")
	}
	if got, want := seen(), "start-pending,running,running,stop-pending,stopped"; got != want {
		t.Errorf("states = %s, want %s", got, want)
	}
	if _, err := http.Get(url + "healthz"); err == nil {
		t.Error("the server still answers after stop")
	}
}

func TestServiceLoopFailures(t *testing.T) {
	tests := []struct {
		name     string
		run      serveFunc
		wantLog  string
		wantSeen string
	}{
		{
			name: "config error at start",
			run: func(ctx context.Context, _ <-chan struct{}, _ func()) error {
				return config.Errors{{File: "softphone.yaml", Line: 3, Col: 1, Path: "tls.mode", Message: "must be one of ..."}}
			},
			wantLog:  "tls.mode: must be one of",
			wantSeen: "start-pending,stopped",
		},
		{
			name: "server ends on its own",
			run: func(ctx context.Context, _ <-chan struct{}, ready func()) error {
				ready()
				return nil
			},
			wantLog:  string(errStoppedOnItsOwn),
			wantSeen: "start-pending,running,stopped",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			var seen []string
			// The server may end before the loop sees ready; both orders are valid.
			code := serviceLoop(nil, func(s serviceState) { seen = append(seen, s.String()) }, tc.run, slog.New(slog.NewTextHandler(&logs, nil)))
			if code != serviceExitFailed {
				t.Errorf("exit code = %d, want %d", code, serviceExitFailed)
			}
			if !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log = %q, want it to contain %q", logs.String(), tc.wantLog)
			}
			if got := strings.Join(seen, ","); got != tc.wantSeen && got != "start-pending,stopped" {
				t.Errorf("states = %s, want %s", got, tc.wantSeen)
			}
		})
	}
}

// recordingSink stands in for the Windows Event Log, which Linux lacks.
type recordingSink struct{ events []string }

func (s *recordingSink) Info(eid uint32, msg string) error    { return s.add("info", eid, msg) }
func (s *recordingSink) Warning(eid uint32, msg string) error { return s.add("warning", eid, msg) }
func (s *recordingSink) Error(eid uint32, msg string) error   { return s.add("error", eid, msg) }
func (s *recordingSink) add(kind string, eid uint32, msg string) error {
	s.events = append(s.events, fmt.Sprintf("%s/%d %s", kind, eid, msg))
	return nil
}

func TestEventLogHandler(t *testing.T) {
	sink := &recordingSink{}
	log := slog.New(newEventLogHandler(sink, "text", "info"))
	log.Debug("not logged at info")
	log.Info("serving", "url", "https://localhost:8443/")
	log.With("component", "tls").Warn("certificate expires in less than 14 days")
	log.WithGroup("reload").Error("config reload refused", "reason", "SIGHUP")
	want := []struct{ prefix, contains string }{
		{"info/1 ", `msg=serving url=https://localhost:8443/`},
		{"warning/2 ", `msg="certificate expires in less than 14 days" component=tls`},
		{"error/3 ", `msg="config reload refused" reload.reason=SIGHUP`},
	}
	if len(sink.events) != len(want) {
		t.Fatalf("events = %q, want %d", sink.events, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(sink.events[i], w.prefix) || !strings.Contains(sink.events[i], w.contains) || strings.HasSuffix(sink.events[i], "\n") {
			t.Errorf("event %d = %q, want prefix %q and %q, one line", i, sink.events[i], w.prefix, w.contains)
		}
	}
	jsonLog := slog.New(newEventLogHandler(sink, "json", "debug"))
	jsonLog.Debug("debug on")
	if last := sink.events[len(sink.events)-1]; !strings.HasPrefix(last, `info/1 {"time":`) {
		t.Errorf("json debug event = %q, want an info event with a JSON line", last)
	}
}
