// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUserCLI creates, lists and disables accounts with the user command.
func TestUserCLI(t *testing.T) {
	data := t.TempDir()
	cli := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"user"}, append(args, "--data", data)...), func(string) string { return "" }, nil, &out, &errb)
		return strings.TrimSpace(out.String()), err
	}
	judge, err := cli("create", "--role", "richter", "--tenant", "DE-BY", "--court", "D2601", "--name", "Dr. Recht", "--email", "Recht@Example.org")
	if err != nil || !strings.HasPrefix(judge, "usr_") {
		t.Fatalf("create judge = %q, %v", judge, err)
	}
	citizen, err := cli("create", "--role", "buerger", "--name", "Erika Mustermann")
	if err != nil {
		t.Fatalf("create citizen: %v", err)
	}
	for _, bad := range [][]string{
		{"create", "--role", "richter", "--tenant", "DE-BY", "--name", "no court"},
		{"create", "--role", "richter", "--tenant", "DE-NW", "--court", "D2601", "--name", "court of another Land"},
		{"create", "--role", "buerger", "--tenant", "DE-BY", "--name", "citizen with a tenant"},
		{"create", "--role", "kaiser", "--name", "x"},
		{"create", "--role", "buerger", "--name", "dup", "--email", "recht@example.org"},
	} {
		if _, err := cli(bad...); err == nil {
			t.Errorf("user %v succeeded", bad)
		}
	}
	staff, err := cli("list", "--tenant", "DE-BY")
	if err != nil || !strings.Contains(staff, judge) || !strings.Contains(staff, "recht@example.org") || strings.Contains(staff, citizen) {
		t.Errorf("list --tenant DE-BY = %q, %v", staff, err)
	}
	if out, err := cli("disable", citizen); err != nil || !strings.Contains(out, "disabled") {
		t.Errorf("disable = %q, %v", out, err)
	}
	outside, err := cli("list", "--outside")
	if err != nil || !strings.Contains(outside, citizen) || !strings.Contains(outside, "T") {
		t.Errorf("list --outside = %q, %v", outside, err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--data", data, "--user", citizen}, func(string) string { return "" }, nil, &out, &errb); err == nil {
		t.Error("a disabled user got a token")
	}
}
