package service

import (
	"context"
	"log/slog"
)

// Control is a request from the service manager, in platform-neutral
// terms (the Windows handler translates svc.ChangeRequest into these).
type Control int

const (
	ControlInterrogate Control = iota // report the current state again
	ControlStop                       // stop or system shutdown
	ControlReload                     // parameter change: reload the config
)

// State is what the service reports to the manager.
type State int

const (
	StateStartPending State = iota
	StateRunning
	StateStopPending
	StateStopped
)

func (s State) String() string {
	return [...]string{"start-pending", "running", "stop-pending", "stopped"}[s]
}

// exitFailed is the service-specific exit code reported when the
// server could not start or stopped on its own.
const exitFailed = 1

// ServeFunc runs the server until ctx ends, reloading on reload and
// calling ready once serving.
type ServeFunc func(ctx context.Context, reload <-chan struct{}, ready func()) error

// Serve is the serve loop the service runs: ServeFunc with the logger
// factory the service chose (log file or Event Log), built from the
// config's log.format and log.level.
type Serve func(ctx context.Context, logger func(format, level string) *slog.Logger, reload <-chan struct{}, ready func()) error

// Loop is the service's life: start the server, report running
// once it serves, turn stop into a graceful shutdown and parameter change
// into a reload, and report a failure exit code if the server ends on its
// own. report is called on every state change and interrogation.
func Loop(controls <-chan Control, report func(State), run ServeFunc, logger *slog.Logger) (exitCode uint32) {
	report(StateStartPending)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reload := make(chan struct{}, 1)
	ready := make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, reload, func() { close(ready) }) }()

	state := StateStartPending
	set := func(s State) {
		state = s
		report(s)
	}
	finish := func(err error) uint32 {
		if err != nil {
			logger.Error("softphone service stopped", "err", err.Error())
			set(StateStopped)
			return exitFailed
		}
		set(StateStopped)
		return 0
	}
	for {
		select {
		case <-ready:
			ready = nil // a nil channel is never ready again
			set(StateRunning)
		case err := <-errc:
			if err == nil && state != StateStopPending {
				err = errStoppedOnItsOwn
			}
			return finish(err)
		case c, ok := <-controls:
			if !ok {
				controls = nil
				continue
			}
			switch c {
			case ControlInterrogate:
				report(state)
			case ControlStop:
				if state != StateStopPending {
					set(StateStopPending)
					cancel()
				}
			case ControlReload:
				select {
				case reload <- struct{}{}:
				default:
				}
			}
		}
	}
}

type serviceError string

func (e serviceError) Error() string { return string(e) }

const errStoppedOnItsOwn = serviceError("the server stopped without being asked to")
