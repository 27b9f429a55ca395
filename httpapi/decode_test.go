// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"justizcloud/errs"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, ct, body, want string
		sentinel             error
	}{
		{"ok", "application/json", `{"court":"D2601","register":"C"}`, "", nil},
		{"charset ok", "application/json; charset=utf-8", `{"court":"D2601"}`, "", nil},
		{"unknown field", "application/json", `{"court":"D2601","farbe":1}`, `unknown field "farbe"`, errs.ErrInvalid},
		{"wrong type", "application/json", `{"court":12}`, `field "court" must be a string, not number`, errs.ErrInvalid},
		{"not an object", "application/json", `[1]`, `must be an object`, errs.ErrInvalid},
		{"trailing", "application/json", `{} {}`, "single JSON object", errs.ErrInvalid},
		{"truncated", "application/json", `{"court":`, "truncated", errs.ErrInvalid},
		{"empty", "application/json", ``, "empty", errs.ErrInvalid},
		{"syntax", "application/json", `{court}`, "malformed JSON", errs.ErrInvalid},
		{"invalid utf-8 is kept out", "application/json", "{\"court\":\"\xff\"}", "", nil},
		{"wrong content type", "text/plain", `{}`, "Content-Type", errs.ErrInvalid},
		{"too large", "application/json", `{"court":"` + strings.Repeat("a", maxJSONBody) + `"}`, "larger than", errs.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.ct)
			var v newCaseDTO
			err := decodeJSON(httptest.NewRecorder(), r, &v)
			if tt.sentinel == nil {
				if err != nil {
					t.Fatalf("decodeJSON = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decodeJSON = %v, want %v containing %q", err, tt.sentinel, tt.want)
			}
		})
	}
}
