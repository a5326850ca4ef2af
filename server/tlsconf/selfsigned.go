package tlsconf

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

const (
	selfSignedCert = "self-signed.crt"
	selfSignedKey  = "self-signed.key"
	// selfSignedLifetime stays under the 398 days browsers accept.
	selfSignedLifetime = 397 * 24 * time.Hour
	// selfSignedRenew is how close to expiry a kept certificate is replaced.
	selfSignedRenew = 30 * 24 * time.Hour
)

// selfSignedNames are the names the self-signed certificate covers.
func selfSignedNames(hostname string) (dns []string, ips []net.IP) {
	dns = []string{"localhost"}
	if hostname != "" && hostname != "localhost" && net.ParseIP(hostname) == nil {
		dns = append(dns, hostname)
	}
	return dns, []net.IP{net.IPv4(127, 0, 0, 1).To4(), net.IPv6loopback}
}

// loadOrCreateSelfSigned returns the certificate kept in dir when it is still
// valid for 30 days and covers the names, and otherwise creates, stores and
// returns a new one. created tells which happened.
func loadOrCreateSelfSigned(dir, hostname string, now time.Time) (cert *tls.Certificate, created bool, err error) {
	dns, ips := selfSignedNames(hostname)
	certPath, keyPath := filepath.Join(dir, selfSignedCert), filepath.Join(dir, selfSignedKey)
	if c, err := tls.LoadX509KeyPair(certPath, keyPath); err == nil {
		if reusable(c.Leaf, dns, ips, now) {
			return &c, false, nil
		}
	}
	c, err := createSelfSigned(dns, ips, now)
	if err != nil {
		return nil, false, err
	}
	if err := storeSelfSigned(dir, certPath, keyPath, c); err != nil {
		return nil, false, err
	}
	return c, true, nil
}

func reusable(leaf *x509.Certificate, dns []string, ips []net.IP, now time.Time) bool {
	if leaf == nil || now.Before(leaf.NotBefore) || leaf.NotAfter.Sub(now) < selfSignedRenew {
		return false
	}
	for _, d := range dns {
		if !slices.Contains(leaf.DNSNames, d) {
			return false
		}
	}
	for _, ip := range ips {
		if !slices.ContainsFunc(leaf.IPAddresses, ip.Equal) {
			return false
		}
	}
	return true
}

func createSelfSigned(dns []string, ips []net.IP, now time.Time) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: dns[len(dns)-1], Organization: []string{"softphone self-signed"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(selfSignedLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              dns,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// storeSelfSigned writes the pair into dir (created 0700), the key 0600,
// each through a temporary file and a rename so a crash leaves no half file.
func storeSelfSigned(dir, certPath, keyPath string, c *tls.Certificate) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("self-signed certificate: state folder: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		return fmt.Errorf("self-signed certificate: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Certificate[0]})
	return errors.Join(writeAtomic(keyPath, keyPEM, 0o600), writeAtomic(certPath, certPEM, 0o644))
}

func writeAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, perm)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
