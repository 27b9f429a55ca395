// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"justizcloud/errs"
	"justizcloud/xjustiz/xsd"
)

// Namespace is the XML namespace of every XJustiz version.
const Namespace = "http://www.xjustiz.de"

// Versions are the XJustiz versions whose schemas are embedded, newest first.
var Versions = []string{"3.6.2", "3.5.1", "3.2.1", "2.4.0"}

// ErrUnknownVersion is wrapped when a message declares no version or one
// whose schemas are not embedded.
var ErrUnknownVersion = fmt.Errorf("%w: unknown XJustiz version", errs.ErrInvalid)

// Report is the outcome of validating one message.
type Report struct {
	Version string      // as the message declares it ("3.6.2")
	Root    string      // local name of the root element
	Schema  string      // schema document used ("3.6.2/xjustiz_0005_nachrichten_3_2.xsd")
	Errors  []xsd.Error // schema errors, then code list errors; warnings included
	Dropped int         // errors beyond the limit

	// tree is the valid message's element tree, taken from libxml2's parse
	// when the importer asked for it, so that ParseMessage need not parse
	// the message a second time.
	tree *node
}

// Valid reports whether the message has no errors (warnings allowed).
func (r *Report) Valid() bool {
	return r.Dropped == 0 && !slices.ContainsFunc(r.Errors, func(e xsd.Error) bool { return !e.Warning })
}

// First returns the first error that is not a warning.
func (r *Report) First() (xsd.Error, bool) {
	for _, e := range r.Errors {
		if !e.Warning {
			return e, true
		}
	}
	return xsd.Error{}, false
}

// Validator validates XJustiz messages. Each schema document is compiled
// once, at its first use, and shared by all goroutines. It is safe for
// concurrent use.
type Validator struct {
	lim xsd.Limits

	mu      sync.Mutex
	roots   map[string]map[string]string // version → root element → schema file
	schemas map[string]*schemaEntry      // "version/file" → compiled schema
	lists   map[string]*CodeList
	// codeNames are the element names of codeElements, sorted.
	codeNames []string
}

type schemaEntry struct {
	once sync.Once
	s    *xsd.Schema
	err  error
}

// NewValidator returns a validator with the given limits (zero values mean
// the defaults of package xsd). It loads the code lists it checks.
func NewValidator(lim xsd.Limits) (*Validator, error) {
	v := &Validator{lim: lim, roots: map[string]map[string]string{}, schemas: map[string]*schemaEntry{}, lists: map[string]*CodeList{}}
	for name, c := range codeElements {
		v.codeNames = append(v.codeNames, name)
		if v.lists[c.list] != nil {
			continue
		}
		l, err := LoadCodeList(c.list)
		if err != nil {
			return nil, fmt.Errorf("xjustiz: %w", err)
		}
		v.lists[c.list] = l
	}
	slices.Sort(v.codeNames)
	return v, nil
}

// Limits returns the limits the validator applies.
func (v *Validator) Limits() xsd.Limits { return v.lim }

// CodeList returns a code list the validator checks ("GDS.Gerichte").
func (v *Validator) CodeList(name string) (*CodeList, bool) { l, ok := v.lists[name]; return l, ok }

// ReadMessage reads a message from r within the size limit, without ever
// holding more than the limit plus one byte.
func (v *Validator) ReadMessage(r io.Reader) ([]byte, error) {
	max := v.lim.MaxBytes
	if max <= 0 {
		max = xsd.DefaultMaxBytes
	}
	return xsd.ReadLimited(r, max)
}

// Validate validates a message against the schema of its own version and
// checks its Typ-3 code values. An invalid message is a Report with errors;
// the error return is for messages that could not be checked at all: too
// large (xsd.ErrTooLarge), an unknown version (ErrUnknownVersion), or a root
// element no schema of that version declares.
func (v *Validator) Validate(doc []byte) (*Report, error) {
	return v.validate(doc, false)
}

// validate is Validate; with tree, a valid message's report carries its
// element tree for ParseMessage.
func (v *Validator) validate(doc []byte, tree bool) (*Report, error) {
	max := v.lim.MaxBytes
	if max <= 0 {
		max = xsd.DefaultMaxBytes
	}
	if int64(len(doc)) > max {
		return nil, fmt.Errorf("validate: %w: %d bytes, the limit is %d", xsd.ErrTooLarge, len(doc), max)
	}
	d, res, err := xsd.ParseDoc(doc, v.lim)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return &Report{Errors: res.Errors, Dropped: res.Dropped}, nil
	}
	defer d.Close()
	root, ns := d.Root()
	version, _ := d.Attr("xjustizVersion")
	rep := &Report{Version: version, Root: root}
	if ns != Namespace {
		return nil, fmt.Errorf("validate: %w: root element %s is not in the XJustiz namespace %s (namespace %q)", errs.ErrInvalid, root, Namespace, ns)
	}
	if version == "" {
		return nil, fmt.Errorf("validate: %w: the message declares no xjustizVersion (on nachrichtenkopf or grunddaten)", ErrUnknownVersion)
	}
	if !slices.Contains(Versions, version) {
		return nil, fmt.Errorf("validate: %w %q (supported: %s)", ErrUnknownVersion, version, strings.Join(Versions, ", "))
	}
	file, err := v.schemaFile(version, root)
	if err != nil {
		return nil, err
	}
	rep.Schema = version + "/" + file
	s, err := v.schema(rep.Schema)
	if err != nil {
		return nil, err
	}
	vres, err := d.Validate(s)
	if err != nil {
		return nil, err
	}
	rep.Errors, rep.Dropped = vres.Errors, vres.Dropped
	if rep.Valid() {
		rep.Errors = append(rep.Errors, v.checkCodes(d, version)...)
	}
	if tree && rep.Valid() {
		flat, err := d.Tree()
		if err != nil {
			return nil, fmt.Errorf("validate: %w", err)
		}
		if rep.tree, err = buildTree(flat); err != nil {
			return nil, fmt.Errorf("validate: %w", err)
		}
	}
	return rep, nil
}

// schema compiles a schema document once.
func (v *Validator) schema(name string) (*xsd.Schema, error) {
	v.mu.Lock()
	e := v.schemas[name]
	if e == nil {
		e = &schemaEntry{}
		v.schemas[name] = e
	}
	v.mu.Unlock()
	e.once.Do(func() { e.s, e.err = xsd.Compile(Schemas(), name) })
	return e.s, e.err
}

// Warm compiles the schemas of the GDS and eEB messages of every version,
// so that the first message does not pay for it.
func (v *Validator) Warm() error {
	for _, ver := range Versions {
		roots, err := v.rootIndex(ver)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for root, file := range roots {
			if (strings.HasPrefix(root, "nachricht.gds.") || strings.HasPrefix(root, "nachricht.eeb.")) && !seen[file] {
				seen[file] = true
				if _, err := v.schema(ver + "/" + file); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

var rootDeclRE = regexp.MustCompile(`<(?:[A-Za-z]+:)?element\s+name="(nachricht\.[^"]+)"`)

// rootIndex maps the message root elements of a version to the schema
// documents declaring them, by reading the embedded schema files once.
func (v *Validator) rootIndex(version string) (map[string]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if idx, ok := v.roots[version]; ok {
		return idx, nil
	}
	files, err := fs.Glob(Schemas(), version+"/*.xsd")
	if err != nil {
		return nil, err
	}
	idx := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(Schemas(), f)
		if err != nil {
			return nil, err
		}
		for _, m := range rootDeclRE.FindAllSubmatch(data, -1) {
			idx[string(m[1])] = strings.TrimPrefix(f, version+"/")
		}
	}
	v.roots[version] = idx
	return idx, nil
}

func (v *Validator) schemaFile(version, root string) (string, error) {
	idx, err := v.rootIndex(version)
	if err != nil {
		return "", err
	}
	f, ok := idx[root]
	if !ok {
		return "", fmt.Errorf("validate: %w: XJustiz %s has no message %s (or only in a schema not shipped for this version)", errs.ErrInvalid, version, root)
	}
	return f, nil
}

// head is what sniff learns from the start of a message.
type head struct {
	root, ns, version string
}

// sniff reads the first elements of a message to find its root element
// and its declared version: on nachrichtenkopf (3.x) or grunddaten (2.x).
func sniff(doc []byte) (head, error) {
	var h head
	d := xml.NewDecoder(bytes.NewReader(doc))
	for n := 0; n < 64; {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) && h.root != "" {
				return h, nil
			}
			return h, fmt.Errorf("reading the message head: %w", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return h, errors.New("directives are not allowed")
		case xml.StartElement:
			n++
			if h.root == "" {
				h.root = t.Name.Local
				for _, a := range t.Attr {
					if (a.Name.Space == "" && a.Name.Local == "xmlns" && t.Name.Space == "") ||
						(a.Name.Space == "xmlns" && a.Name.Local == t.Name.Space) {
						h.ns = a.Value
					}
				}
			}
			for _, a := range t.Attr {
				if a.Name.Local == "xjustizVersion" && a.Name.Space == "" {
					h.version = a.Value
					return h, nil
				}
			}
		}
	}
	return h, nil
}

// checkCodes checks the Typ-3 code values of a schema-valid message.
func (v *Validator) checkCodes(d *xsd.Doc, version string) []xsd.Error {
	var out []xsd.Error
	for _, c := range d.Codes(v.codeNames) {
		check := codeElements[c.Element]
		if len(check.versions) > 0 && !slices.Contains(check.versions, version) {
			continue
		}
		l := v.lists[check.list]
		if !l.Has(c.Value) {
			out = append(out, xsd.Error{Line: c.Line, Element: c.Element,
				Message: fmt.Sprintf("code %q is not in the code list %s", c.Value, l)})
		}
	}
	return out
}
