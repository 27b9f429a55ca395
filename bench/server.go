// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Server is a justizcloud serve process started for a benchmark.
type Server struct {
	URL     string
	Token   string // of a Geschäftsstelle of DE-BY
	exe     string
	storage []string // --data and the storage flags given
	cmd     *exec.Cmd
	exit    chan error
}

// StartServer runs "<exe> serve" on a free loopback port with the embedded
// default under dataDir and creates a token for it. storage holds further
// storage flags (such as --db URL), shared with the token command; extra
// holds flags for serve only.
func StartServer(ctx context.Context, exe, dataDir string, storage []string, extra ...string) (*Server, error) {
	storage = append([]string{"--data", dataDir}, storage...)
	args := append(append([]string{"serve", "--addr", "127.0.0.1:0", "--demo=false", "--log-level", "warn"}, storage...), extra...)
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = cleanEnv()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	s := &Server{exe: exe, storage: storage, cmd: cmd, exit: make(chan error, 1)}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "Justizcloud listens on "); ok {
			s.URL = strings.TrimSpace(u)
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out); s.exit <- cmd.Wait() }()
	if s.URL == "" {
		s.Stop()
		return nil, fmt.Errorf("server did not report its address")
	}
	tok, err := s.NewToken(ctx, "DE-BY", "geschaeftsstelle", "")
	if err != nil {
		s.Stop()
		return nil, err
	}
	s.Token = tok
	return s, nil
}

// NewToken creates an API token for the server's store; court may be empty.
func (s *Server) NewToken(ctx context.Context, tenant, role, court string) (string, error) {
	args := append([]string{"token", "create", "--tenant", tenant, "--role", role, "--label", "bench"}, s.storage...)
	if court != "" {
		args = append(args, "--court", court)
	}
	cmd := exec.CommandContext(ctx, s.exe, args...)
	cmd.Env = cleanEnv()
	tok, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return strings.TrimSpace(string(tok)), nil
}

// cleanEnv keeps JUSTIZCLOUD_* settings of the caller from changing the benchmark server.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JUSTIZCLOUD_") {
			env = append(env, kv)
		}
	}
	return env
}

// PeakRSS returns the server's peak resident set size (VmHWM) in bytes.
func (s *Server) PeakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc status")
}

// Stop ends the server with SIGTERM and waits for it.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exit:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exit
	}
}

// CreateCase files a case at AG München and returns its id.
func (s *Server) CreateCase(ctx context.Context, c *http.Client) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", s.URL+"/api/v1/cases", strings.NewReader(`{"court":"D2601","register":"C","subject":"Benchmark"}`))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		return "", fmt.Errorf("create case: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("create case: %w", err)
	}
	return out.ID, nil
}
