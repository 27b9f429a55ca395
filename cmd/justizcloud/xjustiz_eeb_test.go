// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestXJustizEEBCommand imports the GDS message the shared eEB samples
// acknowledge, reads the eEBs with "xjustiz eeb" (with and without the
// tenant's store), and writes the tenant's own eEB for that message with
// "xjustiz acknowledge", which validates and reads back.
func TestXJustizEEBCommand(t *testing.T) {
	const msgID = "5558aeab-4b75-44db-80e5-7219da4751a2"
	data := t.TempDir()
	dir, sums := mustMessageDir(t, "valid/xjustiz_nachricht_eeb1_v3_2.xml")
	out, err := runXJ("import", "--data", data, "--tenant", "DE-BY", "--court", "D2601", dir)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	m := caseLineRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("import printed %q", out)
	}
	caseID := m[1]
	eeb := filepath.Join(xjSamples, "valid/eeb1_v3_2.xml")

	out, err = runXJ("eeb", eeb, filepath.Join(xjSamples, "valid/eeb4_v2_4.xml"))
	if err != nil {
		t.Fatalf("eeb: %v\n%s", err, out)
	}
	for _, want := range []string{
		eeb + ": eEB 55d426ec-ff16-48ac-837e-a2f8ba79a061 (XJustiz 3.2.1) acknowledges message " + msgID + "\n",
		"  received 2019-05-28\n",
		"  by Testempfaenger-Sonstige (Aktenzeichen \"Testaktenzeichen Empfaenger\")\n",
		"  to Gericht A1001S (Aktenzeichen \"12345BG1234567 987654321\")\n",
		"(XJustiz 2.4.0)", "  to RV-Traeger: 15 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("eeb output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "imported as case") {
		t.Errorf("eeb without --tenant looked the message up:\n%s", out)
	}

	// With the store: the acknowledged message is the imported case, with its documents.
	out, err = runXJ("eeb", "--data", data, "--tenant", "DE-BY", eeb)
	if err != nil || !strings.Contains(out, "  message "+msgID+" was imported as case "+caseID+", D2601 ") {
		t.Fatalf("eeb --tenant DE-BY = %q, %v; want the case %s", out, err, caseID)
	}
	for name := range sums {
		if !strings.Contains(out, "\t"+name+"\t") {
			t.Errorf("eeb --tenant does not list document %s:\n%s", name, out)
		}
	}
	out, err = runXJ("eeb", "--data", data, "--tenant", "DE-NW", eeb)
	if err != nil || !strings.Contains(out, "not imported by DE-NW") || strings.Contains(out, caseID) {
		t.Errorf("eeb --tenant DE-NW = %q, %v; want: not imported, no case", out, err)
	}

	// Not an eEB, invalid: refused, non-zero exit.
	for _, f := range []string{"valid/xjustiz_nachricht_v2_4.xml", "invalid/xjustiz_nachricht_eeb4_v2_4.xml", "nonexistent.xml"} {
		if out, err := runXJ("eeb", filepath.Join(xjSamples, f)); err == nil {
			t.Errorf("eeb %s succeeded: %s", f, out)
		}
	}

	// The tenant's own eEB for the imported message.
	own := filepath.Join(t.TempDir(), "eeb.xml")
	out, err = runXJ("acknowledge", "--data", data, "--tenant", "DE-BY", "--message", msgID, "--received", "2026-05-04", "--out", own)
	if err != nil || !strings.Contains(out, "case "+caseID) {
		t.Fatalf("acknowledge = %q, %v", out, err)
	}
	if out, err := runXJ("validate", own); err != nil || !strings.HasSuffix(out, ": OK\n") {
		t.Errorf("validate of the written eEB = %q, %v", out, err)
	}
	out, err = runXJ("eeb", "--data", data, "--tenant", "DE-BY", own)
	for _, want := range []string{"(XJustiz 3.6.2) acknowledges message " + msgID, "  received 2026-05-04\n", "  by Gericht D2601 (Aktenzeichen \"", "  to Gericht A1001S (Aktenzeichen \"12345BG1234567 987654321\")", "imported as case " + caseID} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("eeb of the written eEB lacks %q (%v):\n%s", want, err, out)
		}
	}
	for _, args := range [][]string{
		{"--tenant", "DE-BY", "--message", "00000000-0000-4000-8000-000000000000"}, // not imported
		{"--tenant", "DE-NW", "--message", msgID},                                  // another Land's import
		{"--tenant", "DE-BY", "--message", msgID, "--received", "4.5.2026"},
	} {
		if out, err := runXJ(append(append([]string{"acknowledge", "--data", data}, args...), "--out", own+".x")...); err == nil {
			t.Errorf("acknowledge %v succeeded: %s", args, out)
		}
	}
}
