//go:build race

package auth

// raceSlowdown: the race detector slows bcrypt and the scheduler down
// several times over, so timing bounds in tests are scaled by this.
const raceSlowdown = 8
