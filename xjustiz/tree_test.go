// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package xjustiz

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTreeFromLibxml2 checks that the element tree the importer takes from
// libxml2's parse (xsd.Doc.Tree, buildTree) is the tree encoding/xml gives
// (parseTree) for every valid sample, and that ParseMessage maps both the
// same.
func TestTreeFromLibxml2(t *testing.T) {
	v := mustValidator(t)
	files, _ := filepath.Glob("testdata/samples/*/*.xml")
	n := 0
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.validate(doc, true)
		if err != nil || !rep.Valid() {
			continue
		}
		n++
		want, err := parseTree(doc)
		if err != nil {
			t.Fatal(err)
		}
		if rep.tree == nil {
			t.Fatalf("%s: no tree", f)
		}
		if d := diffTree(rep.tree, want, ""); d != "" {
			t.Errorf("%s: %s", f, d)
		}
		if strings.HasPrefix(rep.Root, "nachricht.gds.") {
			got, err1 := ParseMessage(doc, rep)
			rep.tree = nil
			exp, err2 := ParseMessage(doc, rep)
			if (err1 == nil) != (err2 == nil) || err1 == nil && !sameMessage(got, exp) {
				t.Errorf("%s: ParseMessage from libxml2's tree = %+v, %v; from encoding/xml %+v, %v", f, got, err1, exp, err2)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d valid samples compared", n)
	}
	for _, bad := range [][]byte{{0x01, 'a'}, {0x03}, {0x02, 'x', 0}, {0x01, 'a', 0, 0x03, 0x01, 'b', 0, 0x03}, {0x07}} {
		if _, err := buildTree(bad); err == nil {
			t.Errorf("buildTree(%q) accepted", bad)
		}
	}
}

func diffTree(a, b *node, path string) string {
	path += "/" + a.name
	switch {
	case a.name != b.name:
		return path + ": name " + a.name + " vs " + b.name
	case a.text != b.text:
		return path + ": text " + a.text + " vs " + b.text
	case len(a.kids) != len(b.kids):
		return path + ": different number of children"
	}
	for i := range a.kids {
		if d := diffTree(a.kids[i], b.kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

func sameMessage(a, b *Message) bool {
	return fmt.Sprintf("%+v", *a) == fmt.Sprintf("%+v", *b)
}
