// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package keystest is a conformance suite for keys.DataKeys
// implementations, in the manner of testing/fstest: every implementation,
// fakes included, runs the same RunDataKeys.
package keystest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"justizcloud/errs"
	"justizcloud/keys"
	"justizcloud/tenancy"
)

// Tenants used by the suite.
const (
	tenantA tenancy.ID = "DE-BY"
	tenantB tenancy.ID = "DE-NW"
)

// RunDataKeys tests dk against the keys.DataKeys contract. dk may hold other
// data: the suite uses key names of its own, prefixed randomly per run.
//
// Beyond the interface comments it pins down two choices: a Put after a
// Destroy stores the new key (Put replaces), and destroying a missing key
// succeeds without a trace (DataKey still answers errs.ErrNotFound).
func RunDataKeys(t *testing.T, dk keys.DataKeys) {
	t.Helper()
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatal(err)
	}
	prefix := "keystest-" + hex.EncodeToString(r[:]) + "-"
	ctx := context.Background()
	name := func(t *testing.T) string { return prefix + t.Name() }
	wrapped := func(kek string, b byte) keys.Wrapped {
		return keys.Wrapped{KEK: kek, Ciphertext: bytes.Repeat([]byte{b}, 40)}
	}

	t.Run("PutGet", func(t *testing.T) {
		n, w := name(t), wrapped("kek-1", 0xa1)
		mustPut(t, dk, tenantA, n, w)
		mustGet(t, dk, tenantA, n, w)
	})
	t.Run("Missing", func(t *testing.T) {
		wantErr(t, dk, tenantA, name(t), errs.ErrNotFound)
	})
	t.Run("Replace", func(t *testing.T) {
		n := name(t)
		mustPut(t, dk, tenantA, n, wrapped("kek-1", 1))
		w := wrapped("kek-2", 2)
		mustPut(t, dk, tenantA, n, w)
		mustGet(t, dk, tenantA, n, w)
	})
	t.Run("TenantIsolation", func(t *testing.T) {
		n := name(t)
		wa, wb := wrapped("kek-a", 0xaa), wrapped("kek-b", 0xbb)
		mustPut(t, dk, tenantA, n, wa)
		wantErr(t, dk, tenantB, n, errs.ErrNotFound)
		mustPut(t, dk, tenantB, n, wb)
		mustGet(t, dk, tenantA, n, wa)
		mustGet(t, dk, tenantB, n, wb)
		if err := dk.DestroyDataKey(ctx, tenantB, n); err != nil {
			t.Fatalf("DestroyDataKey(B) = %v", err)
		}
		mustGet(t, dk, tenantA, n, wa)
		if err := dk.DeleteDataKey(ctx, tenantA, n); err != nil {
			t.Fatalf("DeleteDataKey(A) = %v", err)
		}
		wantErr(t, dk, tenantA, n, errs.ErrNotFound)
		wantErr(t, dk, tenantB, n, errs.ErrGone)
	})
	t.Run("Destroy", func(t *testing.T) {
		n := name(t)
		mustPut(t, dk, tenantA, n, wrapped("kek-1", 3))
		for i := range 2 { // idempotent
			if err := dk.DestroyDataKey(ctx, tenantA, n); err != nil {
				t.Fatalf("DestroyDataKey #%d = %v, want nil", i+1, err)
			}
			wantErr(t, dk, tenantA, n, errs.ErrGone)
		}
	})
	t.Run("DestroyMissing", func(t *testing.T) {
		n := name(t)
		if err := dk.DestroyDataKey(ctx, tenantA, n); err != nil {
			t.Fatalf("DestroyDataKey(missing) = %v, want nil", err)
		}
		wantErr(t, dk, tenantA, n, errs.ErrNotFound)
	})
	t.Run("PutAfterDestroy", func(t *testing.T) {
		n := name(t)
		mustPut(t, dk, tenantA, n, wrapped("kek-1", 4))
		if err := dk.DestroyDataKey(ctx, tenantA, n); err != nil {
			t.Fatalf("DestroyDataKey = %v", err)
		}
		w := wrapped("kek-2", 5)
		mustPut(t, dk, tenantA, n, w)
		mustGet(t, dk, tenantA, n, w)
	})
	t.Run("Delete", func(t *testing.T) {
		n := name(t)
		mustPut(t, dk, tenantA, n, wrapped("kek-1", 6))
		for i := range 2 { // a missing key is not an error
			if err := dk.DeleteDataKey(ctx, tenantA, n); err != nil {
				t.Fatalf("DeleteDataKey #%d = %v, want nil", i+1, err)
			}
			wantErr(t, dk, tenantA, n, errs.ErrNotFound)
		}
	})
	t.Run("DeleteDestroyed", func(t *testing.T) {
		n := name(t)
		mustPut(t, dk, tenantA, n, wrapped("kek-1", 7))
		if err := dk.DestroyDataKey(ctx, tenantA, n); err != nil {
			t.Fatalf("DestroyDataKey = %v", err)
		}
		if err := dk.DeleteDataKey(ctx, tenantA, n); err != nil {
			t.Fatalf("DeleteDataKey = %v", err)
		}
		wantErr(t, dk, tenantA, n, errs.ErrNotFound)
	})
	t.Run("NoAliasing", func(t *testing.T) {
		n, w := name(t), wrapped("kek-1", 8)
		in := keys.Wrapped{KEK: w.KEK, Ciphertext: bytes.Clone(w.Ciphertext)}
		mustPut(t, dk, tenantA, n, in)
		in.Ciphertext[0] ^= 0xff // the caller reuses its buffer
		got := mustGet(t, dk, tenantA, n, w)
		got.Ciphertext[0] ^= 0xff // the caller scribbles on the result
		mustGet(t, dk, tenantA, n, w)
	})
	t.Run("Concurrent", func(t *testing.T) {
		base := name(t)
		var wg sync.WaitGroup
		errc := make(chan error, 32)
		for i := range 16 {
			wg.Go(func() {
				n, w := fmt.Sprintf("%s-%d", base, i), wrapped("kek-c", byte(i))
				if err := dk.PutDataKey(ctx, tenantA, n, w); err != nil {
					errc <- fmt.Errorf("PutDataKey(%s) = %w", n, err)
					return
				}
				got, err := dk.DataKey(ctx, tenantA, n)
				if err != nil {
					errc <- fmt.Errorf("DataKey(%s) = %w", n, err)
					return
				}
				if diff := cmp.Diff(w, got); diff != "" {
					errc <- fmt.Errorf("DataKey(%s) mismatch (-want +got):\n%s", n, diff)
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
	})
}

func mustPut(t *testing.T, dk keys.DataKeys, tn tenancy.ID, name string, w keys.Wrapped) {
	t.Helper()
	if err := dk.PutDataKey(context.Background(), tn, name, w); err != nil {
		t.Fatalf("PutDataKey(%s, %s) = %v, want nil", tn, name, err)
	}
}

func mustGet(t *testing.T, dk keys.DataKeys, tn tenancy.ID, name string, want keys.Wrapped) keys.Wrapped {
	t.Helper()
	got, err := dk.DataKey(context.Background(), tn, name)
	if err != nil {
		t.Fatalf("DataKey(%s, %s) = %v, want nil", tn, name, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("DataKey(%s, %s) mismatch (-want +got):\n%s", tn, name, diff)
	}
	return got
}

func wantErr(t *testing.T, dk keys.DataKeys, tn tenancy.ID, name string, want error) {
	t.Helper()
	got, err := dk.DataKey(context.Background(), tn, name)
	if !errors.Is(err, want) {
		t.Fatalf("DataKey(%s, %s) = %+v, %v; want error %v", tn, name, got, err, want)
	}
}
