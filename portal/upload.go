// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package portal

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/interview"
)

// Limits of a posted page.
const (
	maxFormValue  = 64 << 10 // one value (a long textarea is 10,000 characters)
	maxFormValues = 1 << 20  // all values together
	maxFormParts  = 200
	maxCSRFPart   = 256
)

// postedForm is a posted page: its values and the uploads it brought,
// already stored (encrypted) as files of the draft, or refused before
// storing (no Ref; Validate says why).
type postedForm struct {
	values url.Values
	files  map[string][]interview.Upload
}

type multipartKey struct{}

// PeekCSRF lets a multipart form without JavaScript carry the CSRF token:
// for a multipart/form-data request without an X-CSRF-Token header it
// reads the first part and, if that is the field "csrf" (the portal's
// forms put it first), copies its value into the header, so that the
// session's CSRF check (login.CheckCSRF) sees it as from a script. The
// rest of the body stays for the handler. The body is limited to the
// largest upload a page allows. httpapi calls it before authentication.
func (p *Portal) PeekCSRF(w http.ResponseWriter, r *http.Request) *http.Request {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" || r.Header.Get("X-CSRF-Token") != "" {
		return r
	}
	r.Body = http.MaxBytesReader(w, r.Body, p.maxBody)
	mr := multipart.NewReader(r.Body, params["boundary"])
	st := &multipartState{mr: mr}
	r = r.WithContext(context.WithValue(r.Context(), multipartKey{}, st))
	part, err := mr.NextPart()
	if err != nil {
		st.err = err
		return r
	}
	if part.FormName() != "csrf" || part.FileName() != "" {
		st.first = part
		return r
	}
	tok, err := io.ReadAll(io.LimitReader(part, maxCSRFPart+1))
	if err != nil || len(tok) > maxCSRFPart {
		st.err = fmt.Errorf("csrf field: %w", errs.ErrInvalid)
		return r
	}
	st.csrf = string(tok)
	r.Header.Set("X-CSRF-Token", st.csrf)
	return r
}

// multipartState is a multipart body whose first part PeekCSRF read.
type multipartState struct {
	mr    *multipart.Reader
	first *multipart.Part // a first part that was not the token
	csrf  string
	err   error
}

func (st *multipartState) next() (*multipart.Part, error) {
	if st.err != nil {
		return nil, st.err
	}
	if st.first != nil {
		p := st.first
		st.first = nil
		return p, nil
	}
	return st.mr.NextPart()
}

// readForm reads a posted page: a urlencoded body (parsed already by the
// CSRF check) or a multipart body, whose files are stored as uploads of
// the user's draft while they stream in.
func (p *Portal) readForm(w http.ResponseWriter, r *http.Request, d *interview.Definition, pg interview.Page, a interview.Answers, user string) (postedForm, error) {
	form := postedForm{values: url.Values{}, files: map[string][]interview.Upload{}}
	st, _ := r.Context().Value(multipartKey{}).(*multipartState)
	if st == nil {
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormValues)
			if err := r.ParseForm(); err != nil {
				return form, fmt.Errorf("form: %w: %w", errs.ErrInvalid, err)
			}
			form.values = r.PostForm
			return form, nil
		}
		r.Body = http.MaxBytesReader(w, r.Body, p.maxBody)
		st = &multipartState{mr: multipart.NewReader(r.Body, params["boundary"])}
	}
	fileFields := map[string]interview.Field{}
	for _, f := range d.ShownFields(pg.ID, a) {
		if f.Type == interview.File {
			fileFields[f.ID] = f
		}
	}
	total := 0
	for n := 0; ; n++ {
		part, err := st.next()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil || n > maxFormParts {
			p.discardUploads(r.Context(), user, d.Name, form)
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				return form, fmt.Errorf("form: %w: the body is larger than %d bytes", errs.ErrTooLarge, mbe.Limit)
			}
			return form, fmt.Errorf("form: %w: %w", errs.ErrInvalid, err)
		}
		name := part.FormName()
		if part.FileName() == "" && part.Header.Get("Content-Type") == "" || name == "csrf" {
			v, err := io.ReadAll(io.LimitReader(part, maxFormValue+1))
			total += len(v)
			if err != nil || len(v) > maxFormValue || total > maxFormValues {
				p.discardUploads(r.Context(), user, d.Name, form)
				return form, fmt.Errorf("form: %w: value of %q too long", errs.ErrTooLarge, name)
			}
			if name != "csrf" {
				form.values.Add(name, string(v))
			}
			continue
		}
		f, ok := fileFields[name]
		if !ok || part.FileName() == "" { // no file chosen, or not a field of this page
			if _, err := io.Copy(io.Discard, part); err != nil {
				p.discardUploads(r.Context(), user, d.Name, form)
				return form, fmt.Errorf("form: %w", errs.ErrTooLarge)
			}
			continue
		}
		u, err := p.storeUpload(r.Context(), user, d.Name, f, part)
		if err != nil {
			p.discardUploads(r.Context(), user, d.Name, form)
			return form, err
		}
		form.files[name] = append(form.files[name], u)
	}
}

// discardUploads deletes what a refused request had stored.
func (p *Portal) discardUploads(ctx context.Context, user, name string, form postedForm) {
	for _, us := range form.files {
		for _, u := range us {
			if u.Ref == "" {
				continue
			}
			if err := p.drafts.removeFile(context.WithoutCancel(ctx), user, name, u.Ref); err != nil {
				p.log.WarnContext(ctx, "portal: discard upload", "err", err)
			}
		}
	}
}

// sniff is the content type of a file as its first bytes show it
// (http.DetectContentType), without parameters: the browser's claim is
// not trusted.
func sniff(head []byte) string {
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// storeUpload streams one file into the encrypted store as an upload of
// the draft. An empty file, a type the field does not accept and a file
// over the field's size limit are not stored; the returned Upload then has
// no Ref, and Validate explains the refusal in German.
func (p *Portal) storeUpload(ctx context.Context, user, name string, f interview.Field, part *multipart.Part) (interview.Upload, error) {
	u := interview.Upload{Name: part.FileName()}
	br := bufio.NewReaderSize(part, 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return u, fmt.Errorf("upload: %w", readErr(err))
	}
	if len(head) == 0 {
		return u, nil // Size 0: "ist leer"
	}
	u.ContentType = sniff(head)
	if !slices.Contains(f.Accept, u.ContentType) {
		n, err := io.Copy(io.Discard, br)
		if err != nil {
			return u, fmt.Errorf("upload: %w", readErr(err))
		}
		u.Size = n
		return u, nil
	}
	ref := uuid.NewString()
	if err := p.drafts.st.AddDraftFile(ctx, DraftFile{User: user, Interview: name, Ref: ref, CreatedAt: p.now().UTC()}); err != nil {
		return u, fmt.Errorf("upload: %w", err)
	}
	m := &limitHash{r: br, h: sha256.New(), limit: f.MaxSize}
	if err := p.d.Blobs.Put(ctx, blob.Key{Tenant: DraftTenant, Name: ref}, m); err != nil {
		if rerr := p.drafts.removeFile(context.WithoutCancel(ctx), user, name, ref); rerr != nil {
			p.log.WarnContext(ctx, "portal: discard upload", "err", rerr)
		}
		if !m.over {
			return u, fmt.Errorf("upload: %w", readErr(err))
		}
		n, err := io.Copy(io.Discard, br) // the rest of the part, to reach the next one
		if err != nil {
			return u, fmt.Errorf("upload: %w", readErr(err))
		}
		u.Size = m.n + n // over the limit: "ist zu groß"
		return u, nil
	}
	u.Ref, u.Size, u.SHA256 = ref, m.n, hex.EncodeToString(m.h.Sum(nil))
	return u, nil
}

// readErr maps a body that exceeded the request limit to errs.ErrTooLarge.
func readErr(err error) error {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return fmt.Errorf("%w: the body is larger than %d bytes", errs.ErrTooLarge, mbe.Limit)
	}
	return err
}

// limitHash counts and hashes what passes and fails past limit bytes.
type limitHash struct {
	r     io.Reader
	h     hash.Hash
	n     int64
	limit int64
	over  bool
}

var errOverLimit = errors.New("file over the field's size limit")

func (l *limitHash) Read(b []byte) (int, error) {
	if l.over {
		return 0, errOverLimit
	}
	n, err := l.r.Read(b)
	l.n += int64(n)
	if l.n > l.limit {
		l.over = true
		return 0, errOverLimit
	}
	l.h.Write(b[:n])
	return n, err
}
