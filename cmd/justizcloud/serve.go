// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/audit"
	"justizcloud/authz"
	"justizcloud/frist"
	"justizcloud/httpapi"
	"justizcloud/identity"
	"justizcloud/login"
	"justizcloud/search"
	"justizcloud/verfahren"
	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	cfg.MaxUpload = 100 << 20
	fs := newFlagSet("serve", "Runs the API server. With no flags: 127.0.0.1:8080, SQLite and encrypted\nfiles under ./data, demo data seeded on first start.", stderr)
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	cfg.storageFlags(fs)
	fs.Var(&cfg.MaxUpload, "max-upload", "largest document accepted (e.g. 100MiB)")
	maxXJustiz := byteSize(1 << 30)
	fs.Var(&maxXJustiz, "max-xjustiz-package", "largest XJustiz package (ZIP or multipart form) accepted for import")
	fs.DurationVar(&cfg.UploadTimeout, "upload-timeout", time.Hour, "uploads unfinished after this long are discarded")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, how long in-flight requests may finish")
	fs.BoolVar(&cfg.Demo, "demo", true, "seed demo cases and documents on first start")
	fs.StringVar(&cfg.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "text or json")
	draftTTL := fs.Duration("draft-ttl", 30*24*time.Hour, "saved interviews (drafts) and their uploads are deleted this long after their last change")
	clockOffset := fs.Duration("clock-offset", 0, "tests and demos only: the proceedings' clock (events, Fristen, service, court documents) runs this far ahead of the real time, e.g. 360h to let a Frist expire")
	auditOn := fs.Bool("audit", true, "record every request on case data in the audit log (false is for benchmarks only: bench ingest measures the log's cost)")
	cfg.Login.loginFlags(fs)
	mailCfg := mailFlags(fs)
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	if err := cfg.Login.validate(); err != nil {
		return err
	}
	if err := mailCfg.validate(); err != nil {
		return err
	}
	log, err := newLogger(cfg.LogLevel, cfg.LogFormat, stderr)
	if err != nil {
		return err
	}

	embedded := cfg.Blob == "fs"
	if embedded {
		lock, err := lockData(cfg.Data)
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	// The indexer reads documents through the decrypting store. It runs until
	// this function returns, before the backends close.
	indexer := search.NewIndexer(b.db, b.db, b.blobs, b.cat, log)
	ictx, icancel := context.WithCancel(ctx)
	indexed := make(chan struct{})
	go func() { defer close(indexed); indexer.Run(ictx) }()
	defer func() { icancel(); <-indexed }()
	// The one decision point, shared by every service of this process.
	authorizer := authz.NewAuthorizer(b.db, time.Now, 0)
	users := identity.NewUsers(b.db, b.cat, authorizer, time.Now)
	served := &zustellungHook{} // service by access: a recipient's first download is service
	now := offsetClock(*clockOffset, log)
	svc := akte.NewService(b.db, b.blobs, b.cat, akte.Options{MaxUpload: int64(cfg.MaxUpload), Logger: log, Now: now,
		DocumentClass: func(name string) bool { _, ok := verfahren.DocumentClassCode(name); return ok },
		Changed:       indexer.Notify, Authorizer: authorizer, Accounts: users.SubjectOf, OnContent: served.onContent})
	procedures, err := verfahren.NewRegistry()
	if err != nil {
		return err
	}
	fristen := frist.NewCalendar(b.cat)
	proceedings := verfahren.NewService(svc, b.db, procedures, fristen, now)

	// What a killed predecessor left behind: with the data folder locked, every
	// temp file and unfinished upload is an orphan; shared backends wait for the timeout.
	sweepBefore := time.Now().Add(-cfg.UploadTimeout)
	if embedded {
		sweepBefore = time.Now()
		if n, err := b.fs.CleanTemp(0); err != nil {
			return err
		} else if n > 0 {
			log.Info("removed temp files of an earlier run", "files", n)
		}
	}
	if n, err := svc.SweepUploads(ctx, sweepBefore); err != nil {
		return err
	} else if n > 0 {
		log.Info("discarded unfinished uploads of an earlier run", "uploads", n)
	}

	// XJustiz import and export: the same importer, exporter and limits as
	// the xjustiz command.
	validator, err := xjustiz.NewValidator(xsd.Limits{})
	if err != nil {
		return err
	}
	ilog := b.db.ImportLog()
	xj := &httpapi.XJustiz{
		Importer: xjustiz.NewImporter(validator, svc, b.cat, ilog, documentClassName),
		Exporter: xjustiz.NewExporter(validator, svc, verfahren.DocumentClassCode),
		MaxBytes: int64(maxXJustiz),
	}

	anonymize, err := newAnonService(b.db, b.db)
	if err != nil {
		return err
	}
	tokens := identity.NewTokens(b.db, users, time.Now)
	// Every request on case data is recorded in the tenant's audit log; the
	// checkpoint key lies beside the keyring and is created on first use.
	auditSigner, err := audit.OpenFileSigner(cfg.auditKeyPath())
	if err != nil {
		return err
	}
	auditLog := audit.NewLog(b.db, auditSigner, time.Now)
	if !*auditOn {
		log.Warn("audit log OFF: requests on case data are not recorded (--audit=false is for benchmarks only)")
		auditLog = nil
	}
	if cfg.Demo {
		if err := seedDemo(ctx, b.db, svc, log); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	// Browser logins with OpenID Connect, sessions in the store; people
	// resolve to accounts through identity.Users.
	public := cfg.Login.publicURL(ln)
	var demo []login.DemoAccount
	if cfg.Demo && loopback(ln.Addr()) {
		if demo, err = seedDemoUsers(ctx, b.db, svc); err != nil {
			return err
		}
	}
	loginSvc, err := newLogin(&cfg.Login, b.db, users, public, demo, log)
	if err != nil {
		return err
	}
	go sessionSweepLoop(ctx, loginSvc, log)
	served.svc = newZustellung(mailCfg, b.db, svc, proceedings, b.cat, public, log, now)

	web, err := newPortal(ctx, b, svc, proceedings, procedures, auditLog, sweepBefore, *draftTTL, log)
	if err != nil {
		return err
	}

	court, err := newCourt(web, served.svc, b.db, now)
	if err != nil {
		return err
	}
	publications, err := newPublications(court, b, svc, anonymize, auditLog, log, now)
	if err != nil {
		return err
	}
	api := httpapi.New(httpapi.Deps{
		Portal:       web,
		Court:        court,
		Publications: publications,
		Login:        loginSvc, Limits: cfg.Login.limits(), HTTPS: strings.HasPrefix(public, "https://"),
		Akte: svc, Tokens: tokens, Users: users, Catalog: b.cat, Fristen: fristen, Verfahren: proceedings, Logger: log,
		Search:     search.New(b.db, indexer.DocumentText, svc.Authorizer(), svc.Document),
		XJustiz:    xj,
		Zustellung: served.svc,
		Anonymize:  anonymize,
		Audit:      auditLog,
		Ready: func(ctx context.Context) error {
			if err := b.db.Ping(ctx); err != nil {
				return err
			}
			_, err := b.inner.Stat(ctx, readinessKey)
			if err != nil && !isNotFound(err) {
				return err
			}
			return nil
		},
	})
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go sweepLoop(ctx, svc, cfg.UploadTimeout, log)

	url := "http://" + ln.Addr().String()
	if cfg.Login.tls() {
		url = "https://" + ln.Addr().String()
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	log.Info("listening", "url", url, "data", cfg.Data, "db", dbKind(cfg.DB), "blob", cfg.Blob)
	fmt.Fprintf(stdout, "Justizcloud listens on %s\n", url)
	if len(demo) > 0 {
		fmt.Fprintf(stdout, "Demo accounts (citizen, defendant, lawyer, clerk, judge, Land admin): log in at %s/login\n", public)
	}
	if cfg.Demo {
		fmt.Fprintf(stdout, "Demo data: cases in DE-BY, DE-NW and DE-BE. Get a token in a second shell with\n"+
			"  go run ./cmd/justizcloud token create --data %s --tenant DE-BY --role geschaeftsstelle\n"+
			"(or with the built binary: justizcloud token create …), then see the README's curl tour.\n", cfg.Data)
	}

	errc := make(chan error, 1)
	go func() {
		if cfg.Login.tls() {
			errc <- srv.ServeTLS(ln, cfg.Login.TLSCert, cfg.Login.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Uploads still running are cut off; their handlers discard what they wrote.
		srv.Close()
		wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer wcancel()
		if werr := api.Wait(wctx); werr != nil {
			log.Warn("requests still running at exit; the next start sweeps them", "err", werr)
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// sweepLoop discards uploads abandoned by crashed replicas, every few minutes.
func sweepLoop(ctx context.Context, svc *akte.Service, timeout time.Duration, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.SweepUploads(ctx, time.Now().Add(-timeout)); err != nil {
				log.Warn("sweep uploads", "err", err)
			} else if n > 0 {
				log.Info("discarded abandoned uploads", "uploads", n)
			}
		}
	}
}

func newLogger(level, format string, w io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format must be text or json")
	}
}

// dbKind names the database without its credentials, for the log.
func dbKind(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "postgres"
	}
	return "sqlite"
}
