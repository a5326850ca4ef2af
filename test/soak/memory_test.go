package soak

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMemoryFlat keeps wrk's page mix at constant concurrency and samples
// the server's resident set size: the last window's median stays within
// 10% of the first window's (after warm-up).
func TestMemoryFlat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/status")
	}
	var (
		dur    = pick(5*time.Minute, 15*time.Second)
		every  = pick(time.Second, 250*time.Millisecond)
		warm   = pick(20*time.Second, 4*time.Second) // the first window starts here...
		window = pick(40*time.Second, 4*time.Second) // ...and lasts this long
		last   = pick(60*time.Second, 4*time.Second) // the last window
		conns  = pick(32, 16)
		limit  = pick(0.10, 0.15)
	)
	s := startServer(t, "", serverConfig{body: clientSection("memory.example.com")})
	// The best compression replaces the fast one in the background after
	// start; measure the steady state.
	if _, ok := waitFor(time.Minute, func() bool { return s.logs.count("best compression in place") > 0 }); !ok {
		t.Fatal("best compression not in place within a minute")
	}
	mix := pageMix(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), dur+time.Minute)
	defer cancel()

	type sample struct {
		at  time.Duration
		rss int // KiB
	}
	var samples []sample
	var wg sync.WaitGroup
	var load wrkResult
	start := time.Now()
	wg.Go(func() { load = runWrk(ctx, t, s.addr, conns, dur, mix) })
	for time.Since(start) < dur {
		time.Sleep(every)
		rss, err := vmRSS(s.pid())
		if err != nil {
			t.Fatalf("reading RSS: %v", err)
		}
		samples = append(samples, sample{time.Since(start), rss})
	}
	wg.Wait()

	median := func(from, to time.Duration) int {
		var v []int
		for _, s := range samples {
			if s.at >= from && s.at <= to {
				v = append(v, s.rss)
			}
		}
		if len(v) == 0 {
			t.Fatalf("no RSS samples between %v and %v", from, to)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	first := median(warm, warm+window)
	end := median(dur-last, dur)
	peak := 0
	for _, s := range samples {
		peak = max(peak, s.rss)
	}
	growth := float64(end-first) / float64(first)
	if growth > limit {
		t.Errorf("RSS grew %.1f%% under constant load: median %d KiB in [%v, %v], %d KiB in the last %v (limit %.0f%%)",
			100*growth, first, warm, warm+window, end, last, 100*limit)
	}
	if load.errors() > 0 || load.bad > 0 || load.requests == 0 {
		t.Errorf("wrk: %s", load)
	}
	reportLine(t, "RSS median %.1f MiB in [%v, %v], %.1f MiB in the last %v (%+.1f%%, limit +%.0f%%), peak %.1f MiB, %d samples; wrk %d conns %v: %s",
		float64(first)/1024, warm, warm+window, float64(end)/1024, last, 100*growth, 100*limit, float64(peak)/1024, len(samples), conns, dur, load)
}

// vmRSS reads a process's resident set size in KiB.
func vmRSS(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
