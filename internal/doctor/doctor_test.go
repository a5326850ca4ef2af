package doctor

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/softphone/softphone/advancedoptions"
)

// doctorFixture is the set of local endpoints doctor is tested against.
type doctorFixture struct {
	ca, otherCA *testCA
	caFile      string
	// SBC URLs
	kamailio, noSAN, expired, untrusted, closed string
	// identity provider
	idp string
	// ICE
	stun, silent string
}

func newDoctorFixture(t *testing.T) *doctorFixture {
	t.Helper()
	f := &doctorFixture{ca: newTestCA(t, "Doctor Test Root CA"), otherCA: newTestCA(t, "Unknown Internal CA")}
	f.caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(f.caFile, f.ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	good := leafSpec{cn: "localhost", dns: []string{"localhost"}, ips: []net.IP{net.ParseIP("127.0.0.1")}, notBefore: now.Add(-time.Hour), notAfter: now.Add(90 * 24 * time.Hour)}

	// The real SBC side: Kamailio's TLS WebSocket listener.
	_, certFile, keyFile := f.ca.issue(t, good)
	f.kamailio = fmt.Sprintf("wss://localhost:%d", startKamailioWSS(t, certFile, keyFile))

	// TLS endpoints with broken certificates.
	noSAN := good
	noSAN.dns, noSAN.ips = []string{"sbc.example.com"}, nil
	expired := good
	expired.notBefore, expired.notAfter = now.Add(-60*24*time.Hour), now.Add(-3*24*time.Hour)
	f.noSAN = tlsEndpoint(t, f.ca, noSAN, http.NotFoundHandler())
	f.expired = tlsEndpoint(t, f.ca, expired, http.NotFoundHandler())
	f.untrusted = tlsEndpoint(t, f.otherCA, good, http.NotFoundHandler())
	f.closed = fmt.Sprintf("wss://localhost:%d", doctorFreePort(t))

	// An identity provider laid out like Keycloak.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	var base string
	mux.HandleFunc("GET /realms/demo/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": base + "/realms/demo", "jwks_uri": base + "/realms/demo/protocol/openid-connect/certs"})
	})
	mux.HandleFunc("GET /realms/demo/protocol/openid-connect/certs", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /realms/empty/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": base + "/realms/empty", "jwks_uri": base + "/realms/empty/certs"})
	})
	mux.HandleFunc("GET /realms/empty/certs", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"keys":[]}`))
	})
	base = strings.Replace(tlsEndpoint(t, f.ca, good, mux), "wss://", "https://", 1)
	f.idp = base

	f.stun = "stun:" + startSTUN(t)
	f.silent = "stun:" + silentUDP(t)
	return f
}

// tlsEndpoint serves h over TLS with a certificate from ca and returns
// its wss://localhost:PORT URL.
func tlsEndpoint(t *testing.T, ca *testCA, spec leafSpec, h http.Handler) string {
	t.Helper()
	pair, _, _ := ca.issue(t, spec)
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return "wss://localhost:" + strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
}

func (f *doctorFixture) prober(timeout time.Duration) *prober {
	return &prober{roots: f.ca.pool(), timeout: timeout, now: time.Now}
}

// byCheck indexes checks by their name.
func byCheck(checks []doctorCheck) map[string]doctorCheck {
	m := map[string]doctorCheck{}
	for _, c := range checks {
		m[c.Check] = c
	}
	return m
}

func TestDoctor(t *testing.T) {
	f := newDoctorFixture(t)
	ctx := context.Background()

	t.Run("sbc", func(t *testing.T) {
		tests := []struct {
			name   string
			url    func() string
			want   map[string]checkStatus
			remedy map[string]string // check -> remedy it must carry
			detail map[string]string // check -> substring of its detail
		}{
			{
				name: "kamailio wss listener",
				url:  func() string { return f.kamailio },
				want: map[string]checkStatus{"dns": statusOK, "tcp": statusOK, "tls-chain": statusOK, "tls-san": statusOK, "tls-expiry": statusOK, "websocket": statusOK},
				detail: map[string]string{
					"websocket": `subprotocol "sip" by kamailio`,
					"dns":       "localhost resolves to",
				},
			},
			{
				name:   "certificate without the host in its SAN",
				url:    func() string { return f.noSAN },
				want:   map[string]checkStatus{"tcp": statusOK, "tls-chain": statusOK, "tls-san": statusFail, "tls-expiry": statusOK, "websocket": statusFail},
				remedy: map[string]string{"tls-san": remedySAN},
				detail: map[string]string{"tls-san": "does not cover localhost: its SAN covers sbc.example.com"},
			},
			{
				name:   "expired certificate",
				url:    func() string { return f.expired },
				want:   map[string]checkStatus{"tls-chain": statusOK, "tls-san": statusOK, "tls-expiry": statusFail},
				remedy: map[string]string{"tls-expiry": remedyExpired},
				detail: map[string]string{"tls-expiry": "EXPIRED on"},
			},
			{
				name:   "certificate from an untrusted internal CA",
				url:    func() string { return f.untrusted },
				want:   map[string]checkStatus{"tls-chain": statusFail, "tls-san": statusOK, "tls-expiry": statusOK},
				remedy: map[string]string{"tls-chain": remedyChain},
				detail: map[string]string{"tls-chain": `"Unknown Internal CA" is not trusted`},
			},
			{
				name:   "closed port",
				url:    func() string { return f.closed },
				want:   map[string]checkStatus{"dns": statusOK, "tcp": statusFail, "tls-handshake": statusSkip, "tls-chain": statusSkip, "websocket": statusSkip},
				remedy: map[string]string{"tcp": remedyTCP},
				detail: map[string]string{"tcp": "connection refused"},
			},
			{
				name:   "not a wss URL",
				url:    func() string { return "https://sbc.example.com" },
				want:   map[string]checkStatus{"url": statusFail},
				remedy: map[string]string{"url": remedyURL},
			},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got := byCheck(f.prober(5*time.Second).checkSBC(ctx, "k", tc.url()))
				for check, want := range tc.want {
					if got[check].Status != want {
						t.Errorf("%s: status = %q (%s), want %q", check, got[check].Status, got[check].Detail, want)
					}
				}
				for check, want := range tc.remedy {
					if got[check].Remedy != want {
						t.Errorf("%s: remedy = %q, want %q", check, got[check].Remedy, want)
					}
				}
				for check, want := range tc.detail {
					if !strings.Contains(got[check].Detail, want) {
						t.Errorf("%s: detail = %q, want it to contain %q", check, got[check].Detail, want)
					}
				}
			})
		}
	})

	t.Run("days left", func(t *testing.T) {
		got := byCheck(f.prober(5*time.Second).checkSBC(ctx, "k", f.expired))["tls-expiry"]
		if got.DaysLeft == nil || *got.DaysLeft != -3 {
			t.Errorf("expired 3 days ago: daysLeft = %v, want -3", got.DaysLeft)
		}
		p := f.prober(5 * time.Second)
		p.now = func() time.Time { return time.Now().Add(80 * 24 * time.Hour) }
		got = byCheck(p.checkSBC(ctx, "k", f.kamailio))["tls-expiry"]
		if got.Status != statusWarn || got.DaysLeft == nil || *got.DaysLeft != 9 || got.Remedy != remedyExpiring {
			t.Errorf("10 days before expiry: tls-expiry = %q, daysLeft %v, remedy %q; want warn, 9, the renewal remedy", got.Status, got.DaysLeft, got.Remedy)
		}
	})

	t.Run("untrusted without --ca", func(t *testing.T) {
		// The agents' view when the internal root CA is not installed.
		p := &prober{roots: f.otherCA.pool(), timeout: 5 * time.Second, now: time.Now}
		got := byCheck(p.checkSBC(ctx, "k", f.kamailio))
		if got["tls-chain"].Status != statusFail || got["tls-chain"].Remedy != remedyChain {
			t.Errorf("tls-chain = %q remedy %q, want fail with the internal CA remedy", got["tls-chain"].Status, got["tls-chain"].Remedy)
		}
		if got["websocket"].Status != statusOK || !strings.Contains(got["websocket"].Detail, "not verified") {
			t.Errorf("websocket = %q %q, want ok, saying the certificate was not verified for it", got["websocket"].Status, got["websocket"].Detail)
		}
	})

	t.Run("dns failure", func(t *testing.T) {
		// A resolver whose DNS server (a closed loopback port) never answers:
		// the lookup fails without sending anything off this machine.
		dead := doctorFreePort(t)
		p := f.prober(2 * time.Second)
		p.resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", "127.0.0.1:"+strconv.Itoa(dead))
		}}
		got := byCheck(p.checkSBC(ctx, "k", "wss://sbc.doctor-test.example:10081"))
		if got["dns"].Status != statusFail || got["dns"].Remedy != remedyDNS {
			t.Errorf("dns = %q (%s) remedy %q, want fail with the DNS remedy", got["dns"].Status, got["dns"].Detail, got["dns"].Remedy)
		}
		if got["tcp"].Status != statusSkip || got["websocket"].Status != statusSkip {
			t.Errorf("after a DNS failure: tcp = %q, websocket = %q, want skip", got["tcp"].Status, got["websocket"].Status)
		}
	})

	t.Run("providers", func(t *testing.T) {
		tests := []struct {
			name                string
			prov                advancedoptions.AuthProvider
			discovery, jwks     checkStatus
			remedy, wantInError string
		}{
			{"keycloak realm", advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: f.idp, Realm: "demo"}, statusOK, statusOK, "", ""},
			{"oidc issuer", advancedoptions.AuthProvider{ProviderType: "OIDC", Authority: f.idp + "/realms/demo/"}, statusOK, statusOK, "", ""},
			{"discovery 404", advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: f.idp, Realm: "nope"}, statusFail, statusSkip, remedyDiscovery, "HTTP 404"},
			{"empty key set", advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: f.idp, Realm: "empty"}, statusOK, statusFail, remedyJWKS, "key set is empty"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got := byCheck(f.prober(5*time.Second).checkProvider(ctx, "k", tc.prov))
				if got["discovery"].Status != tc.discovery || got["jwks"].Status != tc.jwks {
					t.Fatalf("discovery = %q (%s), jwks = %q (%s); want %q, %q", got["discovery"].Status, got["discovery"].Detail, got["jwks"].Status, got["jwks"].Detail, tc.discovery, tc.jwks)
				}
				for _, c := range got {
					if c.Status == statusFail {
						if c.Remedy != tc.remedy || !strings.Contains(c.Detail, tc.wantInError) {
							t.Errorf("%s: detail %q remedy %q; want %q in the detail and remedy %q", c.Check, c.Detail, c.Remedy, tc.wantInError, tc.remedy)
						}
					}
				}
			})
		}
		// An identity provider whose certificate the agents' browsers do not trust.
		p := &prober{roots: f.otherCA.pool(), timeout: 5 * time.Second, now: time.Now}
		got := byCheck(p.checkProvider(ctx, "k", advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: f.idp, Realm: "demo"}))
		if got["discovery"].Status != statusFail || got["discovery"].Remedy != remedyHTTPSCert {
			t.Errorf("untrusted IdP: discovery = %q remedy %q, want fail with the HTTPS certificate remedy", got["discovery"].Status, got["discovery"].Remedy)
		}
	})

	t.Run("stun", func(t *testing.T) {
		got := f.prober(5*time.Second).checkICE(ctx, "k", f.stun)
		if len(got) != 1 || got[0].Status != statusOK || !strings.Contains(got[0].Detail, "reflexive address 127.0.0.1:") {
			t.Errorf("STUN responder: %+v, want ok with a reflexive 127.0.0.1 address", got)
		}
		got = f.prober(500*time.Millisecond).checkICE(ctx, "k", f.silent)
		if len(got) != 1 || got[0].Status != statusFail || got[0].Remedy != remedySTUN {
			t.Errorf("silent port: %+v, want fail with the STUN remedy", got)
		}
		got = f.prober(time.Second).checkICE(ctx, "k", "http://stun.example.com")
		if len(got) != 1 || got[0].Status != statusFail {
			t.Errorf("bad ICE URL: %+v, want fail", got)
		}
	})

	t.Run("command", func(t *testing.T) {
		tests := []struct {
			name    string
			backup  string
			ca      bool
			wantErr bool
			text    []string // substrings of the text output
		}{
			{"all good", "", true, false, []string{"[ ok ] websocket", "0 failed"}},
			{"backup without SAN", f.noSAN, true, true, []string{"[FAIL] tls-san", "remedy: The certificate must contain the SBC's FQDN", "backupSipServerAddress[0]", "FAILED"}},
			{"internal CA not given", "", false, true, []string{"[FAIL] tls-chain", "install the internal root CA"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				cfg := doctorConfig(t, f, tc.backup)
				o := Options{ConfigPath: cfg, Timeout: 5 * time.Second}
				if tc.ca {
					o.CAFiles = []string{f.caFile}
				}
				for _, asJSON := range []bool{false, true} {
					var out bytes.Buffer
					o.JSON = asJSON
					ok, err := Run(context.Background(), o, &out)
					if err != nil {
						t.Fatalf("json=%v: %v\n%s", asJSON, err, out.String())
					}
					if ok == tc.wantErr {
						t.Fatalf("json=%v: ok = %v, want %v\n%s", asJSON, ok, !tc.wantErr, out.String())
					}
					if !asJSON {
						t.Logf("softphone doctor %+v:\n%s", o, out.String())
						for _, s := range tc.text {
							if !strings.Contains(out.String(), s) {
								t.Errorf("text output lacks %q:\n%s", s, out.String())
							}
						}
						continue
					}
					var rep doctorReport
					if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
						t.Fatalf("--json output is not JSON: %v\n%s", err, out.String())
					}
					if rep.OK == tc.wantErr {
						t.Errorf("--json ok = %v, want %v", rep.OK, !tc.wantErr)
					}
					// 1-2 SBCs x 6 checks, 1 provider x 2, 1 ICE server.
					want := 6 + 2 + 1
					if tc.backup != "" {
						want += 6
					}
					if len(rep.Checks) != want {
						t.Errorf("--json has %d checks, want %d", len(rep.Checks), want)
					}
					n := 0
					for _, v := range rep.Summary {
						n += v
					}
					if n != len(rep.Checks) {
						t.Errorf("--json summary counts %d checks, the list has %d", n, len(rep.Checks))
					}
				}
			})
		}
	})
}

// doctorConfig writes a softphone.yaml whose client config points at the
// fixture's endpoints.
func doctorConfig(t *testing.T, f *doctorFixture, backup string) string {
	t.Helper()
	backupLine := ""
	if backup != "" {
		backupLine = fmt.Sprintf("    backupSipServerAddress: [%q]\n", backup)
	}
	yaml := fmt.Sprintf(`listen: "127.0.0.1:0"
redirectListen: ""
stateDir: %q
advancedOptions:
  defaultServerConfig:
    sipDomain: example.test
    sipServerAddress: [%q]
%s    sipIceServers: [%q]
  authProvidersConfig:
    providers:
      - providerLoginName: Keycloak
        providerType: Keycloak
        authority: %q
        realm: demo
        clientId: softphone
`, t.TempDir(), f.kamailio, backupLine, f.stun, f.idp)
	file := filepath.Join(t.TempDir(), "softphone.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestDiscoveryURL(t *testing.T) {
	tests := []struct {
		prov advancedoptions.AuthProvider
		want string
	}{
		{advancedoptions.AuthProvider{ProviderType: "AAD", Authority: "https://login.microsoftonline.com/common"}, "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"},
		{advancedoptions.AuthProvider{ProviderType: "AAD", Authority: "https://login.microsoftonline.com/t1/v2.0/"}, "https://login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration"},
		{advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: "https://kc.example.com:8443", Realm: "demo"}, "https://kc.example.com:8443/realms/demo/.well-known/openid-configuration"},
		{advancedoptions.AuthProvider{ProviderType: "Keycloak", Authority: "https://kc.example.com/realms/demo"}, "https://kc.example.com/realms/demo/.well-known/openid-configuration"},
		{advancedoptions.AuthProvider{ProviderType: "OIDC", Authority: "https://id.example.com/"}, "https://id.example.com/.well-known/openid-configuration"},
	}
	for _, tc := range tests {
		t.Run(tc.prov.ProviderType+" "+tc.prov.Authority, func(t *testing.T) {
			if got := discoveryURL(tc.prov); got != tc.want {
				t.Errorf("discoveryURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDoctorTargetsFrom(t *testing.T) {
	o := &advancedoptions.Options{
		DefaultServerConfig: &advancedoptions.ServerConfig{
			SIPServerAddress:       []string{"wss://a:1", "wss://b:2"},
			BackupSIPServerAddress: []string{"wss://c:3"},
			SIPIceServers:          []string{"stun:s:3478"},
		},
		AuthProvidersConfig: &advancedoptions.AuthProvidersConfig{Providers: []advancedoptions.AuthProvider{{Authority: "https://id"}}},
	}
	got := doctorTargetsFrom(o)
	var keys []string
	for _, list := range [][]doctorTarget{got.sbcs, got.providers, got.ice} {
		for _, x := range list {
			keys = append(keys, x.key+"="+x.url)
		}
	}
	want := []string{
		"advancedOptions.defaultServerConfig.sipServerAddress[0]=wss://a:1",
		"advancedOptions.defaultServerConfig.sipServerAddress[1]=wss://b:2",
		"advancedOptions.defaultServerConfig.backupSipServerAddress[0]=wss://c:3",
		"advancedOptions.authProvidersConfig.providers[0].authority=https://id",
		"advancedOptions.defaultServerConfig.sipIceServers[0]=stun:s:3478",
	}
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	if e := doctorTargetsFrom(nil); len(e.sbcs)+len(e.providers)+len(e.ice) != 0 {
		t.Errorf("targets of nil options = %+v, want none", e)
	}
}

func TestDoctorRoots(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := doctorRoots([]string{bad}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("doctorRoots(bad file) = %v, want a no-PEM error", err)
	}
	if _, err := doctorRoots([]string{filepath.Join(dir, "missing.pem")}); err == nil || !strings.HasPrefix(err.Error(), "--ca: ") {
		t.Errorf("doctorRoots(missing file) = %v, want a --ca error", err)
	}
}
