package tlsconf

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// loadFiles reads the certificate of files mode: the PEM pair or the PFX bundle.
func loadFiles(c *Config) (*tls.Certificate, error) {
	if c.PFXFile != "" {
		return loadPFX(c.PFXFile, c.PFXPassword)
	}
	return loadPEM(c.CertFile, c.KeyFile)
}

func loadPEM(certFile, keyFile string) (*tls.Certificate, error) {
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tls.certFile %s, tls.keyFile %s: %w", certFile, keyFile, err)
	}
	return &c, nil
}

// loadPFX decodes a PKCS#12 bundle as IIS and Windows export it (3DES or
// AES-encrypted, with or without the chain).
func loadPFX(path, password string) (*tls.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tls.pfxFile: %w", err)
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, fmt.Errorf("tls.pfxFile %s: wrong tls.pfxPassword: %w", path, err)
		}
		return nil, fmt.Errorf("tls.pfxFile %s: %w", path, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("tls.pfxFile %s: unsupported private key type %T", path, key)
	}
	cert := &tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: signer, Leaf: leaf}
	for _, ca := range chain {
		// A bundle may carry the self-signed root; it is never sent (RFC 8446 4.4.2).
		if isSelfSigned(ca) {
			continue
		}
		cert.Certificate = append(cert.Certificate, ca.Raw)
	}
	if !publicKeysMatch(leaf.PublicKey, signer.Public()) {
		return nil, fmt.Errorf("tls.pfxFile %s: the private key does not belong to the certificate %q", path, leaf.Subject.CommonName)
	}
	return cert, nil
}

func isSelfSigned(c *x509.Certificate) bool {
	return c.CheckSignatureFrom(c) == nil
}

func publicKeysMatch(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// fileStamp identifies one version of a file: a change of size or
// modification time (also through a swapped symlink, as Kubernetes secrets
// do) means the file must be read again.
type fileStamp struct {
	size    int64
	modTime time.Time
}

func stampOf(paths ...string) []fileStamp {
	s := make([]fileStamp, len(paths))
	for i, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			s[i] = fileStamp{fi.Size(), fi.ModTime()}
		}
	}
	return s
}

func sameStamps(a, b []fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].size != b[i].size || !a[i].modTime.Equal(b[i].modTime) {
			return false
		}
	}
	return true
}

// watchedPaths are the files of files mode whose change triggers a reload.
func watchedPaths(c *Config) []string {
	if c.PFXFile != "" {
		return []string{c.PFXFile}
	}
	return []string{c.CertFile, c.KeyFile}
}
