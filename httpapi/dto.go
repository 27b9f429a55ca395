// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/hex"
	"time"

	"justizcloud/akte"
	"justizcloud/tenancy"
)

type tenantDTO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type courtDTO struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Tenant   string `json:"tenant"`
	City     string `json:"city,omitempty"`
	Active   bool   `json:"active"`
	Federal  bool   `json:"federal"`
	Category string `json:"category"`
	Unit     string `json:"unit,omitempty"`
	Related  string `json:"related,omitempty"`
}

func toCourt(c tenancy.Court) courtDTO {
	return courtDTO{ID: string(c.ID), Name: c.Name, Type: c.Type, Tenant: string(c.Tenant), City: c.City,
		Active: c.Active, Federal: c.Federal, Category: c.Category, Unit: c.Unit, Related: string(c.Related)}
}

type newCaseDTO struct {
	Court      string `json:"court"`
	Register   string `json:"register"`
	Department string `json:"department"`
	Subject    string `json:"subject"`
	Procedure  string `json:"procedure"`
}

type caseDTO struct {
	ID           string    `json:"id"`
	Tenant       string    `json:"tenant"`
	Court        string    `json:"court"`
	Aktenzeichen string    `json:"aktenzeichen"`
	Department   string    `json:"department"`
	Register     string    `json:"register"`
	Number       int       `json:"number"`
	Year         int       `json:"year"`
	Subject      string    `json:"subject"`
	Procedure    string    `json:"procedure"`
	CreatedAt    time.Time `json:"created_at"`
}

func toCase(c akte.Case) caseDTO {
	return caseDTO{ID: string(c.ID), Tenant: string(c.Tenant), Court: string(c.Court),
		Aktenzeichen: c.Aktenzeichen.String(), Department: c.Aktenzeichen.Department,
		Register: c.Aktenzeichen.Register, Number: c.Aktenzeichen.Number, Year: c.Aktenzeichen.Year,
		Subject: c.Subject, Procedure: c.Procedure, CreatedAt: c.CreatedAt}
}

type documentDTO struct {
	ID          string    `json:"id"`
	Case        string    `json:"case"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
	Version     int       `json:"version"`
	Predecessor *string   `json:"predecessor"`
	Class       string    `json:"class"`
	Restricted  bool      `json:"restricted"`
}

func toDocument(d akte.Document) documentDTO {
	out := documentDTO{ID: string(d.ID), Case: string(d.Case), SHA256: hex.EncodeToString(d.SHA256[:]),
		Size: d.Size, Filename: d.Filename, ContentType: d.ContentType, CreatedAt: d.CreatedAt, Version: d.Version, Class: d.Class, Restricted: d.Restricted}
	if d.Predecessor != "" {
		p := string(d.Predecessor)
		out.Predecessor = &p
	}
	return out
}

// list is the envelope of every collection; Next is the cursor of the next page.
type list[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

func mapSlice[S, T any](in []S, f func(S) T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
