// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package blob_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/keys/keystest"
	"justizcloud/tenancy"
)

var _ keys.DataKeys = (*memDataKeys)(nil)

// memDataKeys is a map-based keys.DataKeys for tests, until the SQL one is
// there to be used.
type memDataKeys struct {
	mu sync.Mutex
	m  map[string]*memKey
}

type memKey struct {
	w         keys.Wrapped
	destroyed bool
}

func newMemDataKeys() *memDataKeys { return &memDataKeys{m: make(map[string]*memKey)} }

func memID(t tenancy.ID, name string) string { return string(t) + "/" + name }

func (d *memDataKeys) PutDataKey(ctx context.Context, t tenancy.ID, name string, w keys.Wrapped) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m[memID(t, name)] = &memKey{w: keys.Wrapped{KEK: w.KEK, Ciphertext: bytes.Clone(w.Ciphertext)}}
	return nil
}

func (d *memDataKeys) DataKey(ctx context.Context, t tenancy.ID, name string) (keys.Wrapped, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, ok := d.m[memID(t, name)]
	switch {
	case !ok:
		return keys.Wrapped{}, fmt.Errorf("data key %s/%s: %w", t, name, errs.ErrNotFound)
	case k.destroyed:
		return keys.Wrapped{}, fmt.Errorf("data key %s/%s: %w", t, name, errs.ErrGone)
	}
	return keys.Wrapped{KEK: k.w.KEK, Ciphertext: bytes.Clone(k.w.Ciphertext)}, nil
}

func (d *memDataKeys) DestroyDataKey(ctx context.Context, t tenancy.ID, name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if k, ok := d.m[memID(t, name)]; ok {
		clear(k.w.Ciphertext)
		*k = memKey{destroyed: true}
	}
	return nil
}

func (d *memDataKeys) DeleteDataKey(ctx context.Context, t tenancy.ID, name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, memID(t, name))
	return nil
}

// TestMemDataKeys holds the fake to the contract the SQL store passes.
func TestMemDataKeys(t *testing.T) {
	keystest.RunDataKeys(t, newMemDataKeys())
}
