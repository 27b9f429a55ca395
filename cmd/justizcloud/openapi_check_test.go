// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// spec checks real responses against the OpenAPI document: every status a
// handler answers must be documented for its operation, and every JSON body
// must validate against the documented schema (JSON Schema 2020-12, as
// OpenAPI 3.1 uses it).
type spec struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	paths    []specPath
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
}

type specPath struct {
	template string
	re       *regexp.Regexp
}

const specURL = "file:///openapi.json"

var loadSpec = sync.OnceValues(func() (*spec, error) {
	raw, err := os.ReadFile("../../httpapi/openapi.json")
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, err
	}
	s := &spec{doc: doc.(map[string]any), compiler: c, schemas: map[string]*jsonschema.Schema{}}
	for p := range s.doc["paths"].(map[string]any) {
		re := regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`) + "$")
		s.paths = append(s.paths, specPath{p, re})
	}
	return s, nil
})

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// check validates one response; body is the response body already read.
func (s *spec) check(t *testing.T, method, path string, resp *http.Response, body []byte) {
	t.Helper()
	path, _, _ = strings.Cut(path, "?")
	var tmpl string
	for _, p := range s.paths {
		if p.re.MatchString(path) {
			tmpl = p.template
			break
		}
	}
	if tmpl == "" {
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("openapi: %s %s answered %d but the path is not documented", method, path, resp.StatusCode)
		}
		return
	}
	opMethod := strings.ToLower(method)
	if method == http.MethodHead { // HEAD is GET without the body (RFC 9110, section 9.3.2)
		opMethod = "get"
	}
	op, ok := s.doc["paths"].(map[string]any)[tmpl].(map[string]any)[opMethod].(map[string]any)
	if !ok {
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("openapi: %s %s answered %d but the operation is not documented", method, tmpl, resp.StatusCode)
		}
		return
	}
	status := strconv.Itoa(resp.StatusCode)
	r, ok := op["responses"].(map[string]any)[status].(map[string]any)
	if !ok {
		t.Errorf("openapi: %s %s answered %d, which is not documented", method, tmpl, resp.StatusCode)
		return
	}
	content, _ := r["content"].(map[string]any)
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if content == nil || !strings.HasSuffix(mt, "json") || method == "HEAD" || resp.StatusCode == http.StatusNotModified {
		return
	}
	if _, ok := content[mt]; !ok {
		t.Errorf("openapi: %s %s %d: content type %s is not documented", method, tmpl, resp.StatusCode, mt)
		return
	}
	loc := specURL + "#/paths/" + pointerEscape(tmpl) + "/" + strings.ToLower(method) + "/responses/" + status + "/content/" + pointerEscape(mt) + "/schema"
	s.mu.Lock()
	sch, ok := s.schemas[loc]
	if !ok {
		var err error
		if sch, err = s.compiler.Compile(loc); err != nil {
			s.mu.Unlock()
			t.Fatalf("openapi: compile %s: %v", loc, err)
		}
		s.schemas[loc] = sch
	}
	s.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Errorf("openapi: %s %s %d: body is not JSON: %v", method, tmpl, resp.StatusCode, err)
		return
	}
	if err := sch.Validate(inst); err != nil {
		pretty, _ := json.Marshal(inst)
		t.Errorf("openapi: %s %s %d: body does not match the schema: %v\n%s", method, tmpl, resp.StatusCode, err, pretty)
	}
}
