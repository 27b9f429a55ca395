// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package notify_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"justizcloud/notify"
	"justizcloud/notify/smtptest"
)

// TestNotifySMTP sends a notification through a real SMTP server on
// 127.0.0.1 and reads it back: the fixed text, the login address, and
// nothing else.
func TestNotifySMTP(t *testing.T) {
	srv := smtptest.Start(t)
	m := notify.New(notify.Options{Sender: notify.SMTP{Addr: srv.Addr}, From: "Justizcloud <noreply@justiz.example>",
		PublicURL: "https://justizcloud.example.de"})
	m.Notify(context.Background(), "anna.mueller@example.org")
	m.Wait()
	msgs := srv.Wait(t, 1, 5*time.Second)
	if got := msgs[0].To; len(got) != 1 || got[0] != "anna.mueller@example.org" {
		t.Fatalf("To = %v, want anna.mueller@example.org", got)
	}
	if msgs[0].From != "noreply@justiz.example" {
		t.Errorf("From = %q, want noreply@justiz.example", msgs[0].From)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != notify.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, notify.Subject)
	}
	body := Body(t, msg)
	for _, want := range []string{"etwas Neues für Sie", "https://justizcloud.example.de", "keine Angaben zum Inhalt"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

// Body decodes a notification's quoted-printable body.
func Body(t *testing.T, msg *mail.Message) string {
	t.Helper()
	if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q", msg.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(quotedPrintable(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNotifyWithoutServer: without a mail server, nothing is sent and the
// log says so without the address.
func TestNotifyWithoutServer(t *testing.T) {
	var log bytes.Buffer
	m := notify.New(notify.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	m.Notify(context.Background(), "anna.mueller@example.org")
	m.Wait()
	if !strings.Contains(log.String(), "notification skipped") || strings.Contains(log.String(), "anna") {
		t.Errorf("log = %q, want a skipped notification without the address", log.String())
	}
}

// TestMessageRefusesHeaderInjection: an address with a line break is refused.
func TestMessageRefusesHeaderInjection(t *testing.T) {
	if _, err := notify.Message("noreply@justiz.example", "a@example.org\r\nBcc: x@example.org", "", time.Now()); err == nil {
		t.Error("Message accepted a recipient with a line break")
	}
}
