// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xsd

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// testFS is a schema with an include, to show includes resolve inside the FS.
var testFS = fstest.MapFS{
	"main.xsd": {Data: []byte(`<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:include schemaLocation="sub/types.xsd"/>
  <xs:element name="a">
    <xs:complexType><xs:sequence>
      <xs:element name="n" type="t:small" maxOccurs="unbounded"/>
      <xs:element name="x" type="xs:anyType" minOccurs="0"/>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>`)},
	"sub/types.xsd": {Data: []byte(`<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <xs:simpleType name="small"><xs:restriction base="xs:int"><xs:maxInclusive value="9"/></xs:restriction></xs:simpleType>
</xs:schema>`)},
	"broken.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="/etc/passwd"/></xs:schema>`)},
	"net.xsd":    {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:import namespace="urn:x" schemaLocation="http://127.0.0.1:9/x.xsd"/></xs:schema>`)},
}

func mustSchema(tb testing.TB) *Schema {
	tb.Helper()
	s, err := Compile(testFS, "main.xsd")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestValidate(t *testing.T) {
	s := mustSchema(t)
	tests := []struct {
		name, doc string
		valid     bool
		line      int
		elem      string
		msg       string
	}{
		{"valid", `<a xmlns="urn:t"><n>1</n><n>9</n></a>`, true, 0, "", ""},
		{"facet from the included schema", "<a xmlns=\"urn:t\">\n<n>1</n>\n<n>12</n></a>", false, 3, "n", "maximum value allowed ('9')"},
		{"unexpected element", "<a xmlns=\"urn:t\"><n>1</n>\n<y/></a>", false, 2, "y", "This element is not expected"},
		{"not well-formed", "<a xmlns=\"urn:t\">\n<n>1</a>", false, 2, "", "mismatch"},
		{"invalid UTF-8", "<a xmlns=\"urn:t\"><n>1</n><x>\xff\xfe</x></a>", false, 1, "", "UTF-8"},
		{"empty", "", false, 0, "", "empty document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Validate([]byte(tt.doc), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Valid() != tt.valid {
				t.Fatalf("Valid = %v, want %v (errors %v)", r.Valid(), tt.valid, r.Errors)
			}
			if tt.valid {
				return
			}
			e, _ := r.First()
			if e.Line != tt.line || e.Element != tt.elem || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("first error = %+v, want line %d, element %q, message containing %q", e, tt.line, tt.elem, tt.msg)
			}
		})
	}
}

func TestCompileOnlyFromTheFS(t *testing.T) {
	// An absolute include names a real file on disk; it must not be read.
	if _, err := Compile(testFS, "broken.xsd"); err == nil {
		t.Error("Compile with an include of /etc/passwd: err = nil")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	fsys := fstest.MapFS{"net.xsd": {Data: []byte(strings.Replace(string(testFS["net.xsd"].Data), "127.0.0.1:9", ln.Addr().String(), 1))}}
	_, _ = Compile(fsys, "net.xsd") // an unresolvable import is only a warning for libxml2
	select {
	case <-accepted:
		t.Error("compiling contacted the network")
	default:
	}
	if _, err := Compile(testFS, "missing.xsd"); err == nil {
		t.Error("Compile of a missing file: err = nil")
	}
}

func TestHostileDocuments(t *testing.T) {
	s := mustSchema(t)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRET-CONTENT"), 0o600); err != nil {
		t.Fatal(err)
	}
	laughs := `<?xml version="1.0"?>
<!DOCTYPE a [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<a xmlns="urn:t"><n>1</n><x>&lol9;</x></a>`
	quadratic := "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY big \"" + strings.Repeat("x", 50000) + "\">]>\n<a xmlns=\"urn:t\"><n>1</n><x>" +
		strings.Repeat("&big;", 50000) + "</x></a>"
	xxe := `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY s SYSTEM "file://` + secret + `">]><a xmlns="urn:t"><n>1</n><x>&s;</x></a>`
	dtd := `<?xml version="1.0"?><!DOCTYPE a SYSTEM "file://` + secret + `"><a xmlns="urn:t"><n>1</n></a>`
	// A DOCTYPE after a comment, and one the pre-check cannot see because
	// the document is UTF-16: the parser hooks refuse both.
	hidden := "<!-- x --><!DOCTYPE a [<!ENTITY e \"v\">]><a xmlns=\"urn:t\"><n>1</n></a>"
	utf16 := utf16LE(`<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "v">]><a xmlns="urn:t"><n>1</n><x>&e;</x></a>`)
	deep := `<a xmlns="urn:t"><n>1</n><x>` + strings.Repeat("<d>", 5000) + strings.Repeat("</d>", 5000) + `</x></a>`
	undeclared := `<a xmlns="urn:t"><n>1</n><x>&undefined;</x></a>`
	tests := []struct {
		name, doc, want string
	}{
		{"billion laughs", laughs, "DOCTYPE"},
		{"quadratic blowup", quadratic, "DOCTYPE"},
		{"external entity", xxe, "DOCTYPE"},
		{"external DTD", dtd, "DOCTYPE"},
		{"DOCTYPE after a comment", hidden, "DOCTYPE"},
		{"DOCTYPE in UTF-16", string(utf16), "DOCTYPE"},
		{"deeply nested", deep, "nested deeper than 64"},
		{"undeclared entity", undeclared, "undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sch := range []*Schema{s, nil} {
				var r Result
				var err error
				if sch == nil {
					r, err = Parse([]byte(tt.doc), Limits{})
				} else {
					r, err = sch.Validate([]byte(tt.doc), Limits{})
				}
				if err != nil {
					t.Fatal(err)
				}
				if r.Valid() {
					t.Fatal("Valid = true, want refused")
				}
				e, _ := r.First()
				if !strings.Contains(e.Message, tt.want) {
					t.Errorf("first error = %+v, want it to mention %q", e, tt.want)
				}
				for _, e := range r.Errors {
					if strings.Contains(e.Message, "SECRET-CONTENT") {
						t.Errorf("error leaks the file content: %v", e)
					}
				}
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// endless is a reader of any length that never allocates it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.n {
		p = p[:e.n]
	}
	for i := range p {
		p[i] = ' '
	}
	e.n -= int64(len(p))
	return len(p), nil
}

func TestSizeLimit(t *testing.T) {
	// A 1 GiB message: ReadLimited stops after the limit plus one byte.
	r := &endless{n: 1 << 30}
	_, err := ReadLimited(r, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadLimited(1 GiB) err = %v, want ErrTooLarge", err)
	}
	if read := 1<<30 - r.n; read > 1<<20+32<<10 {
		t.Errorf("read %d bytes of a 1 GiB message, want about the 1 MiB limit", read)
	}
	data, err := ReadLimited(&endless{n: 100}, 100)
	if err != nil || len(data) != 100 {
		t.Errorf("ReadLimited at the limit = %d bytes, %v; want 100, nil", len(data), err)
	}
	s := mustSchema(t)
	doc := []byte(`<a xmlns="urn:t"><n>1</n><x>` + strings.Repeat("y", 2000) + `</x></a>`)
	if _, err := s.Validate(doc, Limits{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Validate over MaxBytes err = %v, want ErrTooLarge", err)
	}
}

func TestConcurrentValidation(t *testing.T) {
	s := mustSchema(t)
	var wg sync.WaitGroup
	errc := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				n := (g + i) % 12
				r, err := s.Validate([]byte(fmt.Sprintf(`<a xmlns="urn:t"><n>%d</n></a>`, n)), Limits{})
				if err != nil {
					errc <- err
					return
				}
				if r.Valid() != (n <= 9) {
					errc <- fmt.Errorf("n=%d: Valid = %v (errors %v)", n, r.Valid(), r.Errors)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<a xmlns="urn:t"><n>1</n></a>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`))
	f.Add([]byte("<a>\xff</a>"))
	s := mustSchema(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := s.Validate(doc, Limits{MaxBytes: 1 << 20})
		if err != nil {
			if len(doc) <= 1<<20 {
				t.Fatalf("Validate: %v", err)
			}
			return
		}
		if !r.Valid() {
			if e, ok := r.First(); !ok || e.Message == "" {
				t.Fatalf("invalid without a reason: %+v", r)
			}
		}
	})
}
