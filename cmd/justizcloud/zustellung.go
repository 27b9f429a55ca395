// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"justizcloud/akte"
	"justizcloud/authz"
	"justizcloud/notify"
	"justizcloud/sqlstore"
	"justizcloud/tenancy"
	"justizcloud/verfahren"
	"justizcloud/zustellung"
)

// mailConfig says where notifications go (serve).
type mailConfig struct {
	SMTPAddr string // host:port of the mail relay; empty: notifications are logged as skipped
	SMTPFrom string
}

// mailFlags registers the flags of mailConfig.
func mailFlags(fs *flag.FlagSet) *mailConfig {
	c := &mailConfig{}
	fs.StringVar(&c.SMTPAddr, "smtp-addr", "", "mail relay host:port for notifications (no content, only \"something new, log in at --public-url\"); empty: not sent, logged as skipped")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "Justizcloud <noreply@justizcloud.invalid>", "sender address of notifications")
	return c
}

func (c *mailConfig) validate() error {
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		return fmt.Errorf("--smtp-from: %w", err)
	}
	return nil
}

// zustellungHook forwards akte's content hook to the Zustellung service,
// which is built after the case file service it needs.
type zustellungHook struct{ svc *zustellung.Service }

func (h *zustellungHook) onContent(ctx context.Context, sub authz.Subject, d akte.Document) {
	if h.svc != nil {
		h.svc.Accessed(ctx, sub, d)
	}
}

// newZustellung builds the Zustellung service with its notifications.
func newZustellung(c *mailConfig, db *sqlstore.DB, cases *akte.Service, proc *verfahren.Service, cat *tenancy.Catalog,
	public string, log *slog.Logger, now func() time.Time) *zustellung.Service {
	var sender notify.Sender
	if c.SMTPAddr != "" {
		sender = notify.SMTP{Addr: c.SMTPAddr}
	}
	mailer := notify.New(notify.Options{Sender: sender, From: c.SMTPFrom, PublicURL: public, Logger: log})
	return zustellung.NewService(db, cases, proc, zustellung.Options{Now: now, Logger: log, Catalog: cat, Users: db,
		Notifier: mailer, PublicURL: public})
}
