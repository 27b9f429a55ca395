// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"justizcloud/errs"
	"justizcloud/xjustiz/xsd"
)

type zipEntry struct {
	name  string
	data  []byte
	store bool // no compression
}

func mustZip(tb testing.TB, entries ...zipEntry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const syntheticFile = "Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf"

func mustSynthetic(tb testing.TB) []byte {
	tb.Helper()
	doc, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func TestParseMessage(t *testing.T) {
	v := mustValidator(t)
	doc := mustSynthetic(t)
	rep, err := v.Validate(doc)
	if err != nil || !rep.Valid() {
		t.Fatalf("Validate = %v, %v", rep, err)
	}
	m, err := ParseMessage(doc, rep)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11" || m.Recipient.Court != "R3306" || m.Sender.Name != "Kanzlei Beispiel Rechtsanwaelte" ||
		m.SenderAktenzeichen != "KB-2026-0042" || m.Court != "R3306" || m.Sachgebiet != "047" {
		t.Errorf("message head = %+v", m)
	}
	if len(m.Documents) != 1 || m.Documents[0].Title != "Klage" || m.Documents[0].Class != "003" ||
		len(m.Documents[0].Files) != 1 || m.Documents[0].Files[0].Name != syntheticFile {
		t.Errorf("documents = %+v", m.Documents)
	}
	// 2.4.0: plain Aktenzeichen, root-level dokument, 2.x header names.
	doc24, err := os.ReadFile("testdata/samples/valid/xjustiz_nachricht_v2_4.xml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err = v.Validate(doc24)
	if err != nil || !rep.Valid() {
		t.Fatalf("Validate 2.4 = %v, %v", rep, err)
	}
	m, err = ParseMessage(doc24, rep)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "5558aeab-4b75-44db-80e5-7219da4751a2" || m.Recipient.Court != "9D0000" || m.Sender.Name != "Testsender" ||
		m.Aktenzeichen.Text != "12345BG1234567 987654321" || len(m.Documents) != 1 || len(m.Documents[0].Files) != 2 {
		t.Errorf("2.4 message = %+v", m)
	}
	// An eEB is valid but carries no proceeding.
	eeb, _ := os.ReadFile("testdata/samples/valid/eeb1_v3_2.xml")
	rep, _ = v.Validate(eeb)
	if _, err := ParseMessage(eeb, rep); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("ParseMessage(eEB) err = %v, want ErrInvalid", err)
	}
}

func TestAktenzeichen(t *testing.T) {
	for _, tt := range []struct{ in, dept, reg, num, year string }{
		{"12 C 345/26", "12", "C", "345", "26"},
		{"3a O 7/2025", "3a", "O", "7", "2025"},
		{"12345BG1234567 987654321", "", "", "", ""},
	} {
		a := aktenzeichenOf(&node{name: "aktenzeichen", text: tt.in})
		if a.Department != tt.dept || a.Register != tt.reg || a.Number != tt.num || a.Year != tt.year || a.Text != tt.in {
			t.Errorf("aktenzeichenOf(%q) = %+v", tt.in, a)
		}
	}
}

func TestOpenZip(t *testing.T) {
	msg := mustSynthetic(t)
	pdf := []byte("%PDF-1.4 Klage")
	good := mustZip(t, zipEntry{name: "nachricht.xml", data: msg}, zipEntry{name: syntheticFile, data: pdf})
	p, err := OpenZip(bytes.NewReader(good), int64(len(good)), ZipLimits{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "nachricht.xml" || !bytes.Equal(p.Message, msg) || strings.Join(p.Files(), ",") != syntheticFile {
		t.Errorf("package = %s, files %v", p.Name, p.Files())
	}
	rep, _ := mustValidator(t).Validate(p.Message)
	m, err := ParseMessage(p.Message, rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckFiles(m); err != nil {
		t.Errorf("CheckFiles = %v", err)
	}

	bomb := bytes.Repeat([]byte{0}, 8<<20)
	tests := []struct {
		name    string
		entries []zipEntry
		lim     ZipLimits
		want    string // in the OpenZip error, or (files) in the CheckFiles error
		files   bool
	}{
		{"zip slip", []zipEntry{{name: "nachricht.xml", data: msg}, {name: "../../etc/cron.d/x", data: pdf}}, ZipLimits{}, "zip slip", false},
		{"absolute name", []zipEntry{{name: "/etc/passwd", data: pdf}, {name: "nachricht.xml", data: msg}}, ZipLimits{}, "zip slip", false},
		{"backslash name", []zipEntry{{name: "nachricht.xml", data: msg}, {name: `..\..\x`, data: pdf}}, ZipLimits{}, "zip slip", false},
		{"zip bomb ratio", []zipEntry{{name: "nachricht.xml", data: msg}, {name: syntheticFile, data: bomb}}, ZipLimits{}, "zip bomb", false},
		{"file over the limit", []zipEntry{{name: "nachricht.xml", data: msg}, {name: syntheticFile, data: bytes.Repeat([]byte("x"), 5000), store: true}}, ZipLimits{MaxFileBytes: 4096}, "the limit is 4096", false},
		{"total over the limit", []zipEntry{{name: "nachricht.xml", data: msg}, {name: syntheticFile, data: bytes.Repeat([]byte("x"), 5000), store: true}}, ZipLimits{MaxTotal: 6000}, "in total", false},
		{"too many entries", []zipEntry{{name: "nachricht.xml", data: msg}, {name: "a", data: pdf}, {name: "b", data: pdf}}, ZipLimits{MaxEntries: 2}, "3 entries", false},
		{"duplicate name", []zipEntry{{name: "nachricht.xml", data: msg}, {name: syntheticFile, data: pdf}, {name: syntheticFile, data: pdf}}, ZipLimits{}, "appears twice", false},
		{"no message", []zipEntry{{name: syntheticFile, data: pdf}}, ZipLimits{}, "no XJustiz message", false},
		{"two messages", []zipEntry{{name: "a.xml", data: msg}, {name: "b.xml", data: msg}}, ZipLimits{}, "2 XJustiz messages", false},
		{"named file missing", []zipEntry{{name: "nachricht.xml", data: msg}}, ZipLimits{}, "missing from the package", true},
		{"file not named", []zipEntry{{name: "nachricht.xml", data: msg}, {name: syntheticFile, data: pdf}, {name: "extra.pdf", data: pdf}}, ZipLimits{}, `does not name: ["extra.pdf"]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := mustZip(t, tt.entries...)
			p, err := OpenZip(bytes.NewReader(z), int64(len(z)), tt.lim, 0)
			if tt.files {
				if err != nil {
					t.Fatal(err)
				}
				err = p.CheckFiles(m)
			}
			if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := OpenZip(bytes.NewReader(good), int64(len(good)), ZipLimits{}, 100); !errors.Is(err, xsd.ErrTooLarge) || !strings.Contains(err.Error(), `["nachricht.xml"] are over 100 bytes`) {
		t.Errorf("OpenZip with a message over the limit = %v, want ErrTooLarge naming the file", err)
	}
	if _, err := OpenZip(bytes.NewReader([]byte("not a zip")), 9, ZipLimits{}, 0); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("OpenZip(garbage) = %v, want ErrInvalid", err)
	}
}

// A ZIP whose header understates a file's size: archive/zip stops at the
// declared size, so the limits hold even when the header lies.
func TestOpenZipLyingHeader(t *testing.T) {
	msg := mustSynthetic(t)
	z := mustZip(t, zipEntry{name: "nachricht.xml", data: msg}, zipEntry{name: syntheticFile, data: bytes.Repeat([]byte("A"), 100000)})
	// Patch the uncompressed size of the second entry (central directory
	// and local header) down to 10 bytes.
	patched := bytes.Clone(z)
	var size [4]byte
	size[0] = 10
	for _, sig := range [][]byte{{'P', 'K', 1, 2}, {'P', 'K', 3, 4}} {
		idx := bytes.LastIndex(patched, sig)
		off := 22 // local header: uncompressed size at 22
		if sig[2] == 1 {
			off = 24 // central directory: at 24
		}
		copy(patched[idx+off:], size[:])
	}
	p, err := OpenZip(bytes.NewReader(patched), int64(len(patched)), ZipLimits{}, 0)
	if err != nil {
		return // refused up front: fine
	}
	rc, _, err := p.Open(syntheticFile)
	if err != nil {
		return
	}
	defer rc.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(rc)
	if err == nil || buf.Len() > 10 {
		t.Errorf("read %d bytes, err %v; want at most the declared 10 bytes and an error", buf.Len(), err)
	}
}

func FuzzOpenZip(f *testing.F) {
	msg := mustSynthetic(f)
	f.Add(mustZip(f, zipEntry{name: "nachricht.xml", data: msg}, zipEntry{name: syntheticFile, data: []byte("%PDF")}))
	f.Add(mustZip(f, zipEntry{name: "../x.xml", data: msg}))
	f.Add([]byte("PK\x03\x04"))
	lim := ZipLimits{MaxEntries: 50, MaxFileBytes: 1 << 20, MaxTotal: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := OpenZip(bytes.NewReader(data), int64(len(data)), lim, 1<<20)
		if err != nil {
			return
		}
		if !isMessage(p.Message) {
			t.Fatalf("package message %q is not a message", p.Name)
		}
		for _, n := range p.Files() {
			if checkZipName(n) != nil {
				t.Fatalf("unsafe name %q accepted", n)
			}
			rc, size, err := p.Open(n)
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(rc)
			rc.Close()
			if int64(buf.Len()) > size || size > lim.MaxFileBytes {
				t.Fatalf("%q: read %d bytes, declared %d, limit %d", n, buf.Len(), size, lim.MaxFileBytes)
			}
		}
	})
}

// TestNewPackageFiles: files that arrive separately (multipart) are held to
// the rules of a ZIP package.
func TestNewPackageFiles(t *testing.T) {
	msg := mustSynthetic(t)
	pdf := []byte("%PDF-1.4 Klage")
	file := func(name string, size int64) PackageFile {
		return PackageFile{Name: name, Size: size, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(pdf)), nil }}
	}
	rep, _ := mustValidator(t).Validate(msg)
	m, err := ParseMessage(msg, rep)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPackageFiles("nachricht.xml", msg, []PackageFile{file(syntheticFile, int64(len(pdf)))}, ZipLimits{})
	if err != nil || p.CheckFiles(m) != nil {
		t.Fatalf("NewPackageFiles = %v; CheckFiles = %v", err, p.CheckFiles(m))
	}
	if rc, size, err := p.Open(syntheticFile); err != nil || size != int64(len(pdf)) {
		t.Errorf("Open = %d, %v", size, err)
	} else {
		rc.Close()
	}
	tests := []struct {
		name  string
		files []PackageFile
		lim   ZipLimits
		want  string
	}{
		{"zip slip", []PackageFile{file("../"+syntheticFile, 1)}, ZipLimits{}, "zip slip"},
		{"absolute", []PackageFile{file("/etc/passwd", 1)}, ZipLimits{}, "zip slip"},
		{"backslash", []PackageFile{file(`..\x`, 1)}, ZipLimits{}, "zip slip"},
		{"folder", []PackageFile{file("a/", 1)}, ZipLimits{}, "zip slip"},
		{"duplicate", []PackageFile{file(syntheticFile, 1), file(syntheticFile, 1)}, ZipLimits{}, "appears twice"},
		{"the message's own name", []PackageFile{file("nachricht.xml", 1)}, ZipLimits{}, "appears twice"},
		{"file over the limit", []PackageFile{file(syntheticFile, 5000)}, ZipLimits{MaxFileBytes: 4096}, "the limit is 4096"},
		{"total over the limit", []PackageFile{file("a", 4000), file("b", 4000)}, ZipLimits{MaxTotal: 6000}, "in total"},
		{"too many files", []PackageFile{file("a", 1), file("b", 1), file("c", 1)}, ZipLimits{MaxEntries: 2}, "3 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPackageFiles("nachricht.xml", msg, tt.files, tt.lim)
			if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
	// Strict: a file the message does not name is refused.
	p, err = NewPackageFiles("nachricht.xml", msg, []PackageFile{file(syntheticFile, 1), file("extra.pdf", 1)}, ZipLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckFiles(m); err == nil || !strings.Contains(err.Error(), "extra.pdf") {
		t.Errorf("CheckFiles with an unnamed file = %v", err)
	}
}
