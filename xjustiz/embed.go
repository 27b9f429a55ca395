// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"embed"
	"io/fs"
)

// The .sch (Schematron) files are not shipped: they need an XSLT 2.0
// processor, and the 3.6.2 GDS rules test elements that 3.6.2 removed.
//
//go:embed schema/3.6.2/*.xsd schema/3.5.1/*.xsd schema/3.2.1/*.xsd schema/2.4.0/*.xsd
var schemaFS embed.FS

//go:embed codelists/json/*.json codelists/genericode/*.xml
var codelistFS embed.FS

// Schemas returns the embedded schema sets, one directory per version
// ("3.6.2/xjustiz_0005_nachrichten_3_2.xsd").
func Schemas() fs.FS {
	sub, err := fs.Sub(schemaFS, "schema")
	if err != nil {
		panic(err) // the directory is embedded; this cannot happen
	}
	return sub
}

// CodeLists returns the embedded code lists: json/ in the XRepository JSON
// format, genericode/ in OASIS genericode 1.0.
func CodeLists() fs.FS {
	sub, err := fs.Sub(codelistFS, "codelists")
	if err != nil {
		panic(err)
	}
	return sub
}
