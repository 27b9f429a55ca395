// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blobtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"justizcloud/blob"
	"justizcloud/errs"
)

// testRange checks blob.RangeGetter, if the store offers it.
func testRange(t *testing.T, s blob.Store) {
	rg, ok := s.(blob.RangeGetter)
	if !ok {
		t.Skipf("%T does not implement blob.RangeGetter", s)
	}
	ctx := context.Background()
	const seg = 64 << 10
	const n = 3*seg + 1234
	data := randomBytes(42, n)
	key := blob.Key{Tenant: tenantA, Name: "ranged"}
	mustPut(t, s, key, data)

	tests := []struct {
		offset, length int64
		want           []byte // nil with wantErr
		wantErr        error
	}{
		{0, -1, data, nil},
		{0, 0, []byte{}, nil},
		{0, 1, data[:1], nil},
		{0, seg, data[:seg], nil},
		{100, 50, data[100:150], nil},
		{seg - 10, 20, data[seg-10 : seg+10], nil},
		{seg, seg, data[seg : 2*seg], nil},
		{seg - 1, seg + 2, data[seg-1 : 2*seg+1], nil},
		{seg + 5, 2*seg + 100, data[seg+5 : 3*seg+105], nil},
		{1000, -1, data[1000:], nil},
		{2*seg + 7, -1, data[2*seg+7:], nil},
		{n - 1, -1, data[n-1:], nil},
		{n - 10, 100, data[n-10:], nil},
		{n, -1, []byte{}, nil},
		{n, 0, []byte{}, nil},
		{n, 5, []byte{}, nil},
		{n + 1, -1, nil, errs.ErrInvalid},
		{n + 1, 10, nil, errs.ErrInvalid},
		{10 * n, 10, nil, errs.ErrInvalid},
		{-1, 5, nil, errs.ErrInvalid},
	}
	for _, tt := range tests {
		what := fmt.Sprintf("GetRange(%s, %d, %d)", key, tt.offset, tt.length)
		got, err := getRange(ctx, rg, key, tt.offset, tt.length)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s error = %v, want %v", what, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s = %v", what, err)
			continue
		}
		checkContent(t, what, got, tt.want)
	}

	empty := blob.Key{Tenant: tenantA, Name: "rangedempty"}
	mustPut(t, s, empty, nil)
	if got, err := getRange(ctx, rg, empty, 0, -1); err != nil || len(got) != 0 {
		t.Errorf("GetRange(empty, 0, -1) = %d bytes, %v; want 0 bytes, nil", len(got), err)
	}
	if _, err := getRange(ctx, rg, empty, 1, -1); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("GetRange(empty, 1, -1) error = %v, want errs.ErrInvalid", err)
	}
}

func getRange(ctx context.Context, rg blob.RangeGetter, key blob.Key, offset, length int64) ([]byte, error) {
	rc, err := rg.GetRange(ctx, key, offset, length)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return got, err
}
