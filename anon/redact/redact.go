// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package redact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"justizcloud/anon"
	"justizcloud/doctext"
	"justizcloud/errs"
)

// MaxPages is the default page limit: the copy is built in memory (about
// 100 to 300 KiB per page at 150 dpi).
const MaxPages = 300

// Mark is a byte range of a document's text to black out and the label
// printed in its place ("" for none).
type Mark struct {
	Start, End int
	Label      string
}

// Marks returns the replaced spans of a pseudonymization as marks; kept
// spans (no Replacement) stay readable.
func Marks(spans []anon.Span) []Mark {
	var m []Mark
	for _, s := range spans {
		if s.Replacement != "" {
			m = append(m, Mark{Start: s.Start, End: s.End, Label: s.Replacement})
		}
	}
	return m
}

// Options tune PDF; the zero value means the defaults.
type Options struct {
	DPI         int           // resolution of the page images; 0 means 150
	MaxPages    int           // more pages wrap errs.ErrTooLarge; 0 means MaxPages
	PageTimeout time.Duration // bound of one pdftoppm run; 0 means one minute
}

// padding widens every painted box (in points), so that no stroke of a
// glyph reaching past its word's box survives.
const padding = 1.0

// PDF writes to w a redacted copy of src, the PDF whose text layer doc was
// read from (doctext.ReadPDF): every word of doc that overlaps a mark is
// blacked out, and a mark's label is printed in white into its first word's
// box if it fits. Nothing is written to w unless the copy was built; a
// document whose text was cut (doc.Truncated) is refused, since words past
// the cut could not be found. Pages are rendered one at a time in a
// temporary directory that is removed before PDF returns.
func PDF(ctx context.Context, w io.Writer, src []byte, doc *doctext.Document, marks []Mark, o Options) error {
	if o.DPI <= 0 {
		o.DPI = 150
	}
	if o.MaxPages <= 0 {
		o.MaxPages = MaxPages
	}
	if o.PageTimeout <= 0 {
		o.PageTimeout = time.Minute
	}
	switch {
	case doc == nil || doc.Type != doctext.PDF || len(doc.Pages) == 0:
		return fmt.Errorf("redact: %w: only a PDF's text layer can be redacted", errs.ErrInvalid)
	case doc.Truncated:
		return fmt.Errorf("redact: %w: the text layer was cut at its limit, so not every word can be found", errs.ErrTooLarge)
	case len(doc.Pages) > o.MaxPages:
		return fmt.Errorf("redact: %w: %d pages, at most %d can be redacted", errs.ErrTooLarge, len(doc.Pages), o.MaxPages)
	}
	boxes, err := pageBoxes(doc, marks)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "redact-")
	if err != nil {
		return fmt.Errorf("redact: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, src, 0o600); err != nil {
		return fmt.Errorf("redact: %w", err)
	}
	out := fpdf.New("P", "pt", "A4", "")
	out.SetCompression(true)
	out.SetAutoPageBreak(false, 0)
	out.SetMargins(0, 0, 0)
	out.SetProducer("Justizcloud", true)
	out.SetCreator("Justizcloud", true)
	tr := out.UnicodeTranslatorFromDescriptor("") // cp1252: the labels' letters
	for i, pg := range doc.Pages {
		img, err := render(ctx, in, dir, i, o)
		if err != nil {
			return err
		}
		sx, sy := float64(img.Rect.Dx())/pg.Width, float64(img.Rect.Dy())/pg.Height
		if math.Abs(sx/sy-1) > 0.02 {
			// pdftotext and pdftoppm disagree about the page (rotation?):
			// the boxes would miss their words.
			return fmt.Errorf("redact: page %d: rendered at %dx%d pixels, but its text layer is %.0fx%.0f points", i+1, img.Rect.Dx(), img.Rect.Dy(), pg.Width, pg.Height)
		}
		for _, b := range boxes[i] {
			r := image.Rect(int(math.Floor((b.box.XMin-padding)*sx)), int(math.Floor((b.box.YMin-padding)*sy)),
				int(math.Ceil((b.box.XMax+padding)*sx)), int(math.Ceil((b.box.YMax+padding)*sy)))
			draw.Draw(img, r.Intersect(img.Rect), image.Black, image.Point{}, draw.Src)
		}
		var pngb bytes.Buffer
		if err := png.Encode(&pngb, img); err != nil {
			return fmt.Errorf("redact: page %d: %w", i+1, err)
		}
		name := fmt.Sprintf("page%d", i+1)
		out.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &pngb)
		out.AddPageFormat("P", fpdf.SizeType{Wd: pg.Width, Ht: pg.Height})
		out.ImageOptions(name, 0, 0, pg.Width, pg.Height, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		out.SetTextColor(255, 255, 255)
		for _, b := range boxes[i] {
			if b.label != "" {
				label(out, tr(b.label), b.box)
			}
		}
		if err := out.Error(); err != nil {
			return fmt.Errorf("redact: page %d: %w", i+1, err)
		}
	}
	if err := out.Output(w); err != nil {
		return fmt.Errorf("redact: %w", err)
	}
	return nil
}

// box is one word's box to paint, with the label of its mark if it is the
// mark's first word.
type box struct {
	box   doctext.Box
	label string
}

// pageBoxes returns, per page, the boxes of every word that overlaps a mark.
func pageBoxes(doc *doctext.Document, marks []Mark) ([][]box, error) {
	out := make([][]box, len(doc.Pages))
	for _, m := range marks {
		if m.Start < 0 || m.End > len(doc.Text) || m.End <= m.Start {
			return nil, fmt.Errorf("redact: %w: mark %d-%d outside the text of %d bytes", errs.ErrInvalid, m.Start, m.End, len(doc.Text))
		}
		// The first word that ends after the mark starts.
		i, _ := slices.BinarySearchFunc(doc.Words, m.Start, func(w doctext.Word, start int) int {
			if w.End <= start {
				return -1
			}
			return 1
		})
		first, lastPage := true, -1
		for ; i < len(doc.Words) && doc.Words[i].Start < m.End; i++ {
			wd := doc.Words[i]
			if wd.Page < 0 || wd.Page >= len(doc.Pages) {
				return nil, fmt.Errorf("redact: word on page %d of %d", wd.Page+1, len(doc.Pages))
			}
			pg := out[wd.Page]
			if n := len(pg); wd.Page == lastPage && sameLine(pg[n-1].box, wd.Box) {
				// One bar over the words of a mark on one line: the gaps
				// would tell how many words it had.
				pg[n-1].box.XMax = max(pg[n-1].box.XMax, wd.Box.XMax)
				pg[n-1].box.YMin = min(pg[n-1].box.YMin, wd.Box.YMin)
				pg[n-1].box.YMax = max(pg[n-1].box.YMax, wd.Box.YMax)
				continue
			}
			b := box{box: wd.Box}
			lastPage = wd.Page
			if first {
				b.label, first = m.Label, false
			}
			out[wd.Page] = append(pg, b)
		}
	}
	return out, nil
}

// sameLine reports whether b follows a on the same line: it starts to the
// right of a's start and their heights overlap by more than half.
func sameLine(a, b doctext.Box) bool {
	overlap := min(a.YMax, b.YMax) - max(a.YMin, b.YMin)
	return b.XMin >= a.XMin && overlap > 0.5*min(a.YMax-a.YMin, b.YMax-b.YMin)
}

// render returns page i (0-based) of the PDF in as a grayscale image.
func render(ctx context.Context, in, dir string, i int, o Options) (*image.Gray, error) {
	ctx, cancel := context.WithTimeout(ctx, o.PageTimeout)
	defer cancel()
	prefix := filepath.Join(dir, "page")
	n := fmt.Sprint(i + 1)
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", fmt.Sprint(o.DPI), "-gray", "-png", "-f", n, "-l", n, "-singlefile", in, prefix)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("redact: page %d: pdftoppm: %w", i+1, ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Exited() {
			return nil, fmt.Errorf("redact: page %d: %w: pdftoppm cannot render it: %s", i+1, errs.ErrInvalid, strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("redact: page %d: pdftoppm: %w", i+1, err)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		return nil, fmt.Errorf("redact: page %d: %w", i+1, err)
	}
	defer os.Remove(prefix + ".png")
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("redact: page %d: %w", i+1, err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g, nil
}

// minLabelSize is the smallest font size (points) a label is printed in.
const minLabelSize = 4

// label prints s in Helvetica into b, as large as fits its height, smaller
// if it is too wide, and not at all below minLabelSize.
func label(p *fpdf.Fpdf, s string, b doctext.Box) {
	h, w := b.YMax-b.YMin, b.XMax-b.XMin
	size := h * 0.8
	p.SetFont("Helvetica", "", size)
	if sw := p.GetStringWidth(s); sw > w {
		size *= w / sw
	}
	if size < minLabelSize {
		return
	}
	p.SetFont("Helvetica", "", size)
	// Baseline: the text's cap height centred in the box.
	p.Text(b.XMin, b.YMin+h/2+size*0.35, s)
}
