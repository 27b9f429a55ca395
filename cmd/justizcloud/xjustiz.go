// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

const xjustizUsage = `Usage:
  justizcloud xjustiz validate FILE|DIR…     validate messages (XSD of their own version, code lists)
  justizcloud xjustiz import [--data DIR | --db URL ...] --tenant DE-XX [--court ID] FILE.xml|FILE.zip|DIR
                                             import a GDS message with its files as a proceeding
  justizcloud xjustiz export [--data DIR | --db URL ...] --case ID [--version 3.6.2] --out FILE.zip
                                             write a case as a validated XJustiz package
  justizcloud xjustiz eeb [--data DIR | --db URL ... --tenant DE-XX] FILE…
                                             read eEBs: which message they acknowledge, when, by whom
  justizcloud xjustiz acknowledge [--data DIR | --db URL ...] --tenant DE-XX --message ID --out FILE.xml
                                             write the eEB for an imported message

See docs/xjustiz.md.`

func runXJustiz(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, xjustizUsage)
		return errors.New("xjustiz: no subcommand")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, xjustizUsage)
		return nil
	case "validate":
		return runXJustizValidate(args[1:], getenv, stdout, stderr)
	case "import":
		return runXJustizImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return runXJustizExport(ctx, args[1:], getenv, stdout, stderr)
	case "eeb":
		return runXJustizEEB(ctx, args[1:], getenv, stdout, stderr)
	case "acknowledge":
		return runXJustizAcknowledge(ctx, args[1:], getenv, stdout, stderr)
	default:
		fmt.Fprintln(stderr, xjustizUsage)
		return fmt.Errorf("xjustiz: unknown subcommand %q", args[0])
	}
}

func runXJustizValidate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("xjustiz validate", "Validates XJustiz messages against the schema of the version each declares\n"+
		"(3.6.2, 3.5.1, 3.2.1, 2.4.0) and checks court, role, Dokumentklasse,\n"+
		"Registerzeichen, Sachgebiet and Ereignis codes against the code lists.\n"+
		"Prints \"FILE: OK\" or each error with line, element and reason; a DIR\n"+
		"means every .xml file below it. Fails when any file is invalid.", stderr)
	maxBytes := fs.Int64("max-bytes", xsd.DefaultMaxBytes, "largest message in bytes")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("xjustiz validate: no file given")
	}
	files, err := expandXMLFiles(fs.Args())
	if err != nil {
		return err
	}
	v, err := xjustiz.NewValidator(xsd.Limits{MaxBytes: *maxBytes})
	if err != nil {
		return err
	}
	bad := 0
	for _, f := range files {
		if !validateFile(v, f, stdout) {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("xjustiz validate: %d of %d files invalid", bad, len(files))
	}
	return nil
}

// validateFile prints the outcome for one file and reports whether it is valid.
func validateFile(v *xjustiz.Validator, name string, stdout io.Writer) bool {
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(stdout, "%s: %v\n", name, err)
		return false
	}
	doc, err := v.ReadMessage(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stdout, "%s: %v\n", name, err)
		return false
	}
	rep, err := v.Validate(doc)
	if err != nil {
		fmt.Fprintf(stdout, "%s: %v\n", name, err)
		return false
	}
	if rep.Valid() {
		fmt.Fprintf(stdout, "%s: OK\n", name)
		return true
	}
	for _, e := range rep.Errors {
		if !e.Warning {
			fmt.Fprintf(stdout, "%s: %s\n", name, e)
		}
	}
	if rep.Dropped > 0 {
		fmt.Fprintf(stdout, "%s: … and %d more errors\n", name, rep.Dropped)
	}
	return false
}

// expandXMLFiles replaces each directory by the .xml files below it, sorted.
func expandXMLFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			out = append(out, a) // a missing file is reported per file
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xml") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func runXJustizImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		cfg      config
		tenant   string
		court    string
		register string
		maxBytes int64
	)
	fs := newFlagSet("xjustiz import", "Imports an XJustiz GDS message (nachricht.gds.uebermittlungSchriftgutobjekte) as a\n"+
		"proceeding: a case at the receiving court, its Beteiligte and one document per\n"+
		"file. The argument is the message (its files are looked up beside it), a ZIP\n"+
		"with the message and exactly the files it names, or a directory like that.\n"+
		"The message is validated first; a refused message stores nothing. Importing\n"+
		"the same message id again changes nothing and prints the same case.", stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&tenant, "tenant", "", "the Land importing the message (DE-XX)")
	fs.StringVar(&court, "court", "", "receiving court id (default: the message's recipient or Instanzbehörde, if it is the tenant's)")
	fs.StringVar(&register, "register", "", "Registerzeichen when the message's Aktenzeichen has none the court uses")
	fs.Int64Var(&maxBytes, "max-bytes", xsd.DefaultMaxBytes, "largest message XML in bytes")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("xjustiz import: want exactly one FILE.xml, FILE.zip or DIR")
	}
	if err := cfg.validateStorage(); err != nil {
		return err
	}
	t, err := tenancy.Parse(tenant)
	if err != nil {
		return fmt.Errorf("--tenant: %w", err)
	}
	v, err := xjustiz.NewValidator(xsd.Limits{MaxBytes: maxBytes})
	if err != nil {
		return err
	}
	pkg, err := openXJustizPackage(fs.Arg(0), maxBytes)
	if err != nil {
		return fmt.Errorf("xjustiz import: %w", err)
	}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	ilog := b.db.ImportLog()
	svc := akte.NewService(b.db, b.blobs, b.cat, akte.Options{MaxUpload: int64(cfg.MaxUpload), Logger: log,
		DocumentClass: func(name string) bool { _, ok := verfahren.DocumentClassCode(name); return ok }})
	im := xjustiz.NewImporter(v, svc, b.cat, ilog, documentClassName)
	sub := authz.Subject{ID: "xjustiz import", Tenant: t, Role: authz.Landesadmin}
	res, err := im.Import(ctx, sub, pkg, xjustiz.ImportOptions{Court: tenancy.CourtID(court), Register: register})
	if err != nil {
		return err
	}
	verb := "imported"
	if res.Repeated {
		verb = "already imported"
	}
	m := res.Message
	fmt.Fprintf(stdout, "%s: %s message %s (XJustiz %s) as case %s, %s %s\n", fs.Arg(0), verb, m.ID, m.Version, res.Case.ID, res.Case.Court, res.Case.Aktenzeichen)
	if m.SenderAktenzeichen != "" {
		fmt.Fprintf(stdout, "  sender %s, Aktenzeichen des Absenders %q\n", m.Sender, m.SenderAktenzeichen)
	}
	for _, p := range res.Participants {
		fmt.Fprintf(stdout, "  participant %s\t%s\t%s\n", p.ID, p.Role, p.Name)
	}
	for _, d := range res.Documents {
		fmt.Fprintf(stdout, "  document %s\t%s\t%d bytes\tsha256 %x\n", d.ID, d.Filename, d.Size, d.SHA256)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stdout, "  skipped %s\n", s)
	}
	return nil
}

// documentClassName maps a GDS.Dokumentklasse code to the class name the
// case file uses, or "" when it has none.
func documentClassName(code string) string {
	for _, n := range []string{"Klage", "Schriftsatz", "Urteil", "Beschluss", "Verfuegung", "Protokoll", "Zustellungsnachweis", "Anlage"} {
		if c, _ := verfahren.DocumentClassCode(n); c == code {
			return n
		}
	}
	return ""
}

// openXJustizPackage opens a message file, a ZIP or a directory.
func openXJustizPackage(name string, maxBytes int64) (*xjustiz.Package, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return xjustiz.OpenDir(name, maxBytes)
	case strings.EqualFold(filepath.Ext(name), ".zip"):
		return xjustiz.OpenZipFile(name, xjustiz.ZipLimits{}, maxBytes)
	default:
		return xjustiz.OpenFile(name, maxBytes)
	}
}

// benchXJustiz measures validation and import throughput on one goroutine.
func benchXJustiz(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench xjustiz", "Validates the sample messages (testdata of package xjustiz, or --samples)\n"+
		"for --duration on one goroutine, then imports the synthetic 3.6.2 message with\n"+
		"fresh message ids into a scratch store (embedded SQLite, encrypted blobs).\n"+
		"Prints messages/s and MB/s of XML for both.", stderr)
	samples := fs.String("samples", "xjustiz/testdata/samples", "folder of sample messages (.xml, searched recursively)")
	dir := fs.String("dir", os.TempDir(), "scratch folder for the import store")
	dur := fs.Duration("duration", 3*time.Second, "how long each measurement runs")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	files, err := expandXMLFiles([]string{*samples})
	if err != nil {
		return err
	}
	var docs [][]byte
	var synthetic []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		docs = append(docs, b)
		if strings.Contains(f, "minimal_uebermittlungSchriftgutobjekte_3.6.2") {
			synthetic = b
		}
	}
	if len(docs) == 0 || synthetic == nil {
		return fmt.Errorf("bench xjustiz: no samples (with the synthetic 3.6.2 message) under %s", *samples)
	}
	v, err := xjustiz.NewValidator(xsd.Limits{})
	if err != nil {
		return err
	}
	if err := v.Warm(); err != nil {
		return err
	}
	var n, bytesDone int64
	start, cpu0 := time.Now(), cpuTime()
	for time.Since(start) < *dur {
		for _, d := range docs {
			if _, err := v.Validate(d); err != nil {
				return err
			}
			n++
			bytesDone += int64(len(d))
		}
	}
	el, cpu := time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	fmt.Fprintf(stdout, "validate\t%d messages (%d samples, %.1f KiB on average)\t%.0f messages/s\t%.1f MB/s\t(CPU: %.3f ms/message, %.1f MB per CPU-second)\n",
		n, len(docs), float64(bytesDone)/float64(n)/1024, float64(n)/el, float64(bytesDone)/el/1e6, cpu*1e3/float64(n), float64(bytesDone)/cpu/1e6)

	scratch, err := os.MkdirTemp(*dir, "jc-bench-xjustiz-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	cfg := config{Data: scratch, Blob: "fs"}
	log, _ := newLogger("warn", "text", stderr)
	b, err := openBackends(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer b.Close()
	ilog := b.db.ImportLog()
	svc := akte.NewService(b.db, b.blobs, b.cat, akte.Options{Logger: log,
		DocumentClass: func(name string) bool { _, ok := verfahren.DocumentClassCode(name); return ok }})
	im := xjustiz.NewImporter(v, svc, b.cat, ilog, documentClassName)
	sub := authz.Subject{ID: "bench xjustiz", Tenant: "DE-NW", Role: authz.Landesadmin}
	const id = "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11"
	pdf := map[string][]byte{"Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf": []byte("%PDF-1.4\n% bench\n")}
	n, bytesDone = 0, 0
	start, cpu0 = time.Now(), cpuTime()
	for time.Since(start) < *dur {
		msg := []byte(strings.Replace(string(synthetic), id, fmt.Sprintf("%08x-0000-4000-8000-000000000000", n), 1))
		if _, err := im.Import(ctx, sub, xjustiz.NewPackage("m.xml", msg, pdf), xjustiz.ImportOptions{}); err != nil {
			return err
		}
		n++
		bytesDone += int64(len(msg))
	}
	el, cpu = time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	fmt.Fprintf(stdout, "import\t%d messages (%d bytes, 1 file each)\t%.0f messages/s\t%.2f MB/s\t(CPU: %.3f ms/message, %.2f MB per CPU-second)\n",
		n, len(synthetic), float64(n)/el, float64(bytesDone)/el/1e6, cpu*1e3/float64(n), float64(bytesDone)/cpu/1e6)
	return nil
}

func runXJustizExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		cfg     config
		caseID  string
		version string
		out     string
	)
	fs := newFlagSet("xjustiz export", "Writes a case as an XJustiz transfer package: a ZIP with nachricht.xml (a\n"+
		"nachricht.gds.uebermittlungSchriftgutobjekte.0005005 with the court, Aktenzeichen,\n"+
		"Beteiligte and documents) and one file per document. The message is validated\n"+
		"against the schema before the package is written.", stderr)
	cfg.storageFlags(fs)
	fs.StringVar(&caseID, "case", "", "the case ID")
	fs.StringVar(&version, "version", "3.6.2", "XJustiz version to write (3.6.2)")
	fs.StringVar(&out, "out", "", "the ZIP file to write")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if caseID == "" || out == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("xjustiz export: want --case ID and --out FILE.zip")
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
	// The command runs for the tenant that holds the case.
	var sub authz.Subject
	for _, t := range tenancy.Tenants() {
		if _, err := b.db.Case(ctx, t.ID, akte.CaseID(caseID)); err == nil {
			sub = authz.Subject{ID: "xjustiz export", Tenant: t.ID, Role: authz.Landesadmin}
			break
		}
	}
	if sub.Tenant == "" {
		return fmt.Errorf("xjustiz export: case %s not found", caseID)
	}
	svc := akte.NewService(b.db, b.blobs, b.cat, akte.Options{Logger: log})
	ex := xjustiz.NewExporter(v, svc, verfahren.DocumentClassCode)
	tmp, err := os.CreateTemp(filepath.Dir(out), ".xjustiz-export-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	res, err := ex.Export(ctx, sub, akte.CaseID(caseID), version, tmp)
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
	fmt.Fprintf(stdout, "%s: message %s (XJustiz %s), %d files\n", out, res.MessageID, version, len(res.Files))
	return nil
}
