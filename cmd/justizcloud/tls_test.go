// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mustSelfSigned writes a certificate for 127.0.0.1 and its key, and
// returns their paths and a pool that trusts the certificate.
func mustSelfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS: with --tls-cert the server speaks HTTPS only, sends HSTS,
// and its cookies are __Host-…; Secure.
func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := mustSelfSigned(t)
	w := startLoginWorld(t, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(w.srv.url, "https://") {
		t.Fatalf("server url %s, want https", w.srv.url)
	}
	b := w.browser(t)
	b.c.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	resp, _ := b.expect(200, "GET", "/login", nil, nil)
	if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("HSTS = %q over TLS", hsts)
	}
	resp, _ = b.expect(303, "GET", "/login/buerger", nil, nil)
	var pending *http.Cookie
	for _, c := range resp.Cookies() {
		pending = c
	}
	if pending == nil || pending.Name != "__Host-jc_login" || !pending.Secure || !pending.HttpOnly || pending.Path != "/" || pending.Domain != "" {
		t.Errorf("pending-login cookie over TLS = %+v, want __Host-jc_login; Secure; HttpOnly; Path=/", pending)
	}
	if !strings.Contains(resp.Header.Get("Location"), "redirect_uri="+url.QueryEscape(w.srv.url+"/auth/callback")) {
		t.Errorf("redirect_uri is not the https callback: %s", resp.Header.Get("Location"))
	}
	// Plain http to the TLS port gets nowhere.
	plain := strings.Replace(w.srv.url, "https://", "http://", 1)
	if r, err := http.Get(plain + "/healthz"); err == nil {
		if r.StatusCode == http.StatusOK {
			t.Errorf("plain http answered 200")
		}
		r.Body.Close()
	}
}
