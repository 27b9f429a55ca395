// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"justizcloud/xjustiz"
)

// BenchmarkImport imports the synthetic 3.6.2 message with one file, with a
// fresh message id per iteration, into SQLite and encrypted file blobs: the
// work of `justizcloud bench xjustiz`'s import line, for -cpuprofile.
func BenchmarkImport(b *testing.B) {
	f := mustFixture(b, "")
	msg, err := os.ReadFile("testdata/samples/synthetic/minimal_uebermittlungSchriftgutobjekte_3.6.2.xml")
	if err != nil {
		b.Skip(err)
	}
	const id = "3f1c2a9e-6b7d-4c1e-9a55-0d2e8b7f4c11"
	pdf := map[string][]byte{"Klage_b5e0f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b.pdf": []byte("%PDF-1.4\n% bench\n")}
	ctx := context.Background()
	b.SetBytes(int64(len(msg)))
	n := 0
	for b.Loop() {
		m := []byte(strings.Replace(string(msg), id, fmt.Sprintf("%08x-0000-4000-8000-000000000000", n), 1))
		n++
		if _, err := f.im.Import(ctx, f.sub, xjustiz.NewPackage("m.xml", m, pdf), xjustiz.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
