// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

// Package s3blob stores blobs in one bucket of an S3-compatible object store
// (versitygw, MinIO, Ceph RGW, AWS), using minio-go. Object names are
// "<tenant>/<name>".
//
// Put streams the reader as a multipart upload of unknown size with parts of
// Config.PartSize bytes, uploaded one after the other. A Put therefore holds
// one part buffer (16 MiB by default) and never more; minio-go's own default
// for unknown sizes would buffer about 512 MiB per upload. When the reader
// fails or ctx ends, minio-go aborts the multipart upload (with a context
// detached from the cancelled one), so no object and no parts are left.
package s3blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"justizcloud/blob"
	"justizcloud/errs"
	"justizcloud/tenancy"
)

var (
	_ blob.Store       = (*Store)(nil)
	_ blob.RangeGetter = (*Store)(nil)
	_ blob.Lister      = (*Store)(nil)
)

// DefaultPartSize is the multipart part size used when Config.PartSize is 0.
// With S3's limit of 10,000 parts it allows objects of up to 160 GiB.
const DefaultPartSize = 16 << 20

// S3 limits on the part size of a multipart upload.
const (
	minPartSize = 5 << 20
	maxPartSize = 5 << 30
)

// Config says where the bucket is and how to reach it.
type Config struct {
	Endpoint  string // host:port, without scheme
	Bucket    string // created by Open if missing
	AccessKey string
	SecretKey string
	Region    string // "" lets minio-go ask the server for the bucket's region
	UseTLS    bool
	PartSize  uint64 // bytes per multipart part (and memory per Put); 0 means DefaultPartSize; at least 5 MiB
}

// Store is a blob.Store on an S3 bucket. It is safe for concurrent use.
type Store struct {
	core     *minio.Core
	bucket   string
	partSize uint64
}

// Open connects to the server and creates the bucket if it does not exist.
// Wrong credentials make Open fail, because it talks to the server.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" || cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, fmt.Errorf("s3blob open: %w: endpoint, bucket, access key and secret key are required", errs.ErrInvalid)
	}
	partSize := cfg.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < minPartSize || partSize > maxPartSize {
		return nil, fmt.Errorf("s3blob open: %w: part size %d outside [%d, %d]", errs.ErrInvalid, partSize, minPartSize, maxPartSize)
	}
	core, err := minio.NewCore(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseTLS,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3blob open %s: %w", cfg.Endpoint, err)
	}
	exists, err := core.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3blob open: bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !exists {
		err := core.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region})
		if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
			return nil, fmt.Errorf("s3blob open: creating bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
		}
	}
	return &Store{core: core, bucket: cfg.Bucket, partSize: partSize}, nil
}

func objectName(key blob.Key) string { return string(key.Tenant) + "/" + key.Name }

// hangupReader keeps a reader's io.ErrUnexpectedEOF from being taken for the
// end of the content. minio-go reads parts with io.ReadFull and compares the
// error with io.ErrUnexpectedEOF, which it treats as a short last part; but
// an HTTP request body returns exactly that error when the client hangs up.
// Wrapped, the error no longer compares equal and fails the upload, while
// errors.Is still finds it.
type hangupReader struct{ r io.Reader }

func (h hangupReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = fmt.Errorf("reading the content: %w", err)
	}
	return n, err
}

// Put uploads r as a multipart upload of unknown size, one part at a time.
func (s *Store) Put(ctx context.Context, key blob.Key, r io.Reader) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("s3blob put: %w", err)
	}
	_, err := s.core.Client.PutObject(ctx, s.bucket, objectName(key), hangupReader{r}, -1, minio.PutObjectOptions{
		PartSize:    s.partSize,
		ContentType: "application/octet-stream",
		// With ConcurrentStreamParts minio-go would hold NumThreads part
		// buffers at once; off, it holds exactly one.
		ConcurrentStreamParts: false,
	})
	if err != nil {
		return s.wrap(ctx, "put", key, err)
	}
	return nil
}

// Get fetches the object. Unlike minio.Client.GetObject, which is lazy, the
// request is sent here, so a missing key is reported by Get.
func (s *Store) Get(ctx context.Context, key blob.Key) (io.ReadCloser, error) {
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("s3blob get: %w", err)
	}
	body, _, _, err := s.core.GetObject(ctx, s.bucket, objectName(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, s.wrap(ctx, "get", key, err)
	}
	return body, nil
}

// GetRange fetches a byte range with an HTTP Range request. Because S3
// answers 416 for a range that starts at the end of the object (and for any
// range of an empty object), that case is decided with a Stat.
func (s *Store) GetRange(ctx context.Context, key blob.Key, offset, length int64) (io.ReadCloser, error) {
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("s3blob get range: %w", err)
	}
	if offset < 0 {
		return nil, fmt.Errorf("s3blob get range %s: %w: negative offset %d", key, errs.ErrInvalid, offset)
	}
	if offset == 0 && length < 0 {
		return s.Get(ctx, key)
	}
	if length == 0 {
		return s.emptyRange(ctx, key, offset)
	}
	var opts minio.GetObjectOptions
	end := int64(0) // with offset > 0: to the end
	if length > 0 {
		end = offset + length - 1
	}
	if err := opts.SetRange(offset, end); err != nil {
		return nil, fmt.Errorf("s3blob get range %s: %w: %w", key, errs.ErrInvalid, err)
	}
	body, _, _, err := s.core.GetObject(ctx, s.bucket, objectName(key), opts)
	if err != nil {
		if minio.ToErrorResponse(err).Code == minio.InvalidRange {
			return s.emptyRange(ctx, key, offset)
		}
		return nil, s.wrap(ctx, "get range", key, err)
	}
	return body, nil
}

// emptyRange returns an empty reader if offset is within or at the end of
// the object, and an error otherwise.
func (s *Store) emptyRange(ctx context.Context, key blob.Key, offset int64) (io.ReadCloser, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	if offset > info.Size {
		return nil, fmt.Errorf("s3blob get range %s: %w: offset %d beyond size %d", key, errs.ErrInvalid, offset, info.Size)
	}
	return io.NopCloser(bytes.NewReader(nil)), nil
}

// Stat sends a HEAD request.
func (s *Store) Stat(ctx context.Context, key blob.Key) (blob.Info, error) {
	if err := key.Validate(); err != nil {
		return blob.Info{}, fmt.Errorf("s3blob stat: %w", err)
	}
	info, err := s.core.StatObject(ctx, s.bucket, objectName(key), minio.StatObjectOptions{})
	if err != nil {
		return blob.Info{}, s.wrap(ctx, "stat", key, err)
	}
	return blob.Info{Size: info.Size}, nil
}

// Delete removes the object; S3 itself treats a missing key as success.
func (s *Store) Delete(ctx context.Context, key blob.Key) error {
	if err := key.Validate(); err != nil {
		return fmt.Errorf("s3blob delete: %w", err)
	}
	err := s.core.RemoveObject(ctx, s.bucket, objectName(key), minio.RemoveObjectOptions{})
	if err != nil && !isNotFound(err) {
		return s.wrap(ctx, "delete", key, err)
	}
	return nil
}

// List implements blob.Lister with ListObjectsV2 on "<tenant>/<prefix>",
// following continuation tokens until the listing is complete. S3 (since
// December 2020) and versitygw list strongly consistently. The iterator form
// of minio-go's ListObjects is used so that returning early on an error
// leaks no goroutine.
func (s *Store) List(ctx context.Context, t tenancy.ID, prefix string) ([]string, error) {
	if err := blob.ValidatePrefix(t, prefix); err != nil {
		return nil, fmt.Errorf("s3blob list: %w", err)
	}
	dir := string(t) + "/"
	names := []string{}
	for obj := range s.core.Client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: dir + prefix, Recursive: true}) {
		if obj.Err != nil {
			if ctx.Err() != nil && !errors.Is(obj.Err, ctx.Err()) {
				return nil, fmt.Errorf("s3blob list %s%s*: %w (%w)", dir, prefix, ctx.Err(), obj.Err)
			}
			return nil, fmt.Errorf("s3blob list %s%s* in bucket %s: %w", dir, prefix, s.bucket, obj.Err)
		}
		// Skip what Put cannot have written (objects put by other clients).
		name, ok := strings.CutPrefix(obj.Key, dir)
		if ok && (blob.Key{Tenant: t, Name: name}).Validate() == nil {
			names = append(names, name)
		}
	}
	// minio-go ends the listing early and silently when ctx ends.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("s3blob list %s%s*: %w", dir, prefix, err)
	}
	slices.Sort(names) // S3 sorts already; other servers may not
	return names, nil
}

func isNotFound(err error) bool {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		return false
	}
	return resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket
}

// wrap translates minio-go errors at the driver edge: a missing object wraps
// errs.ErrNotFound, and an error caused by the end of ctx wraps ctx.Err()
// (minio-go sometimes reports a cancelled request in its own words).
func (s *Store) wrap(ctx context.Context, op string, key blob.Key, err error) error {
	switch {
	case isNotFound(err):
		return fmt.Errorf("s3blob %s %s: %w (%w)", op, key, errs.ErrNotFound, err)
	case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		return fmt.Errorf("s3blob %s %s: %w (%w)", op, key, ctx.Err(), err)
	default:
		return fmt.Errorf("s3blob %s %s in bucket %s: %w", op, key, s.bucket, err)
	}
}
