// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package s3test starts a real S3 server (versitygw with its posix backend)
// on 127.0.0.1 for tests, in the spirit of net/http/httptest.
//
// versitygw is looked up in $JUSTIZCLOUD_VERSITYGW, then in $PATH, then in
// $(go env GOPATH)/bin; CI installs it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
//
// When it is missing, tests are skipped, but fail if the environment
// variable CI is non-empty, so that a CI run cannot pass without S3.
package s3test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"justizcloud/blob/s3blob"
)

// EnvBinary names the environment variable that may point to versitygw.
const EnvBinary = "JUSTIZCLOUD_VERSITYGW"

// Start runs a fresh versitygw on a free port of 127.0.0.1 with an empty
// root directory below tb.TempDir(), waits until it accepts connections and
// stops it when the test ends. The returned Config carries the server's
// random root credentials, region "us-east-1" and bucket "justizcloud-test"
// (Open creates it); change Bucket to get more buckets.
func Start(tb testing.TB) s3blob.Config {
	tb.Helper()
	bin, err := findBinary()
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("s3test: versitygw is required in CI: %v", err)
		}
		tb.Skipf("s3test: skipping, versitygw not found: %v", err)
	}
	cfg := s3blob.Config{
		Bucket:    "justizcloud-test",
		AccessKey: "justizcloud",
		SecretKey: rand.Text(),
		Region:    "us-east-1",
		PartSize:  5 << 20, // the S3 minimum, so that tests cross part boundaries cheaply
	}
	root := tb.TempDir()
	var sidecar string
	if !xattrSupported(root) {
		// versitygw keeps object metadata in extended attributes; without
		// them it needs a sidecar directory.
		sidecar = tb.TempDir()
	}
	// A free port can be taken by someone else before versitygw binds it;
	// then the server exits at once and we try another port.
	var lastErr error
	for range 5 {
		addr, err := freeAddr()
		if err != nil {
			tb.Fatalf("s3test: %v", err)
		}
		srv, err := start(bin, addr, root, sidecar, cfg)
		if err != nil {
			lastErr = err
			continue
		}
		tb.Cleanup(func() {
			if err := srv.stop(); err != nil {
				tb.Errorf("s3test: stopping versitygw: %v", err)
			}
			if tb.Failed() {
				tb.Logf("s3test: versitygw output:\n%s", srv.out.String())
			}
		})
		cfg.Endpoint = addr
		return cfg
	}
	tb.Fatalf("s3test: starting versitygw: %v", lastErr)
	return s3blob.Config{}
}

func findBinary() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", EnvBinary, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gopath, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("not in $PATH, and go env GOPATH failed: %w", err)
	}
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(gopath))) {
		p := filepath.Join(dir, "bin", "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("not in $" + EnvBinary + ", $PATH or $(go env GOPATH)/bin")
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

type server struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // exit status; read after done
}

func start(bin, addr, root, sidecar string, cfg s3blob.Config) (*server, error) {
	// Global options go before the backend command.
	args := []string{"--port", addr, "--region", cfg.Region, "--quiet", "posix"}
	if sidecar != "" {
		args = append(args, "--sidecar", sidecar)
	}
	args = append(args, root)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+cfg.AccessKey, "ROOT_SECRET_KEY="+cfg.SecretKey)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &server{cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		srv.err = cmd.Wait()
		close(srv.done)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-srv.done:
			return nil, fmt.Errorf("versitygw exited early (%v): %s", srv.err, out.String())
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return srv, nil
		}
		if time.Now().After(deadline) {
			srv.stop()
			return nil, fmt.Errorf("versitygw does not accept connections on %s: %v; output: %s", addr, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop asks versitygw to shut down and kills it if it does not within 10 s.
func (s *server) stop() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return errors.New("versitygw ignored SIGINT and was killed")
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
