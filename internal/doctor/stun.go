package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"github.com/pion/stun/v3"
)

// checkICE sends a STUN Binding request to one sipIceServers entry and
// reports the reflexive address it answers with. TURN servers answer
// Binding requests too, so turn: and turns: (over TCP) are checked the
// same way; DTLS (turns: over UDP) is not.
func (p *prober) checkICE(ctx context.Context, key, raw string) []doctorCheck {
	res := doctorCheck{Target: raw, Key: key, Check: "stun"}
	set := func(status checkStatus, remedy, format string, args ...any) []doctorCheck {
		res.Status, res.Remedy, res.Detail = status, remedy, fmt.Sprintf(format, args...)
		return []doctorCheck{res}
	}
	u, err := stun.ParseURI(raw)
	if err != nil {
		return set(statusFail, remedySTUN, "not a stun:, turn: or turns: URL: %v", err)
	}
	addr := net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
	network := "udp"
	if u.Proto == stun.ProtoTypeTCP {
		network = "tcp"
	}
	secure := u.Scheme == stun.SchemeTypeTURNS || u.Scheme == stun.SchemeTypeSTUNS
	if secure && network == "udp" {
		return set(statusSkip, "", "DTLS (turns: over UDP) is not checked")
	}

	dctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(dctx, network, addr)
	if err != nil {
		return set(statusFail, remedySTUN, "cannot reach %s over %s: %v", addr, network, unwrapNet(err))
	}
	if secure {
		tc := tls.Client(conn, p.tlsConfig(u.Host, true))
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return set(statusFail, remedyFor(err, remedySTUN), "TLS with %s: %v", addr, err)
		}
		conn = tc
	}
	client, err := stun.NewClient(conn)
	if err != nil {
		conn.Close()
		return set(statusFail, remedySTUN, "%v", err)
	}
	defer client.Close()

	type answer struct {
		addr stun.XORMappedAddress
		err  error
	}
	done := make(chan answer, 1)
	err = client.Start(stun.MustBuild(stun.TransactionID, stun.BindingRequest, stun.Fingerprint), func(e stun.Event) {
		var a answer
		if a.err = e.Error; a.err == nil {
			if e.Message.Type != stun.BindingSuccess {
				a.err = fmt.Errorf("answered %s, want a binding success response", e.Message.Type)
			} else if err := a.addr.GetFrom(e.Message); err != nil {
				a.err = fmt.Errorf("binding response without XOR-MAPPED-ADDRESS: %w", err)
			}
		}
		select {
		case done <- a:
		default:
		}
	})
	if err != nil {
		return set(statusFail, remedySTUN, "%v", err)
	}
	select {
	case a := <-done:
		if a.err != nil {
			return set(statusFail, remedySTUN, "%s: %v", addr, a.err)
		}
		return set(statusOK, "", "binding response from %s over %s: reflexive address %s", addr, network, a.addr.String())
	case <-dctx.Done():
		return set(statusFail, remedySTUN, "no binding response from %s over %s within %s", addr, network, p.timeout)
	}
}
