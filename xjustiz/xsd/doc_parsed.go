// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xsd

/*
#include <stdlib.h>
#include "xjxsd.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

// Doc is a parsed document, for callers that inspect a document before
// choosing its schema and then validate it without parsing it again. A Doc
// is not safe for concurrent use; Close frees it.
type Doc struct {
	ptr C.xmlDocPtr
	lim Limits
}

// ParseDoc parses doc with the hardening of Validate. A document that is
// refused or not well-formed yields a nil Doc and a Result with the reason.
func ParseDoc(doc []byte, lim Limits) (*Doc, Result, error) {
	lim = lim.withDefaults()
	if int64(len(doc)) > lim.MaxBytes {
		return nil, Result{}, fmt.Errorf("parse: %w: %d bytes, the limit is %d", ErrTooLarge, len(doc), lim.MaxBytes)
	}
	if len(doc) == 0 {
		return nil, Result{Errors: []Error{{Message: "empty document"}}}, nil
	}
	if line, ok := prologDoctype(doc); ok {
		return nil, Result{Errors: []Error{{Line: line, Message: "document type declarations (DOCTYPE) are not allowed"}}}, nil
	}
	initLibxml()
	st := newState(lim.MaxErrors, lim.MaxDepth)
	defer st.free()
	ptr := C.xj_parse((*C.char)(unsafe.Pointer(&doc[0])), C.int(len(doc)), st.c)
	res := st.result()
	if ptr == nil {
		if res.Valid() {
			res.Errors = append(res.Errors, Error{Message: "document is not well-formed"})
		}
		return nil, res, nil
	}
	return &Doc{ptr: ptr, lim: lim}, res, nil
}

// Close frees the document. It may be called more than once.
func (d *Doc) Close() {
	if d.ptr != nil {
		C.xj_doc_free(d.ptr)
		d.ptr = nil
	}
}

// Root returns the local name and namespace of the root element.
func (d *Doc) Root() (name, ns string) {
	var cn, cns *C.char
	C.xj_doc_root(d.ptr, &cn, &cns)
	if cn != nil {
		name = C.GoString(cn)
	}
	if cns != nil {
		ns = C.GoString(cns)
	}
	return name, ns
}

// Attr returns the first unqualified attribute of that name on the root
// element or one of its element children.
func (d *Doc) Attr(name string) (string, bool) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	v := C.xj_doc_attr(d.ptr, cname)
	if v == nil {
		return "", false
	}
	defer C.free(unsafe.Pointer(v))
	return C.GoString(v), true
}

// Validate validates the document against s, with a fresh validation
// context.
func (d *Doc) Validate(s *Schema) (Result, error) {
	if d.ptr == nil {
		return Result{}, errors.New("validate: document closed")
	}
	st := newState(d.lim.MaxErrors, d.lim.MaxDepth)
	defer st.free()
	rc := C.xj_validate_doc(s.ptr, d.ptr, st.c)
	runtime.KeepAlive(s)
	if rc < 0 {
		return Result{}, errors.New("validate: libxml2 failed (out of memory?)")
	}
	r := st.result()
	if rc == 1 && r.Valid() {
		r.Errors = append(r.Errors, Error{Message: "document is invalid"})
	}
	return r, nil
}

// Code is the <code> child of an element, as in XÖV code types.
type Code struct {
	Element string // local name of the element holding the code
	Line    int
	Value   string // trimmed
}

// Codes returns, in document order, the code of every element whose local
// name is in names and that has a <code> child.
func (d *Doc) Codes(names []string) []Code {
	if d.ptr == nil || len(names) == 0 {
		return nil
	}
	cnames := C.malloc(C.size_t(len(names)) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
	defer C.free(cnames)
	arr := unsafe.Slice((**C.char)(cnames), len(names))
	for i, n := range names {
		arr[i] = C.CString(n)
	}
	defer func() {
		for _, p := range arr {
			C.free(unsafe.Pointer(p))
		}
	}()
	st := newState(16, d.lim.MaxDepth)
	st.c.grow = 1
	defer st.free()
	C.xj_doc_codes(d.ptr, (**C.char)(cnames), C.int(len(names)), st.c)
	raw := unsafe.Slice(st.c.errs, int(st.c.n))
	out := make([]Code, 0, len(raw))
	for _, e := range raw {
		c := Code{Line: int(e.line)}
		if e.elem != nil {
			c.Element = C.GoString(e.elem)
		}
		if e.msg != nil {
			c.Value = strings.TrimSpace(C.GoString(e.msg))
		}
		out = append(out, c)
	}
	return out
}

// Tree returns the document's elements with the text directly in them, in
// document order, as one flat buffer (a single cgo call instead of a second
// parse): byte 0x01, the element's local name and 0x00 open an element;
// 0x02, text (or CDATA) and 0x00 is text in the open element; 0x03 closes
// it. XML allows neither NUL nor 0x01–0x03 in names or text.
func (d *Doc) Tree() ([]byte, error) {
	if d.ptr == nil {
		return nil, errors.New("tree: document closed")
	}
	var n C.size_t
	p := C.xj_doc_tree(d.ptr, &n)
	if p == nil {
		return nil, errors.New("tree: out of memory")
	}
	defer C.free(unsafe.Pointer(p))
	return C.GoBytes(unsafe.Pointer(p), C.int(n)), nil
}
