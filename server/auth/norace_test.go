//go:build !race

package auth

// raceSlowdown scales timing bounds in tests; see race_test.go.
const raceSlowdown = 1
