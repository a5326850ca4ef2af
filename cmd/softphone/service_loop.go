package main

import (
	"context"
	"log/slog"
)

// serviceControl is a request from the service manager, in platform-neutral
// terms (the Windows handler translates svc.ChangeRequest into these).
type serviceControl int

const (
	controlInterrogate serviceControl = iota // report the current state again
	controlStop                              // stop or system shutdown
	controlReload                            // parameter change: reload the config
)

// serviceState is what the service reports to the manager.
type serviceState int

const (
	stateStartPending serviceState = iota
	stateRunning
	stateStopPending
	stateStopped
)

func (s serviceState) String() string {
	return [...]string{"start-pending", "running", "stop-pending", "stopped"}[s]
}

// serviceExitFailed is the service-specific exit code reported when the
// server could not start or stopped on its own.
const serviceExitFailed = 1

// serveFunc runs the server until ctx ends, reloading on reload and
// calling ready once serving.
type serveFunc func(ctx context.Context, reload <-chan struct{}, ready func()) error

// serviceLoop is the service's life: start the server, report running
// once it serves, turn stop into a graceful shutdown and parameter change
// into a reload, and report a failure exit code if the server ends on its
// own. report is called on every state change and interrogation.
func serviceLoop(controls <-chan serviceControl, report func(serviceState), run serveFunc, logger *slog.Logger) (exitCode uint32) {
	report(stateStartPending)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reload := make(chan struct{}, 1)
	ready := make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, reload, func() { close(ready) }) }()

	state := stateStartPending
	set := func(s serviceState) {
		state = s
		report(s)
	}
	finish := func(err error) uint32 {
		if err != nil {
			logger.Error("softphone service stopped", "err", err.Error())
			set(stateStopped)
			return serviceExitFailed
		}
		set(stateStopped)
		return 0
	}
	for {
		select {
		case <-ready:
			ready = nil // a nil channel is never ready again
			set(stateRunning)
		case err := <-errc:
			if err == nil && state != stateStopPending {
				err = errStoppedOnItsOwn
			}
			return finish(err)
		case c, ok := <-controls:
			if !ok {
				controls = nil
				continue
			}
			switch c {
			case controlInterrogate:
				report(state)
			case controlStop:
				if state != stateStopPending {
					set(stateStopPending)
					cancel()
				}
			case controlReload:
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
