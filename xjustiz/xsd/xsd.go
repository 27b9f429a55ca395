// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xsd

/*
#cgo pkg-config: libxml-2.0
#include <stdlib.h>
#include "xjxsd.h"
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"justizcloud/errs"
)

// Limits bound what a document may cost to parse.
type Limits struct {
	MaxBytes int64 // largest document; 0 means DefaultMaxBytes
	MaxDepth int   // deepest element nesting; 0 means DefaultMaxDepth
	// MaxErrors is how many errors are kept; 0 means 100. The rest are
	// counted in Result.Dropped.
	MaxErrors int
}

// Defaults for Limits.
const (
	DefaultMaxBytes = 32 << 20
	DefaultMaxDepth = 64
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxErrors <= 0 {
		l.MaxErrors = 100
	}
	return l
}

// Error is one problem found in a document.
type Error struct {
	Line    int    // 1-based; 0 when unknown
	Element string // local name of the element concerned, if any
	Message string // libxml2's reason, one line
	Warning bool   // a warning, which does not make the document invalid
}

func (e Error) String() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d ", e.Line)
	}
	if e.Element != "" {
		fmt.Fprintf(&b, "<%s>", e.Element)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return strings.TrimSpace(b.String())
}

// Result is the outcome of a validation.
type Result struct {
	Errors  []Error // errors first in document order as libxml2 reports them; warnings included
	Dropped int     // errors beyond Limits.MaxErrors
}

// Valid reports whether the document has no errors (warnings allowed).
func (r Result) Valid() bool {
	if r.Dropped > 0 {
		return false
	}
	for _, e := range r.Errors {
		if !e.Warning {
			return false
		}
	}
	return true
}

// First returns the first error that is not a warning.
func (r Result) First() (Error, bool) {
	for _, e := range r.Errors {
		if !e.Warning {
			return e, true
		}
	}
	return Error{}, false
}

// ErrTooLarge is wrapped when a document exceeds Limits.MaxBytes.
var ErrTooLarge = fmt.Errorf("%w: document too large", errs.ErrInvalid)

var initOnce sync.Once

func initLibxml() { initOnce.Do(func() { C.xj_init() }) }

const scheme = "xjustiz-embed:"

// registry maps the first path element of an embedded URL to its file system.
var registry struct {
	sync.RWMutex
	next int
	fss  map[string]fs.FS
}

//export xjLookup
func xjLookup(curl *C.char, n *C.size_t) *C.char {
	data, ok := lookup(C.GoString(curl))
	if !ok {
		return nil
	}
	*n = C.size_t(len(data))
	return (*C.char)(C.CBytes(data))
}

// lookup returns the embedded file behind an xjustiz-embed: URL.
func lookup(raw string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(raw, scheme)
	if !ok {
		return nil, false
	}
	p, err := url.PathUnescape(strings.TrimLeft(rest, "/"))
	if err != nil {
		return nil, false
	}
	id, name, ok := strings.Cut(p, "/")
	if !ok || !fs.ValidPath(name) {
		return nil, false
	}
	registry.RLock()
	fsys := registry.fss[id]
	registry.RUnlock()
	if fsys == nil {
		return nil, false
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, false
	}
	return data, true
}

// Schema is a compiled XML Schema. It is safe for concurrent use.
type Schema struct {
	name string
	ptr  C.xmlSchemaPtr
}

// Compile compiles the schema document name in fsys. Its includes and
// imports must be relative references to other files of fsys.
func Compile(fsys fs.FS, name string) (*Schema, error) {
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("compile schema %q: %w: invalid path", name, errs.ErrInvalid)
	}
	if _, err := fs.Stat(fsys, name); err != nil {
		return nil, fmt.Errorf("compile schema %q: %w", name, err)
	}
	initLibxml()
	registry.Lock()
	if registry.fss == nil {
		registry.fss = map[string]fs.FS{}
	}
	registry.next++
	id := strconv.Itoa(registry.next)
	registry.fss[id] = fsys
	registry.Unlock()

	u := scheme + "/" + id + "/" + (&url.URL{Path: name}).EscapedPath()
	cu := C.CString(u)
	defer C.free(unsafe.Pointer(cu))
	st := newState(20, 1)
	defer st.free()
	ptr := C.xj_compile(cu, st.c)
	if ptr == nil {
		registry.Lock()
		delete(registry.fss, id)
		registry.Unlock()
		res := st.result()
		if len(res.Errors) == 0 {
			return nil, fmt.Errorf("compile schema %q: failed", name)
		}
		return nil, fmt.Errorf("compile schema %q: %s", name, res.Errors[0])
	}
	s := &Schema{name: name, ptr: ptr}
	// The registry entry stays: the compiled schema may refer to its
	// documents' URLs, and schemas are compiled once per process.
	runtime.AddCleanup(s, func(p C.xmlSchemaPtr) { C.xj_schema_free(p) }, ptr)
	return s, nil
}

// Name is the file name the schema was compiled from.
func (s *Schema) Name() string { return s.name }

// state wraps the C per-call state.
type state struct {
	c *C.xj_state
}

func newState(maxErrors, maxDepth int) *state {
	c := (*C.xj_state)(C.calloc(1, C.size_t(unsafe.Sizeof(C.xj_state{}))))
	errsMem := C.calloc(C.size_t(maxErrors), C.size_t(unsafe.Sizeof(C.xj_err{})))
	c.errs = (*C.xj_err)(errsMem)
	c.cap = C.int(maxErrors)
	c.maxdepth = C.int(maxDepth)
	return &state{c: c}
}

func (s *state) free() {
	C.xj_state_free(s.c)
	C.free(unsafe.Pointer(s.c.errs)) // may have been reallocated by C
	C.free(unsafe.Pointer(s.c))
}

func (s *state) result() Result {
	var r Result
	errs := unsafe.Slice(s.c.errs, int(s.c.n))
	switch s.c.refused {
	case C.XJ_REFUSED_DOCTYPE:
		r.Errors = append(r.Errors, Error{Line: int(s.c.refused_line), Message: "document type declarations (DOCTYPE) are not allowed"})
	case C.XJ_REFUSED_ENTITY:
		r.Errors = append(r.Errors, Error{Line: int(s.c.refused_line), Message: "entity declarations are not allowed"})
	case C.XJ_REFUSED_DEPTH:
		r.Errors = append(r.Errors, Error{Line: int(s.c.refused_line), Message: fmt.Sprintf("elements nested deeper than %d levels", int(s.c.maxdepth))})
	}
	for _, e := range errs {
		msg := ""
		if e.msg != nil {
			msg = C.GoString(e.msg)
		}
		// After a refusal, libxml2 reports the stopped parse as well; the
		// refusal is the reason.
		if s.c.refused != C.XJ_REFUSED_NONE && e.code == C.XML_ERR_USER_STOP {
			continue
		}
		el := ""
		if e.elem != nil {
			el = C.GoString(e.elem)
		}
		r.Errors = append(r.Errors, Error{
			Line:    int(e.line),
			Element: el,
			Message: strings.Join(strings.Fields(msg), " "),
			Warning: e.level == C.XML_ERR_WARNING,
		})
	}
	r.Dropped = int(s.c.dropped)
	return r
}

// Validate parses doc and validates it against the schema. A document that
// is not well-formed or is refused (DOCTYPE, entity declaration, depth) is
// reported as an invalid Result, not as an error; the error is for input
// that was not looked at (too large) or an internal failure.
func (s *Schema) Validate(doc []byte, lim Limits) (Result, error) {
	return validate(s, doc, lim)
}

// Parse checks only that doc is well-formed and within the limits, with the
// same hardening as Validate.
func Parse(doc []byte, lim Limits) (Result, error) {
	return validate(nil, doc, lim)
}

func validate(s *Schema, doc []byte, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	if int64(len(doc)) > lim.MaxBytes {
		return Result{}, fmt.Errorf("validate: %w: %d bytes, the limit is %d", ErrTooLarge, len(doc), lim.MaxBytes)
	}
	if len(doc) == 0 {
		return Result{Errors: []Error{{Message: "empty document"}}}, nil
	}
	if line, ok := prologDoctype(doc); ok {
		return Result{Errors: []Error{{Line: line, Message: "document type declarations (DOCTYPE) are not allowed"}}}, nil
	}
	initLibxml()
	st := newState(lim.MaxErrors, lim.MaxDepth)
	defer st.free()
	var schema C.xmlSchemaPtr
	if s != nil {
		schema = s.ptr
	}
	// libxml2 reads the document in place, during this one call only (the
	// memory parser input does not keep the buffer).
	rc := C.xj_validate(schema, (*C.char)(unsafe.Pointer(&doc[0])), C.int(len(doc)), st.c)
	runtime.KeepAlive(s)
	if rc < 0 {
		return Result{}, errors.New("validate: libxml2 failed (out of memory?)")
	}
	r := st.result()
	if rc == 1 && r.Valid() {
		// Invalid without a reported error: never let it pass as valid.
		r.Errors = append(r.Errors, Error{Message: "document is invalid"})
	}
	return r, nil
}

// prologDoctype finds a document type declaration before the root element
// of a UTF-8 (or ASCII-compatible) document, so that it is refused before
// libxml2 sees it. Documents in other encodings are caught by the parser's
// own hooks.
func prologDoctype(doc []byte) (int, bool) {
	i := 0
	for i < len(doc) {
		switch {
		case doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\r' || doc[i] == '\n':
			i++
		case bytes.HasPrefix(doc[i:], []byte("\xef\xbb\xbf")) && i == 0:
			i += 3
		case bytes.HasPrefix(doc[i:], []byte("<?")):
			end := bytes.Index(doc[i:], []byte("?>"))
			if end < 0 {
				return 0, false
			}
			i += end + 2
		case bytes.HasPrefix(doc[i:], []byte("<!--")):
			end := bytes.Index(doc[i+4:], []byte("-->"))
			if end < 0 {
				return 0, false
			}
			i += 4 + end + 3
		case bytes.HasPrefix(doc[i:], []byte("<!DOCTYPE")):
			return 1 + bytes.Count(doc[:i], []byte("\n")), true
		default:
			return 0, false
		}
	}
	return 0, false
}

// ReadLimited reads a whole document from r, but no more than max bytes: a
// larger input fails with ErrTooLarge after reading max+1 bytes, whatever
// size it claims.
func ReadLimited(r io.Reader, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("read: %w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}
