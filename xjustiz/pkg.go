// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"justizcloud/errs"
	"justizcloud/xjustiz/xsd"
)

// ZipLimits bound what a ZIP transfer package may cost.
type ZipLimits struct {
	MaxEntries   int   // files in the ZIP; 0 means 1,000
	MaxFileBytes int64 // uncompressed size of one file; 0 means 100 MiB
	MaxTotal     int64 // uncompressed size of all files; 0 means 1 GiB
	// MaxRatio is the largest uncompressed/compressed ratio of a file
	// larger than 1 MiB; 0 means 200.
	MaxRatio int64
}

func (l ZipLimits) withDefaults() ZipLimits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = 1000
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = 100 << 20
	}
	if l.MaxTotal <= 0 {
		l.MaxTotal = 1 << 30
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 200
	}
	return l
}

// Package is a message with the files it may name: a ZIP, a directory, or
// a single XML file with its directory.
type Package struct {
	Name    string // message file name within the package
	Message []byte
	files   map[string]packageFile
	// strict: every file in the package must be named by the message (ZIP
	// and directory packages; not a single XML file next to unrelated files).
	strict bool
}

type packageFile struct {
	size int64
	open func() (io.ReadCloser, error)
}

// Files lists the file names in the package besides the message, sorted.
func (p *Package) Files() []string {
	var out []string
	for n := range p.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Open opens a file of the package. A missing file wraps errs.ErrNotFound.
func (p *Package) Open(name string) (io.ReadCloser, int64, error) {
	f, ok := p.files[name]
	if !ok {
		return nil, 0, fmt.Errorf("file %q: %w", name, errs.ErrNotFound)
	}
	rc, err := f.open()
	return rc, f.size, err
}

// Size returns the (uncompressed) size of a file of the package. A missing
// file wraps errs.ErrNotFound.
func (p *Package) Size(name string) (int64, error) {
	f, ok := p.files[name]
	if !ok {
		return 0, fmt.Errorf("file %q: %w", name, errs.ErrNotFound)
	}
	return f.size, nil
}

// CheckFiles compares the files the message names with those in the
// package: every named file must be there, and (for ZIP and directory
// packages) every file there must be named.
func (p *Package) CheckFiles(m *Message) error {
	named := map[string]bool{}
	var missing []string
	for _, d := range m.Documents {
		for _, f := range d.Files {
			if named[f.Name] {
				return fmt.Errorf("%w: file %q is named twice in the message", errs.ErrInvalid, f.Name)
			}
			named[f.Name] = true
			if _, ok := p.files[f.Name]; !ok {
				missing = append(missing, f.Name)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: files named in the message but missing from the package: %q", errs.ErrInvalid, missing)
	}
	if p.strict {
		var extra []string
		for n := range p.files {
			if !named[n] {
				extra = append(extra, n)
			}
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			return fmt.Errorf("%w: files in the package that the message does not name: %q", errs.ErrInvalid, extra)
		}
	}
	return nil
}

// isMessage reports whether doc looks like an XJustiz message (root
// nachricht.* in the XJustiz namespace).
func isMessage(doc []byte) bool {
	h, err := sniff(doc)
	return err == nil && h.ns == Namespace && strings.HasPrefix(h.root, "nachricht.")
}

// OpenZip reads a ZIP transfer package: exactly one XJustiz message (an .xml
// file whose root is nachricht.*) and the files it names, all at the top
// level or in folders. Unsafe names (absolute, "..", backslashes), duplicate
// names, too many entries, oversized files, implausible compression ratios
// and a message over maxMessage bytes are refused before anything is
// decompressed beyond the limits.
func OpenZip(r io.ReaderAt, size int64, lim ZipLimits, maxMessage int64) (*Package, error) {
	lim = lim.withDefaults()
	if maxMessage <= 0 {
		maxMessage = xsd.DefaultMaxBytes
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("zip: %w: %w", errs.ErrInvalid, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("zip: %w: %d entries, the limit is %d", errs.ErrInvalid, len(zr.File), lim.MaxEntries)
	}
	p := &Package{files: map[string]packageFile{}, strict: true}
	var total int64
	var candidates []*zip.File
	var tooLarge []string // .xml files over maxMessage, never read
	for _, f := range zr.File {
		name := f.Name
		if err := checkZipName(name); err != nil {
			return nil, err
		}
		if strings.HasSuffix(name, "/") {
			continue // a folder
		}
		if f.Mode()&fs.ModeSymlink != 0 || !f.Mode().IsRegular() {
			return nil, fmt.Errorf("zip: %w: %q is not a regular file", errs.ErrInvalid, name)
		}
		usize := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(lim.MaxFileBytes) {
			return nil, fmt.Errorf("zip: %w: %q is %d bytes uncompressed, the limit is %d", errs.ErrInvalid, name, f.UncompressedSize64, lim.MaxFileBytes)
		}
		if usize > 1<<20 && (f.CompressedSize64 == 0 || usize/int64(f.CompressedSize64) > lim.MaxRatio) {
			return nil, fmt.Errorf("zip: %w: %q expands %d bytes to %d (zip bomb?), the largest ratio is %d", errs.ErrInvalid, name, f.CompressedSize64, usize, lim.MaxRatio)
		}
		total += usize
		if total > lim.MaxTotal {
			return nil, fmt.Errorf("zip: %w: more than %d bytes uncompressed in total", errs.ErrInvalid, lim.MaxTotal)
		}
		if _, dup := p.files[name]; dup {
			return nil, fmt.Errorf("zip: %w: %q appears twice", errs.ErrInvalid, name)
		}
		f := f
		// archive/zip fails a read past the declared size (ErrFormat), so
		// the checks above bound what is decompressed.
		p.files[name] = packageFile{size: usize, open: func() (io.ReadCloser, error) { return f.Open() }}
		if strings.EqualFold(path.Ext(name), ".xml") {
			if usize <= maxMessage {
				candidates = append(candidates, f)
			} else {
				tooLarge = append(tooLarge, name)
			}
		}
	}
	var found []string
	for _, f := range candidates {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("zip: %q: %w: %w", f.Name, errs.ErrInvalid, err)
		}
		data, err := xsd.ReadLimited(rc, maxMessage)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("zip: %q: %w", f.Name, errors.Join(errs.ErrInvalid, err))
		}
		if isMessage(data) {
			found = append(found, f.Name)
			p.Name, p.Message = f.Name, data
		}
	}
	switch len(found) {
	case 0:
		if len(tooLarge) > 0 {
			return nil, fmt.Errorf("zip: %w: no XJustiz message within the limit; %q are over %d bytes", xsd.ErrTooLarge, tooLarge, maxMessage)
		}
		return nil, fmt.Errorf("zip: %w: no XJustiz message (an .xml file with a nachricht.* root element)", errs.ErrInvalid)
	case 1:
		delete(p.files, p.Name)
		return p, nil
	default:
		return nil, fmt.Errorf("zip: %w: %d XJustiz messages (%q), want one", errs.ErrInvalid, len(found), found)
	}
}

// checkZipName refuses names that would escape a target folder if the
// package were extracted (zip slip), and names that are ambiguous.
func checkZipName(name string) error {
	bad := name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") ||
		(len(name) > 1 && name[1] == ':')
	if !bad {
		clean := strings.TrimSuffix(name, "/")
		bad = !fs.ValidPath(clean)
	}
	if bad {
		return fmt.Errorf("zip: %w: unsafe file name %q (zip slip)", errs.ErrInvalid, name)
	}
	return nil
}

// OpenZipFile opens a ZIP package from disk.
func OpenZipFile(name string, lim ZipLimits, maxMessage int64) (*Package, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	// The package keeps reading from f when files are opened; the file is
	// closed when the process ends, which is fine for the command line.
	p, err := OpenZip(f, st.Size(), lim, maxMessage)
	if err != nil {
		f.Close()
		return nil, err
	}
	return p, nil
}

// OpenDir reads a directory package: exactly one XJustiz message among its
// .xml files, and the files it names. Subfolders are not read.
func OpenDir(dir string, maxMessage int64) (*Package, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &Package{files: map[string]packageFile{}, strict: true}
	var found []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		full := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		p.files[e.Name()] = packageFile{size: info.Size(), open: func() (io.ReadCloser, error) { return os.Open(full) }}
		if strings.EqualFold(filepath.Ext(e.Name()), ".xml") && info.Size() <= maxMessage {
			data, err := os.ReadFile(full)
			if err != nil {
				return nil, err
			}
			if isMessage(data) {
				found = append(found, e.Name())
				p.Name, p.Message = e.Name(), data
			}
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("%s: %w: %d XJustiz messages (%q), want one", dir, errs.ErrInvalid, len(found), found)
	}
	delete(p.files, p.Name)
	return p, nil
}

// OpenFile reads a single message file; the files it names are looked up in
// its directory, which may hold other files too.
func OpenFile(name string, maxMessage int64) (*Package, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	data, err := xsd.ReadLimited(f, maxMessage)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &Package{Name: filepath.Base(name), Message: data, files: map[string]packageFile{}}
	dir := filepath.Dir(name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == p.Name {
			continue
		}
		full := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		p.files[e.Name()] = packageFile{size: info.Size(), open: func() (io.ReadCloser, error) { return os.Open(full) }}
	}
	return p, nil
}

// NewPackage makes a package from a message and files in memory (for tests
// and the HTTP API).
func NewPackage(name string, message []byte, files map[string][]byte) *Package {
	p := &Package{Name: name, Message: message, files: map[string]packageFile{}, strict: true}
	for n, data := range files {
		data := data
		p.files[n] = packageFile{size: int64(len(data)), open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	}
	return p
}

// PackageFile is a file handed to NewPackageFiles.
type PackageFile struct {
	Name string
	Size int64
	// Open returns the file's content; it may be called more than once.
	Open func() (io.ReadCloser, error)
}

// NewPackageFiles makes a package from a message and files that arrived
// separately, such as the parts of a multipart upload. The files are held
// to the rules of a ZIP package: safe, unique names (no zip slip), at most
// lim.MaxEntries files, each within lim.MaxFileBytes and all within
// lim.MaxTotal; and every file must be named by the message (CheckFiles).
func NewPackageFiles(name string, message []byte, files []PackageFile, lim ZipLimits) (*Package, error) {
	lim = lim.withDefaults()
	if len(files) > lim.MaxEntries {
		return nil, fmt.Errorf("package: %w: %d files, the limit is %d", errs.ErrInvalid, len(files), lim.MaxEntries)
	}
	p := &Package{Name: name, Message: message, files: map[string]packageFile{}, strict: true}
	var total int64
	for _, f := range files {
		if err := checkZipName(f.Name); err != nil || strings.HasSuffix(f.Name, "/") {
			return nil, fmt.Errorf("package: %w: unsafe file name %q (zip slip)", errs.ErrInvalid, f.Name)
		}
		if f.Size > lim.MaxFileBytes {
			return nil, fmt.Errorf("package: %w: %q is %d bytes, the limit is %d", errs.ErrInvalid, f.Name, f.Size, lim.MaxFileBytes)
		}
		if total += f.Size; total > lim.MaxTotal {
			return nil, fmt.Errorf("package: %w: more than %d bytes in total", errs.ErrInvalid, lim.MaxTotal)
		}
		if _, dup := p.files[f.Name]; dup || f.Name == name {
			return nil, fmt.Errorf("package: %w: %q appears twice", errs.ErrInvalid, f.Name)
		}
		p.files[f.Name] = packageFile{size: f.Size, open: f.Open}
	}
	return p, nil
}
