package multiinstance

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// haproxyConfig balances TCP connections (TLS passes through untouched)
// round robin over the instances, with no stickiness. A server is taken
// out after 2 failed /readyz checks 200 ms apart and back in after 1 good
// one; a connection refused by a server that is on its way out is retried
// on another (retries + redispatch).
const haproxyConfig = `global
    maxconn 2000
    stats socket %s mode 600 level admin

defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
    retries 3
    option redispatch

frontend softphone
    bind %s
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server check check-ssl verify none inter 200ms fall 2 rise 1
%s`

// balancer is HAProxy in front of the instances.
type balancer struct {
	addr   string
	socket string
	names  []string
}

func startHAProxy(t *testing.T, addr string, ins []*instance) *balancer {
	t.Helper()
	bin := testenv.LookPath(t, "haproxy")
	dir := t.TempDir()
	b := &balancer{addr: addr, socket: filepath.Join(dir, "admin.sock")}
	var servers strings.Builder
	for _, in := range ins {
		fmt.Fprintf(&servers, "    server %s %s\n", in.name, in.addr)
		b.names = append(b.names, in.name)
	}
	cfg := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(haproxyConfig, b.socket, b.addr, servers.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-f", cfg).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-db", "-f", cfg)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var logs testenv.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("haproxy output:\n%s", logs.String())
		}
	})
	if !waitFor(20*time.Second, func() bool { return b.allUp() }) {
		t.Fatalf("haproxy: not every server up within 20 s: %v\n%s", b.status(), logs.String())
	}
	return b
}

// status returns each server's state ("UP", "DOWN", "UP 1/2"...).
func (b *balancer) status() map[string]string {
	st := map[string]string{}
	for _, n := range b.names {
		st[n] = b.stat("instances", n, "status")
	}
	return st
}

// stat reads one field of HAProxy's "show stat" from its admin socket.
func (b *balancer) stat(proxy, server, field string) string {
	c, err := net.DialTimeout("unix", b.socket, time.Second)
	if err != nil {
		return ""
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, "show stat\n"); err != nil {
		return ""
	}
	r := csv.NewReader(bufio.NewReader(c))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		return ""
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimPrefix(strings.TrimSpace(h), "# ")] = i
	}
	want, ok := col[field]
	if !ok {
		return ""
	}
	for _, row := range rows[1:] {
		if len(row) > want && row[col["pxname"]] == proxy && row[col["svname"]] == server {
			return row[want]
		}
	}
	return ""
}

func (b *balancer) isUp(name string) bool { return b.status()[name] == "UP" }

func (b *balancer) allUp() bool {
	st := b.status()
	for _, n := range b.names {
		if st[n] != "UP" {
			return false
		}
	}
	return true
}
