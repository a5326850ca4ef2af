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

	"github.com/softphone/softphone/internal/service"
	"github.com/softphone/softphone/internal/testenv"
)

func TestServiceRunArgs(t *testing.T) {
	o := service.Options{Name: "softphone-lab", ConfigPath: `C:\ProgramData\softphone\softphone.yaml`}
	want := `service run --name softphone-lab --config C:\ProgramData\softphone\softphone.yaml`
	if got := strings.Join(o.RunArgs(), " "); got != want {
		t.Errorf("RunArgs() = %q, want %q", got, want)
	}
	o.LogFile = `C:\logs\sp.log`
	if got := strings.Join(o.RunArgs(), " "); got != want+` --log-file C:\logs\sp.log` {
		t.Errorf("RunArgs() with a log file = %q", got)
	}
	// The run command parses what install wrote.
	cmd := newServiceCmd()
	run, _, err := cmd.Find(o.RunArgs()[1:])
	if err != nil || run.Name() != "run" {
		t.Fatalf("find run: %v %v", run, err)
	}
	if err := run.ParseFlags(o.RunArgs()[2:]); err != nil {
		t.Fatalf("parse %v: %v", o.RunArgs(), err)
	}
	for flag, want := range map[string]string{"name": o.Name, "config": o.ConfigPath, "log-file": o.LogFile} {
		if got := run.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("service run --%s = %q, want %q", flag, got, want)
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
	controls := make(chan service.Control)
	var mu sync.Mutex
	var states []string
	report := func(s service.State) {
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
	go func() { done <- service.Loop(controls, report, run, slog.New(slog.NewJSONHandler(logs, nil))) }()

	// "running" is reported when the server is ready, which may be just
	// before its "serving" line is logged.
	waitFor(t, "running and serving", func() bool {
		return strings.HasSuffix(seen(), "running") && logField(logs.String(), "serving", "url") != ""
	})
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
	controls <- service.ControlReload
	waitFor(t, "the reload", func() bool { return strings.Contains(logs.String(), `"config reloaded"`) })
	if code := get("/webrtc_client/index.html"); code != 200 {
		t.Errorf("GET /webrtc_client/index.html after reload = %d, want 200", code)
	}

	controls <- service.ControlInterrogate
	waitFor(t, "the interrogation answer", func() bool { return strings.HasSuffix(seen(), "running,running") })

	controls <- service.ControlStop
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
