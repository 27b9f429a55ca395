// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package s3blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"justizcloud/blob"
	"justizcloud/blob/blobtest"
	"justizcloud/blob/s3blob"
	"justizcloud/blob/s3blob/s3test"
	"justizcloud/errs"
)

func mustOpen(tb testing.TB, cfg s3blob.Config) *s3blob.Store {
	tb.Helper()
	s, err := s3blob.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("s3blob.Open(%s, bucket %s) = %v", cfg.Endpoint, cfg.Bucket, err)
	}
	return s
}

// rawClient talks to the server behind the driver's back.
func rawClient(tb testing.TB, cfg s3blob.Config) *minio.Client {
	tb.Helper()
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Region: cfg.Region,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestStore(t *testing.T) {
	cfg := s3test.Start(t)
	var n atomic.Int64
	blobtest.Run(t, func(t *testing.T) blob.Store {
		c := cfg
		c.Bucket = fmt.Sprintf("blobtest-%d", n.Add(1))
		return mustOpen(t, c)
	})
}

// TestFailedPutLeavesNothing checks below the driver that an aborted upload
// leaves neither an object nor an incomplete multipart upload.
func TestFailedPutLeavesNothing(t *testing.T) {
	cfg := s3test.Start(t)
	s := mustOpen(t, cfg)
	raw := rawClient(t, cfg)
	ctx := context.Background()
	boom := errors.New("boom")

	for _, n := range []int{0, 1 << 20, 12 << 20} { // 12 MiB: two parts uploaded before the failure
		key := blob.Key{Tenant: "DE-BE", Name: fmt.Sprintf("failed%d", n)}
		r := io.MultiReader(bytes.NewReader(make([]byte, n)), iotest.ErrReader(boom))
		if err := s.Put(ctx, key, r); !errors.Is(err, boom) {
			t.Fatalf("Put(%s) with reader failing after %d bytes = %v, want %v", key, n, err, boom)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	r := &cancelAfter{r: bytes.NewReader(make([]byte, 12<<20)), after: 6 << 20, cancel: cancel}
	if err := s.Put(cctx, blob.Key{Tenant: "DE-BE", Name: "cancelled"}, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with ctx cancelled mid-stream = %v, want context.Canceled", err)
	}

	for obj := range raw.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatalf("ListObjects: %v", obj.Err)
		}
		t.Errorf("object %q left after failed Puts", obj.Key)
	}
	for up := range raw.ListIncompleteUploads(ctx, cfg.Bucket, "", true) {
		if up.Err != nil {
			t.Fatalf("ListIncompleteUploads: %v", up.Err)
		}
		t.Errorf("incomplete multipart upload %q (%s) left after failed Puts", up.Key, up.UploadID)
	}

	// Control: the listing does see an upload that was not aborted.
	core := minio.Core{Client: raw}
	id, err := core.NewMultipartUpload(ctx, cfg.Bucket, "DE-BE/control", minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for up := range raw.ListIncompleteUploads(ctx, cfg.Bucket, "", true) {
		seen = seen || up.UploadID == id
	}
	if !seen {
		t.Errorf("ListIncompleteUploads does not list upload %s, so the check above proves nothing", id)
	}
	if err := core.AbortMultipartUpload(ctx, cfg.Bucket, "DE-BE/control", id); err != nil {
		t.Error(err)
	}
}

type cancelAfter struct {
	r      io.Reader
	n      int
	after  int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n += n; c.n >= c.after {
		c.cancel()
	}
	return n, err
}

func TestObjectName(t *testing.T) {
	cfg := s3test.Start(t)
	s := mustOpen(t, cfg)
	ctx := context.Background()
	if err := s.Put(ctx, blob.Key{Tenant: "DE-RP", Name: "named"}, bytes.NewReader([]byte("x"))); err != nil {
		t.Fatal(err)
	}
	if _, err := rawClient(t, cfg).StatObject(ctx, cfg.Bucket, "DE-RP/named", minio.StatObjectOptions{}); err != nil {
		t.Errorf("StatObject(DE-RP/named) = %v, want the object there", err)
	}
}

// TestWrongSecret makes sure the server really checks SigV4 signatures, so
// that the other tests mean something.
func TestWrongSecret(t *testing.T) {
	cfg := s3test.Start(t)
	good := mustOpen(t, cfg)
	ctx := context.Background()
	key := blob.Key{Tenant: "DE-TH", Name: "secret"}
	if err := good.Put(ctx, key, bytes.NewReader([]byte("vertraulich"))); err != nil {
		t.Fatal(err)
	}

	bad := cfg
	bad.SecretKey += "x"
	if _, err := s3blob.Open(ctx, bad); err == nil {
		t.Fatal("Open with a wrong secret key succeeded")
	}
	bad.Bucket = "otherbucket"
	if _, err := s3blob.Open(ctx, bad); err == nil {
		t.Fatal("Open with a wrong secret key created a bucket")
	}

	raw := rawClient(t, bad)
	core := minio.Core{Client: raw}
	if _, _, _, err := core.GetObject(ctx, cfg.Bucket, "DE-TH/secret", minio.GetObjectOptions{}); err == nil {
		t.Error("GetObject with a wrong secret key succeeded")
	} else if code := minio.ToErrorResponse(err).Code; code != "SignatureDoesNotMatch" {
		t.Errorf("GetObject with a wrong secret key: error code %q, want SignatureDoesNotMatch", code)
	}
	if _, err := raw.PutObject(ctx, cfg.Bucket, "DE-TH/forged", bytes.NewReader([]byte("x")), 1, minio.PutObjectOptions{}); err == nil {
		t.Error("PutObject with a wrong secret key succeeded")
	}
	if _, err := good.Stat(ctx, blob.Key{Tenant: "DE-TH", Name: "forged"}); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Stat(forged) = %v, want errs.ErrNotFound", err)
	}
}

func TestOpenInvalid(t *testing.T) {
	ctx := context.Background()
	valid := s3blob.Config{Endpoint: "127.0.0.1:1", Bucket: "b", AccessKey: "a", SecretKey: "s"}
	tests := []func(*s3blob.Config){
		func(c *s3blob.Config) { c.Endpoint = "" },
		func(c *s3blob.Config) { c.Bucket = "" },
		func(c *s3blob.Config) { c.AccessKey = "" },
		func(c *s3blob.Config) { c.SecretKey = "" },
		func(c *s3blob.Config) { c.PartSize = 1 << 20 },
		func(c *s3blob.Config) { c.PartSize = 6 << 30 },
	}
	for i, mutate := range tests {
		cfg := valid
		mutate(&cfg)
		if _, err := s3blob.Open(ctx, cfg); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("case %d: Open(%+v) error = %v, want errs.ErrInvalid", i, cfg, err)
		}
	}
}
