// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

// eebLookup resolves the message an eEB acknowledges to the case its import
// made, when a store is given.
type eebLookup struct {
	sub  authz.Subject
	svc  *akte.Service
	ilog sqlstore.ImportLog
}

func runXJustizEEB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		cfg    config
		tenant string
	)
	fs := newFlagSet("xjustiz eeb", "Reads electronic acknowledgements of receipt (eEB,\n"+
		"nachricht.eeb.zuruecklaufend) of any supported version: prints which message\n"+
		"they acknowledge, the day of receipt or the Störungsmeldung, who acknowledges\n"+
		"and to whom. With --tenant, the acknowledged message is looked up among the\n"+
		"tenant's imports and its case and documents are printed. Each file is\n"+
		"validated first; fails when any file is invalid or not an eEB.", stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&tenant, "tenant", "", "look the acknowledged message up among this Land's imports (DE-XX)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("xjustiz eeb: no file given")
	}
	v, err := xjustiz.NewValidator(xsd.Limits{})
	if err != nil {
		return err
	}
	var look *eebLookup
	if tenant != "" {
		t, err := tenancy.Parse(tenant)
		if err != nil {
			return fmt.Errorf("--tenant: %w", err)
		}
		if err := cfg.validateStorage(); err != nil {
			return err
		}
		log, _ := newLogger("warn", "text", stderr)
		b, err := openBackends(ctx, &cfg, log)
		if err != nil {
			return err
		}
		defer b.Close()
		ilog := b.db.ImportLog()
		look = &eebLookup{sub: authz.Subject{ID: "xjustiz eeb", Tenant: t, Role: authz.Leser},
			svc: akte.NewService(b.db, b.blobs, b.cat, akte.Options{Logger: log}), ilog: ilog}
	}
	bad := 0
	for _, name := range fs.Args() {
		if err := printEEB(ctx, v, name, look, stdout); err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", name, err)
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("xjustiz eeb: %d of %d files are no valid eEB", bad, fs.NArg())
	}
	return nil
}

func printEEB(ctx context.Context, v *xjustiz.Validator, name string, look *eebLookup, w io.Writer) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	doc, err := v.ReadMessage(f)
	f.Close()
	if err != nil {
		return err
	}
	rep, err := v.Validate(doc)
	if err != nil {
		return err
	}
	e, err := xjustiz.ParseEEB(doc, rep)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: eEB %s (XJustiz %s) acknowledges message %s\n", name, e.MessageID, e.Version, e.Acknowledges)
	if e.Refusal != nil {
		fmt.Fprintf(w, "  refused: Störung %s, %s", e.Refusal.Code, e.Refusal.Name())
		if e.Refusal.Reason != "" {
			fmt.Fprintf(w, ": %q", e.Refusal.Reason)
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintf(w, "  received %s\n", e.Received.Format("2006-01-02"))
	}
	fmt.Fprintf(w, "  by %s%s\n", e.Sender, aktenzeichenNote(e.SenderAktenzeichen))
	fmt.Fprintf(w, "  to %s%s\n", e.Recipient, aktenzeichenNote(e.RecipientAktenzeichen))
	if e.RecipientDiffers != nil {
		fmt.Fprintf(w, "  acknowledged by someone other than the addressee: %t\n", *e.RecipientDiffers)
	}
	fmt.Fprintf(w, "  created %s\n", e.Created)
	if look == nil {
		return nil
	}
	entry, err := look.ilog.Lookup(ctx, look.sub.Tenant, e.Acknowledges)
	if errors.Is(err, errs.ErrNotFound) || err == nil && entry.Case == "" {
		fmt.Fprintf(w, "  message %s: not imported by %s\n", e.Acknowledges, look.sub.Tenant)
		return nil
	}
	if err != nil {
		return err
	}
	c, err := look.svc.Case(ctx, look.sub, entry.Case)
	if err != nil {
		return err
	}
	docs, err := look.svc.Documents(ctx, look.sub, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  message %s was imported as case %s, %s %s\n", e.Acknowledges, c.ID, c.Court, c.Aktenzeichen)
	for _, d := range docs {
		fmt.Fprintf(w, "  document %s\t%s\tsha256 %x\n", d.ID, d.Filename, d.SHA256)
	}
	return nil
}

func aktenzeichenNote(az string) string {
	if az == "" {
		return ""
	}
	return fmt.Sprintf(" (Aktenzeichen %q)", az)
}

func runXJustizAcknowledge(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		cfg      config
		tenant   string
		message  string
		received string
		out      string
	)
	fs := newFlagSet("xjustiz acknowledge", "Writes the eEB (a 3.6.2 nachricht.eeb.zuruecklaufend) that confirms the\n"+
		"receipt of a message the tenant imported: from the court of its case, with\n"+
		"the case's Aktenzeichen, to the message's sender, with the sender's\n"+
		"Aktenzeichen. The day of receipt is the day the import finished, unless\n"+
		"--received gives another. The eEB is validated before it is written.", stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&tenant, "tenant", "", "the Land that imported the message (DE-XX)")
	fs.StringVar(&message, "message", "", "the imported message's id (eigeneNachrichtenID)")
	fs.StringVar(&received, "received", "", "day of receipt, YYYY-MM-DD (default: the day of the import)")
	fs.StringVar(&out, "out", "", "the XML file to write")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if tenant == "" || message == "" || out == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("xjustiz acknowledge: want --tenant, --message and --out")
	}
	t, err := tenancy.Parse(tenant)
	if err != nil {
		return fmt.Errorf("--tenant: %w", err)
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	v, err := xjustiz.NewValidator(xsd.Limits{})
	if err != nil {
		return err
	}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	ilog := b.db.ImportLog()
	entry, err := ilog.Lookup(ctx, t, message)
	if err != nil {
		return fmt.Errorf("xjustiz acknowledge: %w", err)
	}
	if entry.State != "done" || entry.Case == "" {
		return fmt.Errorf("xjustiz acknowledge: message %s: %w: its import did not finish", message, errs.ErrConflict)
	}
	sub := authz.Subject{ID: "xjustiz acknowledge", Tenant: t, Role: authz.Leser}
	c, err := akte.NewService(b.db, b.blobs, b.cat, akte.Options{Logger: log}).Case(ctx, sub, entry.Case)
	if err != nil {
		return fmt.Errorf("xjustiz acknowledge: %w", err)
	}
	day := entry.DoneAt.UTC()
	if received != "" {
		if day, err = time.Parse("2006-01-02", received); err != nil {
			return fmt.Errorf("--received: %q is not a date YYYY-MM-DD", received)
		}
	}
	// The import log keeps the sender as Party.String(): "Gericht X" or a name.
	to := xjustiz.Party{Name: entry.Sender}
	if id, ok := strings.CutPrefix(entry.Sender, "Gericht "); ok {
		if _, err := b.cat.Court(tenancy.CourtID(id)); err == nil {
			to = xjustiz.Party{Court: id}
		}
	}
	doc, err := xjustiz.MarshalEEB(xjustiz.EEB{
		Acknowledges: message, Sender: xjustiz.Party{Court: string(c.Court)}, Recipient: to,
		SenderAktenzeichen: c.Aktenzeichen.String(), RecipientAktenzeichen: entry.SenderAktenzeichen,
		Received: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC),
	}, time.Now())
	if err != nil {
		return fmt.Errorf("xjustiz acknowledge: %w", err)
	}
	rep, err := v.Validate(doc)
	if err != nil {
		return fmt.Errorf("xjustiz acknowledge: %w", err)
	}
	if !rep.Valid() {
		return fmt.Errorf("xjustiz acknowledge: the eEB does not validate: %w", &xjustiz.InvalidError{Report: rep})
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".xjustiz-eeb-*.xml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	_, err = tmp.Write(doc)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: eEB for message %s (case %s, %s %s), received %s\n", out, message, c.ID, c.Court, c.Aktenzeichen, day.Format("2006-01-02"))
	return nil
}
