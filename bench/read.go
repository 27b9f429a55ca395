// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// ReadOptions configure the read benchmark against a seeded store.
type ReadOptions struct {
	Exe          string   // the justizcloud binary, started as server and as bare handler
	Data         string   // the seeded data folder
	Storage      []string // further storage flags, e.g. --db URL
	Connections  int      // concurrent connections (64)
	Duration     time.Duration
	Cases        []string // IDs of DE-BY cases to read
	InboxCourt   string   // a DE-BY court whose Geschäftsstelle reads its inbox
	Terms        []string // search queries
	HistoryCases []string // IDs of DE-BY proceedings (cases with a procedure type)
	Only         []string // request kinds to run (all when empty); the baseline always runs
	ServeArgs    []string // further flags for the server, e.g. --audit=false
	Progress     io.Writer
}

// ReadResult is the load figure of one request kind.
type ReadResult struct {
	Name      string
	Requests  int
	Errors    int
	PerSecond float64
	P50, P99  time.Duration
}

// Read loads a bare Go HTTP handler and then, through the real API of a
// server on the seeded store, case file listing, case history, inbox and
// search, each for o.Duration with o.Connections concurrent connections.
func Read(ctx context.Context, o ReadOptions) ([]ReadResult, error) {
	if len(o.Cases) == 0 || len(o.HistoryCases) == 0 || len(o.Terms) == 0 {
		return nil, fmt.Errorf("read benchmark: no cases or search terms to read")
	}
	bare, stopBare, err := startBare(ctx, o.Exe)
	if err != nil {
		return nil, err
	}
	var out []ReadResult
	o.logf("bare handler: %d connections for %v", o.Connections, o.Duration)
	out = append(out, o.load(ctx, "bare handler", "", func(*mrand.Rand) string { return bare + "/" }))
	stopBare()

	srv, err := StartServer(ctx, o.Exe, o.Data, o.Storage, o.ServeArgs...)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	inboxToken := srv.Token
	if o.InboxCourt != "" {
		if inboxToken, err = srv.NewToken(ctx, "DE-BY", "geschaeftsstelle", o.InboxCourt); err != nil {
			return nil, err
		}
	}
	kinds := []struct {
		name, token string
		url         func(*mrand.Rand) string
	}{
		{"case file listing", srv.Token, func(r *mrand.Rand) string { return srv.URL + "/api/v1/cases/" + pick(r, o.Cases) + "/documents" }},
		{"case history", srv.Token, func(r *mrand.Rand) string { return srv.URL + "/api/v1/cases/" + pick(r, o.HistoryCases) + "/history" }},
		{"inbox", inboxToken, func(*mrand.Rand) string { return srv.URL + "/api/v1/inbox?limit=50" }},
		{"search", srv.Token, func(r *mrand.Rand) string { return srv.URL + "/api/v1/search?q=" + url.QueryEscape(pick(r, o.Terms)) }},
	}
	for _, k := range kinds {
		if len(o.Only) > 0 && !slices.Contains(o.Only, k.name) {
			continue
		}
		o.logf("%s: %d connections for %v", k.name, o.Connections, o.Duration)
		out = append(out, o.load(ctx, k.name, k.token, k.url))
	}
	return out, nil
}

func (o ReadOptions) logf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// load sends GET requests from o.Connections goroutines for o.Duration
// (after a short warm-up that is not counted) and measures each one.
func (o ReadOptions) load(ctx context.Context, name, token string, next func(*mrand.Rand) string) ReadResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Connections, MaxConnsPerHost: o.Connections, DisableCompression: true}}
	defer client.CloseIdleConnections()
	warm := min(o.Duration/5, 2*time.Second)
	begin := time.Now().Add(warm)
	end := begin.Add(o.Duration)
	var mu sync.Mutex
	var lat []time.Duration
	errors := 0
	var wg sync.WaitGroup
	for w := range o.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := mrand.New(mrand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				ok := get(ctx, client, next(r), token)
				if t0.Before(begin) {
					continue
				}
				if !ok {
					bad++
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errors += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	res := ReadResult{Name: name, Requests: len(lat), Errors: errors, PerSecond: float64(len(lat)) / o.Duration.Seconds()}
	if len(lat) > 0 {
		res.P50, res.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return res
}

func get(ctx context.Context, c *http.Client, u, token string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err == nil && resp.StatusCode == http.StatusOK
}

// bareLine is what ServeBare prints once it listens.
const bareLine = "bare handler listens on "

// ServeBare runs the baseline of the read benchmark until ctx ends: a
// minimal Go HTTP handler on a free loopback port that answers every request
// with a small JSON body.
func ServeBare(ctx context.Context, stdout io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	body := []byte(`{"status":"ok"}`)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "%shttp://%s\n", bareLine, ln.Addr())
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// startBare runs "<exe> bench bare" as its own process, like the server.
func startBare(ctx context.Context, exe string) (string, func(), error) {
	cmd := exec.CommandContext(ctx, exe, "bench", "bare")
	cmd.Env = cleanEnv()
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start bare handler: %w", err)
	}
	stop := func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	u, ok := strings.CutPrefix(strings.TrimSpace(line), bareLine)
	if err != nil || !ok {
		stop()
		return "", nil, fmt.Errorf("bare handler did not report its address")
	}
	return u, stop, nil
}

// SearchTerms are queries over the synthetic corpus with a spread of hit
// counts: words in nearly every document, subject words, surnames,
// combinations, and one of the given Aktenzeichen.
func SearchTerms(aktenzeichen []string) []string {
	terms := []string{"Klage", "Beklagte Zahlung", "Verzug", "Sachverständige Gutachten"}
	for _, s := range subjects {
		terms = append(terms, s.words[0], s.words[0]+" "+s.words[1])
	}
	for _, n := range lastNames[:20] {
		terms = append(terms, n)
	}
	for _, n := range firstNames[:10] {
		terms = append(terms, n+" "+pick(mrand.New(mrand.NewPCG(1, uint64(len(n)))), lastNames))
	}
	return append(terms, aktenzeichen...)
}
