// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// IngestOptions size the ingest benchmark.
type IngestOptions struct {
	Exe          string // the justizcloud binary to start as server
	Dir          string // scratch folder for the server's data and the disk limit
	LargeSize    int64  // size of a large document (8 MiB)
	LargeCount   int    // large documents per run
	LargeClients int    // concurrent clients for large documents
	SmallSize    int64  // size of a small document (20 KiB)
	SmallCount   int    // small documents per run
	Clients      int    // concurrent clients for small documents
	StreamSize   int64  // one document of this size is streamed to measure peak RSS; 0 skips
	Runs         int
	Progress     io.Writer // one line per step; nil for none
	ServeArgs    []string  // further flags for the server, e.g. --audit=false
}

// IngestRun holds the figures of one run.
type IngestRun struct {
	CryptoLimit float64 // bytes/s, AES-256-GCM + SHA-256 on one core
	DiskLimit   float64 // bytes/s, fsync'ed sequential writes
	Large       float64 // bytes/s through the API
	Small       float64 // documents/s through the API
	PeakRSS     int64   // bytes, server VmHWM over the whole run (incl. the stream)
	Streamed    int64   // bytes of the streamed document
}

// LargeRatio is Large divided by the lower of the two machine limits.
func (r IngestRun) LargeRatio() float64 { return r.Large / min(r.CryptoLimit, r.DiskLimit) }

// Ingest runs the benchmark o.Runs times, each against a fresh server.
//
// Everything the runs write stays until the last run has ended: file systems
// such as ext4 search longer for a free inode right after many files were
// deleted, and that cost of the benchmark's own clean-up does not belong in
// the next run's figures.
func Ingest(ctx context.Context, o IngestOptions) ([]IngestRun, error) {
	scratch, err := os.MkdirTemp(o.Dir, "justizcloud-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	o.Dir = scratch
	var runs []IngestRun
	for i := range o.Runs {
		r, err := ingestOnce(ctx, o, i)
		if err != nil {
			return runs, fmt.Errorf("run %d: %w", i+1, err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func (o IngestOptions) logf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

func ingestOnce(ctx context.Context, o IngestOptions, i int) (IngestRun, error) {
	var r IngestRun
	var err error
	o.logf("run %d: machine limits", i+1)
	if r.CryptoLimit, err = CryptoLimit(time.Second); err != nil {
		return r, fmt.Errorf("crypto limit: %w", err)
	}
	if r.DiskLimit, err = DiskLimit(o.Dir, o.LargeSize, max(4, o.LargeCount)); err != nil {
		return r, fmt.Errorf("disk limit: %w", err)
	}
	data, err := os.MkdirTemp(o.Dir, "ingest-")
	if err != nil {
		return r, err
	}
	srv, err := StartServer(ctx, o.Exe, data, nil, append([]string{"--max-upload", fmt.Sprint(max(o.LargeSize, o.SmallSize, o.StreamSize))}, o.ServeArgs...)...)
	if err != nil {
		return r, err
	}
	defer srv.Stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	caseID, err := srv.CreateCase(ctx, client)
	if err != nil {
		return r, err
	}

	o.logf("run %d: %d × %d-byte documents, %d clients", i+1, o.LargeCount, o.LargeSize, o.LargeClients)
	// The large document is sent from a file, as a real client would send it:
	// the kernel then moves it to the socket without copying it through the
	// client (sendfile), so the load generator takes less of the CPU that the
	// server under test shares with it.
	largeFile := filepath.Join(o.Dir, fmt.Sprintf("large-%d.bin", i))
	if err := writeRandomFile(largeFile, o.LargeSize); err != nil {
		return r, err
	}
	start := time.Now()
	if err := parallel(o.LargeClients, o.LargeCount, func() error {
		f, err := os.Open(largeFile)
		if err != nil {
			return err
		}
		defer f.Close()
		return upload(ctx, client, srv, caseID, f, o.LargeSize)
	}); err != nil {
		return r, err
	}
	r.Large = float64(o.LargeSize) * float64(o.LargeCount) / time.Since(start).Seconds()

	o.logf("run %d: %d × %d-byte documents, %d clients", i+1, o.SmallCount, o.SmallSize, o.Clients)
	small := make([]byte, o.SmallSize)
	_, _ = rand.Read(small)
	start = time.Now()
	if err := parallel(o.Clients, o.SmallCount, func() error {
		return upload(ctx, client, srv, caseID, bytes.NewReader(small), o.SmallSize)
	}); err != nil {
		return r, err
	}
	r.Small = float64(o.SmallCount) / time.Since(start).Seconds()

	if o.StreamSize > 0 {
		o.logf("run %d: streaming one %d-byte document", i+1, o.StreamSize)
		body := io.LimitReader(&prng{r: mrand.NewChaCha8([32]byte{byte(i)})}, o.StreamSize)
		if err := upload(ctx, client, srv, caseID, body, o.StreamSize); err != nil {
			return r, err
		}
		r.Streamed = o.StreamSize
	}
	if r.PeakRSS, err = srv.PeakRSS(); err != nil {
		return r, err
	}
	return r, nil
}

// writeRandomFile writes size random bytes to name.
func writeRandomFile(name string, size int64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := io.CopyN(f, rand.Reader, size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parallel runs job n times on the given number of goroutines and returns the first error.
func parallel(clients, n int, job func() error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	for range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := job(); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}

func upload(ctx context.Context, c *http.Client, s *Server, caseID string, body io.Reader, size int64) error {
	req, err := http.NewRequestWithContext(ctx, "POST", s.URL+"/api/v1/cases/"+caseID+"/documents", body)
	if err != nil {
		return err
	}
	req.ContentLength = size
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Disposition", `attachment; filename="bench.bin"`)
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("upload: %s: %s", resp.Status, bytes.TrimSpace(b))
	}
	return nil
}

// prng is an endless stream of pseudo-random bytes that costs no memory.
type prng struct{ r *mrand.ChaCha8 }

func (p *prng) Read(b []byte) (int, error) { return p.r.Read(b) }

// Median returns the median of f over runs.
func Median(runs []IngestRun, f func(IngestRun) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// AuditPair is one round of AuditCost: throughput with and without the
// audit log, measured back to back.
type AuditPair struct {
	LargeOn, LargeOff float64 // bytes/s
	SmallOn, SmallOff float64 // documents/s
}

// AuditCost measures what the audit log costs uploads. It starts two
// servers side by side, one recording every request in the audit log and
// one started with --audit=false, and loads them in alternation, o.Runs
// rounds of o.LargeCount large and o.SmallCount small documents each, the
// order swapped every round. The phases are short and paired, so that the
// drift of a shared machine (other jobs come and go within a minute) hits
// both sides of a pair alike: the ratio within a round is the figure.
func AuditCost(ctx context.Context, o IngestOptions) ([]AuditPair, error) {
	scratch, err := os.MkdirTemp(o.Dir, "justizcloud-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	maxUpload := fmt.Sprint(max(o.LargeSize, o.SmallSize))
	type side struct {
		srv    *Server
		caseID string
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	var sides [2]side // 0: audit on, 1: audit off
	for i, extra := range [][]string{nil, {"--audit=false"}} {
		data := filepath.Join(scratch, fmt.Sprint("server-", i))
		srv, err := StartServer(ctx, o.Exe, data, nil, append([]string{"--max-upload", maxUpload}, extra...)...)
		if err != nil {
			return nil, err
		}
		defer srv.Stop()
		caseID, err := srv.CreateCase(ctx, client)
		if err != nil {
			return nil, err
		}
		sides[i] = side{srv, caseID}
	}
	largeFile := filepath.Join(scratch, "large.bin")
	if err := writeRandomFile(largeFile, o.LargeSize); err != nil {
		return nil, err
	}
	small := make([]byte, o.SmallSize)
	_, _ = rand.Read(small)
	large := func(s side) (float64, error) {
		start := time.Now()
		err := parallel(o.LargeClients, o.LargeCount, func() error {
			f, err := os.Open(largeFile)
			if err != nil {
				return err
			}
			defer f.Close()
			return upload(ctx, client, s.srv, s.caseID, f, o.LargeSize)
		})
		return float64(o.LargeSize) * float64(o.LargeCount) / time.Since(start).Seconds(), err
	}
	smalls := func(s side) (float64, error) {
		start := time.Now()
		err := parallel(o.Clients, o.SmallCount, func() error {
			return upload(ctx, client, s.srv, s.caseID, bytes.NewReader(small), o.SmallSize)
		})
		return float64(o.SmallCount) / time.Since(start).Seconds(), err
	}
	var out []AuditPair
	for r := range o.Runs {
		order := []int{0, 1}
		if r%2 == 1 {
			order = []int{1, 0}
		}
		var large2, small2 [2]float64
		o.logf("round %d of %d: %d × %d and %d × %d bytes, audit %s first", r+1, o.Runs, o.LargeCount, o.LargeSize,
			o.SmallCount, o.SmallSize, map[int]string{0: "on", 1: "off"}[order[0]])
		for _, i := range order {
			if large2[i], err = large(sides[i]); err != nil {
				return out, err
			}
		}
		for _, i := range order {
			if small2[i], err = smalls(sides[i]); err != nil {
				return out, err
			}
		}
		out = append(out, AuditPair{LargeOn: large2[0], LargeOff: large2[1], SmallOn: small2[0], SmallOff: small2[1]})
	}
	return out, nil
}
