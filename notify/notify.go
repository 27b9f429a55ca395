// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package notify tells people by e-mail that there is something new for
// them in the Justizcloud, and where to log in — nothing else. A
// notification never carries confidential content: no names of parties, no
// Aktenzeichen, no subject, no document titles; the mail text is fixed and
// the only variable parts are the recipient's address and the portal's URL.
// Whoever reads the mail on the way learns only that the addressee has an
// account with news.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"sync"
	"time"
)

// Sender delivers one message to its recipients. Implementations are safe
// for concurrent use.
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

// SMTP delivers to a mail server (a relay of the operator) with
// net/smtp: STARTTLS when the server offers it, no authentication.
type SMTP struct {
	Addr    string        // host:port
	Timeout time.Duration // whole delivery; 0: 30 s
}

// Send implements Sender.
func (s SMTP) Send(ctx context.Context, from string, to []string, msg []byte) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(host)); err != nil {
			return fmt.Errorf("smtp %s: starttls: %w", s.Addr, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp %s: MAIL FROM: %w", s.Addr, err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("smtp %s: RCPT TO: %w", s.Addr, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", s.Addr, err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", s.Addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", s.Addr, err)
	}
	return c.Quit()
}

// Options configure a Mailer.
type Options struct {
	// Sender delivers the mails; nil: every notification is logged as
	// skipped (without the address), nothing is sent.
	Sender Sender
	// From is the sender address, e.g. "Justizcloud <noreply@justiz.example>".
	From string
	// PublicURL is where recipients log in (e.g. https://justizcloud.example.de).
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
}

// Mailer sends notifications in the background: Notify returns at once.
type Mailer struct {
	o  Options
	wg sync.WaitGroup
}

// New returns a Mailer.
func New(o Options) *Mailer {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.From == "" {
		o.From = "noreply@justizcloud.invalid"
	}
	return &Mailer{o: o}
}

// Notify tells the person at address to that there is something new for
// them. It returns at once; delivery runs in the background, and a failure
// is logged (with the address, never with content: there is none).
func (m *Mailer) Notify(ctx context.Context, to string) {
	if m.o.Sender == nil {
		m.o.Logger.InfoContext(ctx, "notification skipped: no mail server configured (--smtp-addr)")
		return
	}
	msg, err := Message(m.o.From, to, m.o.PublicURL, m.o.Now())
	if err != nil {
		m.o.Logger.WarnContext(ctx, "notification not sent", "err", err)
		return
	}
	from, _ := mail.ParseAddress(m.o.From)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		ctx := context.WithoutCancel(ctx)
		if err := m.o.Sender.Send(ctx, from.Address, []string{to}, msg); err != nil {
			m.o.Logger.WarnContext(ctx, "notification not sent", "to", to, "err", err)
			return
		}
		m.o.Logger.DebugContext(ctx, "notification sent", "to", to)
	}()
}

// Wait blocks until every notification started has been delivered or has failed.
func (m *Mailer) Wait() { m.wg.Wait() }

// Subject is the subject of every notification.
const Subject = "Neuigkeiten in der Justizcloud"

// Message builds the notification mail for address to: fixed text, the
// login address, no content of any proceeding.
func Message(from, to, publicURL string, now time.Time) ([]byte, error) {
	f, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: sender %q: %w", from, err)
	}
	t, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(to, "\r\n") {
		return nil, fmt.Errorf("notify: recipient %q is not an e-mail address", to)
	}
	where := publicURL
	if where == "" {
		where = "im Portal der Justizcloud"
	}
	body := "Guten Tag,\n\n" +
		"in der Justizcloud liegt etwas Neues für Sie vor.\n\n" +
		"Bitte melden Sie sich an, um es zu sehen:\n" + where + "\n\n" +
		"Aus Gründen des Datenschutzes enthält diese Nachricht keine Angaben zum Inhalt.\n" +
		"Bitte antworten Sie nicht auf diese automatisch versandte Nachricht.\n"
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := "justizcloud.invalid"
	if _, d, ok := strings.Cut(f.Address, "@"); ok && d != "" {
		domain = d
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", f.String())
	fmt.Fprintf(&b, "To: %s\r\n", t.String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id[:]), domain)
	b.WriteString("Auto-Submitted: auto-generated\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
