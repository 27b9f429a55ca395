// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"justizcloud/errs"
)

// maxJSONBody bounds JSON request bodies; documents use their own limit.
const maxJSONBody = 1 << 20

// decodeJSON reads exactly one JSON object into v. Unknown fields, wrong
// types, trailing data and oversized bodies are refused with a message that
// names the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fmt.Errorf("%w: Content-Type must be application/json", errs.ErrInvalid)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: request body must hold a single JSON object", errs.ErrInvalid)
	}
	return nil
}

func jsonError(err error) error {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
		mbe       *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return fmt.Errorf("%w: JSON body larger than %d bytes", errs.ErrTooLarge, mbe.Limit)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		return fmt.Errorf("%w: field %q must be %s, not %s", errs.ErrInvalid, field, typeName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("%w: malformed JSON at byte %d", errs.ErrInvalid, syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: request body is empty", errs.ErrInvalid)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: request body is truncated JSON", errs.ErrInvalid)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("%w: unknown field %s", errs.ErrInvalid, strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return fmt.Errorf("%w: %v", errs.ErrInvalid, err)
	}
}

func typeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	default:
		return kind
	}
}
