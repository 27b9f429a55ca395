// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"justizcloud/xjustiz/xsd"
)

func mustSampleDocs(b *testing.B) [][]byte {
	b.Helper()
	files, _ := filepath.Glob("testdata/samples/*/*.xml")
	var docs [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	return docs
}

// BenchmarkValidate validates every sample once per iteration.
func BenchmarkValidate(b *testing.B) {
	v := mustValidator(b)
	docs := mustSampleDocs(b)
	var size int64
	for _, d := range docs {
		size += int64(len(d))
	}
	b.SetBytes(size)
	for b.Loop() {
		for _, d := range docs {
			if _, err := v.Validate(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSchemaOnly is the libxml2 part alone.
func BenchmarkSchemaOnly(b *testing.B) {
	v := mustValidator(b)
	docs := mustSampleDocs(b)
	type job struct {
		s *xsd.Schema
		d []byte
	}
	var jobs []job
	var size int64
	for _, d := range docs {
		rep, err := v.Validate(d)
		if err != nil {
			b.Fatal(err)
		}
		s, _ := v.schema(rep.Schema)
		jobs = append(jobs, job{s, d})
		size += int64(len(d))
	}
	b.SetBytes(size)
	for b.Loop() {
		for _, j := range jobs {
			if _, err := j.s.Validate(j.d, xsd.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkValidateAndMap is the XML part of an import: validation and
// mapping of every valid GDS sample, the element tree taken from libxml2's
// parse (tree) or from a second parse with encoding/xml (reparse).
func BenchmarkValidateAndMap(b *testing.B) {
	v := mustValidator(b)
	var docs [][]byte
	var size int64
	for _, d := range mustSampleDocs(b) {
		if rep, err := v.Validate(d); err == nil && rep.Valid() && strings.HasPrefix(rep.Root, "nachricht.gds.") {
			docs = append(docs, d)
			size += int64(len(d))
		}
	}
	for _, mode := range []string{"tree", "reparse"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				for _, d := range docs {
					rep, err := v.validate(d, mode == "tree")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := ParseMessage(d, rep); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
