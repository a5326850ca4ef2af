// Package soak proves what softphone survives: reloads under load, a
// graceful stop with slow downloads in flight, slow and greedy clients,
// HTTP/2 conformance (h2spec), hostile request paths and a constant load
// over time (memory). Every test builds and drives the real binary on
// loopback, with bounded durations and request counts.
//
// `go test ./test/soak/` runs the short form of each test (small counts, a few
// seconds each). SOAK=full runs the full form that `make soak`
// (test/scripts/soak.sh) uses: wrk for 30 s with 100 config rewrites and 10
// certificate rotations, 1,000 slow connections, a 5-minute memory run.
// SOAK_BIN names a prebuilt binary; otherwise the tests build one.
//
// Each test prints one line starting with "SOAK " with its figures.
package soak
