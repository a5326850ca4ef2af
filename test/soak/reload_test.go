package soak

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestReload rewrites the config (valid and invalid in turn) and rotates
// the TLS certificate files while wrk loads the page mix: no request may
// fail or get a status other than 2xx/304, each valid change is served
// within 1 s, each invalid one is refused with the old config still served.
func TestReload(t *testing.T) {
	var (
		dur       = pick(30*time.Second, 6*time.Second)
		changes   = pick(100, 10)
		rotations = pick(10, 2)
		conns     = pick(32, 16)
		visible   = pick(time.Second, 3*time.Second) // 1 s is the target; the short form shares CI cores
	)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeCert(t, certFile, keyFile, 1)
	tlsSection := fmt.Sprintf("tls:\n  mode: files\n  certFile: %q\n  keyFile: %q\n", certFile, keyFile)
	s := startServer(t, dir, serverConfig{body: tlsSection + clientSection("r0.example.com")})
	header := configHeader(s.addr, dir) + tlsSection
	// Invalid configs of every kind: YAML syntax, an unknown key, a bad
	// client value, a bad server value. Each names a domain that must
	// never be served.
	invalid := []func(domain string) string{
		func(d string) string { return header + clientSection(d) + "listen: [unclosed\n" },
		func(d string) string { return header + clientSection(d) + "basePaht: /x/\n" },
		func(d string) string {
			return header + strings.Replace(clientSection(d), "wss://sbc.example.com:10081", "http://sbc.example.com", 1)
		},
		func(d string) string { return header + clientSection(d) + "basePath: no-slashes\n" },
	}
	js := func() string {
		resp, err := s.client.Get(s.url("/static/js/advancedOptions.js"))
		if err != nil {
			t.Errorf("GET advancedOptions.js during reloads: %v", err)
			return ""
		}
		defer resp.Body.Close()
		return readAll(resp)
	}
	mix := pageMix(t, s)

	ctx, cancel := context.WithTimeout(t.Context(), dur+time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var load wrkResult
	wg.Go(func() { load = runWrk(ctx, t, s.addr, conns, dur, mix) })

	var (
		mu           sync.Mutex
		validTimes   []time.Duration
		appliedTimes []time.Duration // until the server logged the reload
		refuseTimes  []time.Duration
		certTimes    []time.Duration
	)
	start := time.Now()
	wg.Go(func() {
		pace := dur * 8 / 10 / time.Duration(changes)
		current := "r0.example.com"
		for i := 1; i <= changes; i++ {
			time.Sleep(time.Until(start.Add(time.Duration(i) * pace)))
			domain := fmt.Sprintf("r%d.example.com", i)
			if i%2 == 1 {
				before := s.logs.count("config reloaded")
				written := time.Now()
				if err := writeFileAtomic(s.cfgPath, []byte(header+clientSection(domain))); err != nil {
					t.Error(err)
					return
				}
				var applied time.Duration
				d, ok := waitFor(visible, func() bool {
					if applied == 0 && s.logs.count("config reloaded") > before {
						applied = time.Since(written)
					}
					return strings.Contains(js(), domain)
				})
				if !ok {
					t.Errorf("change %d: %s not served within %v of the rewrite", i, domain, visible)
					return
				}
				mu.Lock()
				validTimes = append(validTimes, d)
				appliedTimes = append(appliedTimes, applied)
				mu.Unlock()
				current = domain
				continue
			}
			before := s.logs.count("config reload refused")
			bad := invalid[(i/2)%len(invalid)](domain)
			if err := writeFileAtomic(s.cfgPath, []byte(bad)); err != nil {
				t.Error(err)
				return
			}
			d, ok := waitFor(visible, func() bool { return s.logs.count("config reload refused") > before })
			if !ok {
				t.Errorf("change %d: invalid config not refused within %v:\n%s", i, visible, bad)
				return
			}
			mu.Lock()
			refuseTimes = append(refuseTimes, d)
			mu.Unlock()
			if got := js(); !strings.Contains(got, current) || strings.Contains(got, domain) {
				t.Errorf("change %d: after an invalid config, advancedOptions.js is not the previous one (%s):\n%s", i, current, got)
				return
			}
		}
	})
	wg.Go(func() {
		pace := dur * 8 / 10 / time.Duration(rotations)
		for k := 1; k <= rotations; k++ {
			time.Sleep(time.Until(start.Add(time.Duration(k)*pace - pace/2)))
			serial := int64(100 + k)
			writeCert(t, certFile, keyFile, serial)
			d, ok := waitFor(visible, func() bool {
				got, err := servedSerial(s.addr)
				return err == nil && got == serial
			})
			if !ok {
				got, err := servedSerial(s.addr)
				t.Errorf("rotation %d: certificate serial %d not served within %v of the rewrite (serving %d, %v)", k, serial, visible, got, err)
				return
			}
			mu.Lock()
			certTimes = append(certTimes, d)
			mu.Unlock()
		}
	})
	wg.Wait()

	if load.errors() > 0 || load.bad > 0 {
		t.Errorf("wrk during reloads: %s\n%s", load, load.output)
	}
	if load.requests == 0 {
		t.Errorf("wrk made no requests:\n%s", load.output)
	}
	if n := len(validTimes) + len(refuseTimes); n != changes {
		t.Errorf("%d of %d config changes checked", n, changes)
	}
	if len(certTimes) != rotations {
		t.Errorf("%d of %d certificate rotations checked", len(certTimes), rotations)
	}
	reportLine(t, "%d config rewrites (%d valid applied in max %s and served in max %s, %d invalid refused in max %s), %d cert rotations (served in max %s), wrk %d conns %v: %s",
		changes, len(validTimes), ms(maxDur(appliedTimes)), ms(maxDur(validTimes)), len(refuseTimes), ms(maxDur(refuseTimes)),
		len(certTimes), ms(maxDur(certTimes)), conns, dur, load)
}

func maxDur(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds)
}
