package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// testLogger builds a logger as the application's does, for the levels
// and formats the tests use.
func testLogger(w io.Writer, format, level string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if level == "debug" {
		opts.Level = slog.LevelDebug
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func TestServiceOptionsValidate(t *testing.T) {
	ok := Options{Name: "softphone", ConfigPath: `C:\ProgramData\softphone\softphone.yaml`}
	tests := []struct {
		name    string
		mutate  func(*Options)
		wantErr string
	}{
		{"valid", func(*Options) {}, ""},
		{"unc config", func(o *Options) { o.ConfigPath = `\\fs01\config\softphone.yaml` }, ""},
		{"log file", func(o *Options) { o.LogFile = `D:/logs/softphone.log` }, ""},
		{"no config", func(o *Options) { o.ConfigPath = "" }, "--config: required"},
		{"relative config", func(o *Options) { o.ConfigPath = `softphone.yaml` }, `--config: must be an absolute path (a service starts in C:\Windows\System32), got "softphone.yaml"`},
		{"drive-relative config", func(o *Options) { o.ConfigPath = `C:softphone.yaml` }, "--config: must be an absolute path"},
		{"relative log", func(o *Options) { o.LogFile = `logs\softphone.log` }, `--log-file: must be an absolute path, got "logs\\softphone.log"`},
		{"name with space", func(o *Options) { o.Name = "soft phone" }, `--name: must be 1 to 256 characters without spaces, slashes or quotes, got "soft phone"`},
		{"quote in path", func(o *Options) { o.ConfigPath = `C:\a"b.yaml` }, "must not contain double quotes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.mutate(&o)
			err := o.Validate(WindowsIsAbs)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	// Every problem at once.
	err := Options{Name: "", ConfigPath: "x.yaml", LogFile: "y.log"}.Validate(WindowsIsAbs)
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("Validate() with three problems = %v, want three lines", err)
	}
}

func TestWindowsIsAbs(t *testing.T) {
	for p, want := range map[string]bool{
		`C:\x`: true, `c:/x`: true, `\\srv\share\x`: true,
		`C:x`: false, `\x`: false, `x\y`: false, `/etc/x`: false, ``: false,
	} {
		if got := WindowsIsAbs(p); got != want {
			t.Errorf("WindowsIsAbs(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestServiceLoopFailures(t *testing.T) {
	tests := []struct {
		name     string
		run      ServeFunc
		wantLog  string
		wantSeen string
	}{
		{
			name: "config error at start",
			run: func(ctx context.Context, _ <-chan struct{}, _ func()) error {
				return errors.New("softphone.yaml:3:1: tls.mode: must be one of ...")
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
			code := Loop(nil, func(s State) { seen = append(seen, s.String()) }, tc.run, slog.New(slog.NewTextHandler(&logs, nil)))
			if code != exitFailed {
				t.Errorf("exit code = %d, want %d", code, exitFailed)
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
	log := slog.New(newEventLogHandler(sink, testLogger, "text", "info"))
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
	jsonLog := slog.New(newEventLogHandler(sink, testLogger, "json", "debug"))
	jsonLog.Debug("debug on")
	if last := sink.events[len(sink.events)-1]; !strings.HasPrefix(last, `info/1 {"time":`) {
		t.Errorf("json debug event = %q, want an info event with a JSON line", last)
	}
}
