package auth

import (
	"net/netip"
	"sync"
)

// queuePerCPU bounds the password checks waiting per CPU: at bcrypt cost
// 12 (about 0.25 s a check) a login waits at most about 2 s for its turn.
const queuePerCPU = 8

// hashQueue admits password checks. At most one runs per CPU; at most
// queuePerCPU more per CPU wait for a turn, and one client (an address,
// or an IPv6 /64) holds at most two places per CPU, so a flood of guesses
// from one place leaves room for everyone else. A check not admitted is
// refused at once (429) rather than queued for ever longer.
type hashQueue struct {
	slots chan struct{} // checks running

	mu          sync.Mutex
	admitted    int // checks running or waiting
	perClient   map[netip.Prefix]int
	limit       int
	clientLimit int
}

func newHashQueue(cpus int) *hashQueue {
	return &hashQueue{
		slots:       make(chan struct{}, cpus),
		perClient:   map[netip.Prefix]int{},
		limit:       cpus * (1 + queuePerCPU),
		clientLimit: 2 * cpus,
	}
}

// admit takes a place for client, or reports false when the queue or the
// client's share of it is full.
func (q *hashQueue) admit(client netip.Prefix) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.admitted >= q.limit || q.perClient[client] >= q.clientLimit {
		return false
	}
	q.admitted++
	q.perClient[client]++
	return true
}

// release gives back a place admit took.
func (q *hashQueue) release(client netip.Prefix) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.admitted--
	if q.perClient[client]--; q.perClient[client] <= 0 {
		delete(q.perClient, client)
	}
}

// len is the number of checks running or waiting.
func (q *hashQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.admitted
}
