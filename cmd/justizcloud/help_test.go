// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

// TestHelp: every command answers --help with its usage and without error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"token", "--help"}, {"token", "create", "--help"},
		{"bench", "--help"}, {"bench", "ingest", "--help"}, {"version", "--help"}, {"frist", "--help"}, {"procedure", "--help"},
		{"retention", "--help"}, {"retention", "run", "--help"},
		{"reindex", "--help"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: %v", args, err)
		}
		if text := out.String() + errb.String(); !strings.Contains(text, "Usage") {
			t.Errorf("%v printed no usage: %q", args, text)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, nil, &out, &out); err != nil || !strings.HasPrefix(out.String(), "justizcloud ") {
		t.Errorf("version = %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"nonsense"}, func(string) string { return "" }, nil, &out, &out); err == nil {
		t.Error("an unknown command did not fail")
	}
}

// TestProcedureCommands: list, check (good and broken file) and graph.
func TestProcedureCommands(t *testing.T) {
	runOut := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &out)
		return out.String(), err
	}
	if out, err := runOut("procedure", "list"); err != nil || !strings.Contains(out, "zivil-online") {
		t.Errorf("procedure list = %q, %v", out, err)
	}
	if out, err := runOut("procedure", "check", "../../verfahren/definitions/beratungshilfe.yaml"); err != nil || !strings.Contains(out, "OK") {
		t.Errorf("procedure check (shipped) = %q, %v", out, err)
	}
	broken := t.TempDir() + "/kaputt.yaml"
	if err := writeFile(broken, "name: kaputt\ntitle: x\ninitial: nirgends\nstates: []\nevents: []\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := runOut("procedure", "check", broken); err == nil || !strings.Contains(err.Error(), "kaputt.yaml:") {
		t.Errorf("procedure check (broken) = %v, want an error naming file and line", err)
	}
	if out, err := runOut("procedure", "graph", "zivil-online", "--format", "dot"); err != nil || !strings.HasPrefix(strings.TrimSpace(out), "digraph") {
		t.Errorf("procedure graph --format dot = %.60q, %v", out, err)
	}
	if out, err := runOut("procedure", "graph", "beratungshilfe"); err != nil || !strings.Contains(out, "stateDiagram") && !strings.Contains(out, "flowchart") {
		t.Errorf("procedure graph (mermaid) = %.60q, %v", out, err)
	}
}

// TestConfigFromEnvironment: JUSTIZCLOUD_* set flags, *_FILE reads secrets,
// the command line wins, and bad values are refused at start.
func TestConfigFromEnvironment(t *testing.T) {
	secret := t.TempDir() + "/secret"
	if err := writeFile(secret, "geheim\n"); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"JUSTIZCLOUD_MAX_UPLOAD":         "8MiB",
		"JUSTIZCLOUD_S3_SECRET_KEY_FILE": secret,
		"JUSTIZCLOUD_ADDR":               "127.0.0.1:9999",
	}
	var cfg config
	fs := newFlagSet("serve", "", &bytes.Buffer{})
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "")
	cfg.storageFlags(fs)
	fs.Var(&cfg.MaxUpload, "max-upload", "")
	if err := loadFlags(fs, []string{"--addr", "127.0.0.1:7777"}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if cfg.MaxUpload != 8<<20 || cfg.S3.SecretKey != "geheim" || cfg.Addr != "127.0.0.1:7777" {
		t.Errorf("config = max-upload %d, secret %q, addr %q; want 8 MiB, from the file, from the command line", cfg.MaxUpload, cfg.S3.SecretKey, cfg.Addr)
	}
	bad := map[string]string{"JUSTIZCLOUD_MAX_UPLOAD": "viel"}
	fs = newFlagSet("serve", "", &bytes.Buffer{})
	fs.Var(&cfg.MaxUpload, "max-upload", "")
	if err := loadFlags(fs, nil, func(k string) string { return bad[k] }); err == nil || !strings.Contains(err.Error(), "JUSTIZCLOUD_MAX_UPLOAD") {
		t.Errorf("bad JUSTIZCLOUD_MAX_UPLOAD: err = %v, want one naming the variable", err)
	}
	for _, args := range [][]string{{"--blob", "ftp"}, {"--db", "mysql://x"}, {"--blob", "s3"}, {"--max-upload", "-1"}} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"serve", "--data", t.TempDir()}, args...), func(string) string { return "" }, nil, &out, &out)
		if err == nil {
			t.Errorf("serve %v started", args)
		}
	}
}

func writeFile(name, content string) error { return os.WriteFile(name, []byte(content), 0o600) }
