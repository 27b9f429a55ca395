// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/errs"
	"justizcloud/tenancy"
	"justizcloud/xjustiz"
	"justizcloud/xjustiz/xsd"
)

// XJustiz is what the XJustiz endpoints need: the same importer and
// exporter as the command line, and the limits of an upload.
type XJustiz struct {
	Importer *xjustiz.Importer
	Exporter *xjustiz.Exporter
	// MaxBytes bounds an import's request body (the ZIP or the multipart
	// form); 0 means 1 GiB.
	MaxBytes int64
	// Zip bounds what a package may hold (entries, file sizes, ratios).
	Zip xjustiz.ZipLimits
	// MaxMessage bounds the message XML; 0 means xsd.DefaultMaxBytes.
	MaxMessage int64
	// TempDir holds the encrypted spool files; "" means os.TempDir().
	TempDir string
}

func (x *XJustiz) maxBytes() int64 {
	if x.MaxBytes <= 0 {
		return 1 << 30
	}
	return x.MaxBytes
}

func (x *XJustiz) maxMessage() int64 {
	if x.MaxMessage <= 0 {
		return xsd.DefaultMaxBytes
	}
	return x.MaxMessage
}

type xjustizMessageDTO struct {
	ID                 string `json:"id"`
	Version            string `json:"version"`
	Root               string `json:"root"`
	Sender             string `json:"sender"`
	SenderAktenzeichen string `json:"sender_aktenzeichen"`
}

type xjustizImportDTO struct {
	Repeated     bool              `json:"repeated"`
	Message      xjustizMessageDTO `json:"message"`
	Case         caseDTO           `json:"case"`
	Participants []participantDTO  `json:"participants"`
	Documents    []documentDTO     `json:"documents"`
	Skipped      []string          `json:"skipped"`
}

var errNoXJustiz = errors.New("httpapi: XJustiz endpoints are not configured")

// importXJustiz imports an XJustiz message with its files: a ZIP
// (application/zip) or a multipart form with a "message" part and one part
// per file. The body is spooled, encrypted, to a temp file within the
// limit, never held in memory. A new import answers 201 with the case's
// Location, the same message again 200 with the same case.
func (s *Server) importXJustiz(w http.ResponseWriter, r *http.Request) {
	x := s.deps.XJustiz
	if x == nil {
		writeError(w, r, s.log, errNoXJustiz)
		return
	}
	sub := subject(r)
	// Refuse a role that may not import before reading a large body; the
	// importer decides again for the court the message goes to.
	if err := s.may(r, authz.ImportXJustiz, authz.Resource{Tenant: sub.Tenant}); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	opts := xjustiz.ImportOptions{Court: tenancy.CourtID(q.Get("court")), Register: q.Get("register")}
	max := x.maxBytes()
	if r.ContentLength > max {
		w.Header().Set("Connection", "close")
		writeError(w, r, s.log, fmt.Errorf("%w: package of %d bytes exceeds the limit of %d bytes", errs.ErrTooLarge, r.ContentLength, max))
		return
	}
	sp, err := newSpool(x.TempDir)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer sp.Close()
	body := http.MaxBytesReader(w, r.Body, max)
	var pkg *xjustiz.Package
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/zip", "application/x-zip-compressed":
		if _, err = sp.fill(body, max); err == nil {
			pkg, err = xjustiz.OpenZip(sp, sp.Size(), x.Zip, x.maxMessage())
		}
	case "multipart/form-data":
		pkg, err = readMultipartPackage(multipart.NewReader(body, params["boundary"]), sp, x, max)
	default:
		err = fmt.Errorf("%w: Content-Type must be application/zip or multipart/form-data, not %q", errs.ErrInvalid, mt)
	}
	if err != nil {
		if statusOf(err) == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close")
			err = fmt.Errorf("%w: the package exceeds the limit of %d bytes", errs.ErrTooLarge, max)
		}
		writeError(w, r, s.log, err)
		return
	}
	res, err := x.Importer.Import(r.Context(), sub, pkg, opts)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	out := xjustizImportDTO{
		Repeated:     res.Repeated,
		Case:         toCase(res.Case),
		Participants: mapSlice(res.Participants, toParticipant),
		Documents:    mapSlice(res.Documents, toDocument),
		Skipped:      res.Skipped,
	}
	if m := res.Message; m != nil {
		out.Message = xjustizMessageDTO{ID: m.ID, Version: m.Version, Root: m.Root, Sender: m.Sender.String(), SenderAktenzeichen: m.SenderAktenzeichen}
	}
	if out.Skipped == nil {
		out.Skipped = []string{}
	}
	if out.Participants == nil {
		out.Participants = []participantDTO{}
	}
	if out.Documents == nil {
		out.Documents = []documentDTO{}
	}
	w.Header().Set("Location", "/api/v1/cases/"+string(res.Case.ID))
	status := http.StatusCreated
	if res.Repeated {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
}

// readMultipartPackage spools the parts of a multipart form: the part named
// "message" is the message XML, every other part is a file named by its
// filename parameter (taken as sent, so that unsafe names are refused rather
// than silently shortened).
func readMultipartPackage(mr *multipart.Reader, sp *spool, x *XJustiz, max int64) (*xjustiz.Package, error) {
	var (
		msgName string
		msg     []byte
		files   []xjustiz.PackageFile
	)
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: multipart body: %w", errs.ErrInvalid, err)
		}
		_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if err != nil {
			return nil, fmt.Errorf("%w: a part has no valid Content-Disposition", errs.ErrInvalid)
		}
		field, filename := params["name"], params["filename"]
		switch {
		case field == "message":
			if msg != nil {
				return nil, fmt.Errorf("%w: more than one \"message\" part", errs.ErrInvalid)
			}
			if msg, err = xsd.ReadLimited(part, x.maxMessage()); err != nil {
				return nil, err
			}
			if msgName = filename; msgName == "" {
				msgName = "nachricht.xml"
			}
		case filename != "":
			off := sp.Size()
			if _, err := sp.fill(part, max); err != nil {
				return nil, err
			}
			size := sp.Size() - off
			files = append(files, xjustiz.PackageFile{Name: filename, Size: size, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(io.NewSectionReader(sp, off, size)), nil
			}})
		default:
			return nil, fmt.Errorf("%w: form field %q is neither \"message\" nor a file", errs.ErrInvalid, field)
		}
		part.Close()
	}
	if msg == nil {
		return nil, fmt.Errorf("%w: the form has no \"message\" part", errs.ErrInvalid)
	}
	return xjustiz.NewPackageFiles(msgName, msg, files, x.Zip)
}

// exportXJustiz answers the case as an XJustiz package (ZIP). The export is
// validated, then spooled (encrypted) to a temp file, so that a failure is
// a problem document rather than a truncated download.
func (s *Server) exportXJustiz(w http.ResponseWriter, r *http.Request) {
	x := s.deps.XJustiz
	if x == nil {
		writeError(w, r, s.log, errNoXJustiz)
		return
	}
	version := r.URL.Query().Get("version")
	if version == "" {
		version = xjustiz.ExportVersions[0]
	}
	if !slices.Contains(xjustiz.ExportVersions, version) {
		writeError(w, r, s.log, fmt.Errorf("%w: query parameter \"version\": XJustiz %q cannot be exported; supported: %s",
			errs.ErrInvalid, version, strings.Join(xjustiz.ExportVersions, ", ")))
		return
	}
	sp, err := newSpool(x.TempDir)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer sp.Close()
	id := akte.CaseID(r.PathValue("id"))
	h := sha256.New()
	res, err := x.Exporter.Export(r.Context(), subject(r), id, version, io.MultiWriter(sp, h))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	var sum [32]byte
	h.Sum(sum[:0])
	hdr := w.Header()
	hdr.Set("Content-Type", "application/zip")
	hdr.Set("Content-Length", strconv.FormatInt(sp.Size(), 10))
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "xjustiz-" + string(id) + ".zip"}))
	hdr.Set("Repr-Digest", formatReprDigest(sum))
	hdr.Set("XJustiz-Message-Id", res.MessageID)
	hdr.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, io.NewSectionReader(sp, 0, sp.Size())); err != nil {
		s.log.InfoContext(r.Context(), "export not delivered", "case", id, "err", err)
	}
}
