// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// multipartBody builds a multipart body with the fields in order.
func multipartBody(t testing.TB, fields ...[2]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		if strings.HasPrefix(f[0], "file:") {
			w, _ := mw.CreateFormFile(strings.TrimPrefix(f[0], "file:"), "a.pdf")
			w.Write([]byte(f[1]))
			continue
		}
		mw.WriteField(f[0], f[1])
	}
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func TestPeekCSRF(t *testing.T) {
	p := &Portal{maxBody: 1 << 20}
	ct, tokenFirst := multipartBody(t, [2]string{"csrf", "tok-123"}, [2]string{"aktion", "weiter"}, [2]string{"file:belege", "%PDF-1.4"})
	ct2, tokenLater := multipartBody(t, [2]string{"aktion", "weiter"}, [2]string{"csrf", "tok-123"})
	ct3, fileFirst := multipartBody(t, [2]string{"file:csrf", "tok-123"})
	ct4, longToken := multipartBody(t, [2]string{"csrf", strings.Repeat("x", maxCSRFPart+1)})
	tests := []struct {
		name, ctype, header string
		body                []byte
		want                string   // X-CSRF-Token afterwards
		rest                []string // form names the handler still reads
	}{
		{"token first", ct, "", tokenFirst, "tok-123", []string{"aktion", "belege"}},
		{"token not first", ct2, "", tokenLater, "", []string{"aktion", "csrf"}},
		{"a file named csrf", ct3, "", fileFirst, "", []string{"csrf"}},
		{"token too long", ct4, "", longToken, "", nil},
		{"header already set", ct, "from-script", tokenFirst, "from-script", nil},
		{"urlencoded", "application/x-www-form-urlencoded", "", []byte("csrf=tok-123"), "", nil},
		{"no boundary", "multipart/form-data", "", tokenFirst, "", nil},
		{"garbage", ct, "", []byte("not multipart at all"), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/antrag/x/seite/y", bytes.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.ctype)
			if tt.header != "" {
				r.Header.Set("X-CSRF-Token", tt.header)
			}
			r = p.PeekCSRF(httptest.NewRecorder(), r)
			if got := r.Header.Get("X-CSRF-Token"); got != tt.want {
				t.Errorf("X-CSRF-Token = %q, want %q", got, tt.want)
			}
			st, _ := r.Context().Value(multipartKey{}).(*multipartState)
			var rest []string
			for st != nil {
				part, err := st.next()
				if err != nil {
					break
				}
				rest = append(rest, part.FormName())
			}
			if strings.Join(rest, ",") != strings.Join(tt.rest, ",") {
				t.Errorf("parts left for the handler = %v, want %v", rest, tt.rest)
			}
		})
	}
}

// FuzzPeekCSRF: whatever the body, PeekCSRF does not panic, and a token it
// copies into the header is exactly the first part of a body whose first
// part is the field csrf.
func FuzzPeekCSRF(f *testing.F) {
	_, body := multipartBody(f, [2]string{"csrf", "tok"}, [2]string{"a", "b"})
	f.Add(body)
	f.Add([]byte("--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--x--\r\n"))
	f.Add([]byte("--x\r\n\r\n--x--"))
	f.Fuzz(func(t *testing.T, body []byte) {
		bnd := "x"
		if i := bytes.Index(body, []byte("\r\n")); i > 2 && body[0] == '-' && body[1] == '-' && i < 72 {
			bnd = string(body[2:i])
		}
		p := &Portal{maxBody: 1 << 16}
		r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", `multipart/form-data; boundary="`+strings.ReplaceAll(bnd, `"`, "")+`"`)
		r = p.PeekCSRF(httptest.NewRecorder(), r)
		tok := r.Header.Get("X-CSRF-Token")
		if tok == "" {
			return
		}
		mr := multipart.NewReader(bytes.NewReader(body), strings.ReplaceAll(bnd, `"`, ""))
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "csrf" {
			t.Fatalf("token %q copied, but the first part is not csrf (%v)", tok, err)
		}
		v, _ := io.ReadAll(part)
		if string(v) != tok {
			t.Fatalf("token %q, first part %q", tok, v)
		}
	})
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		head []byte
		want string
	}{
		{[]byte("%PDF-1.7\n"), "application/pdf"},
		{[]byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		{[]byte("\x89PNG\r\n\x1a\n"), "image/png"},
		{[]byte("MZ\x90\x00"), "application/octet-stream"},
		{[]byte("<html><script>alert(1)</script>"), "text/html"},
		{[]byte("Hallo Gericht"), "text/plain"},
	} {
		if got := sniff(tt.head); got != tt.want {
			t.Errorf("sniff(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 Bytes", 999: "999 Bytes", 1024: "1 KB", 1536: "2 KB", 10 << 20: "10,0 MB", 1572864: "1,5 MB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := paragraphs("Erste Zeile\nweiter.\n\n\nZweiter  Absatz.\r\n\r\nDritter.\n")
	want := []string{"Erste Zeile weiter.", "Zweiter Absatz.", "Dritter."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

func TestPdfSafe(t *testing.T) {
	if got := pdfSafe("Müller – ½ € 🙂 中"); got != "Müller – ½ € ? ?" {
		t.Errorf("pdfSafe = %q", got)
	}
}
