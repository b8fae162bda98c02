package objectstore

import (
	"context"
	"fmt"
	"io"
	"net/url"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/hirfa/hirfa/pkg/fault"
)

// S3 stores objects in a bucket of an S3-compatible object store (the
// production store), through the MinIO client.
type S3 struct {
	client *minio.Client
	bucket string
}

// S3Options say where the bucket is and how to sign.
type S3Options struct {
	// Endpoint is the store's URL, e.g. https://s3.example.ma or
	// http://127.0.0.1:7070 (http only for a loopback test server).
	Endpoint  string
	Bucket    string
	AccessKey string
	SecretKey string
	Region    string
}

// NewS3 connects (lazily) to the store and checks the bucket exists.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	u, err := url.Parse(o.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("objectstore: S3 endpoint %q is not an http(s) URL", o.Endpoint)
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:  credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure: u.Scheme == "https", Region: o.Region,
	})
	if err != nil {
		return nil, err
	}
	ok, err := c.BucketExists(ctx, o.Bucket)
	if err != nil {
		return nil, fmt.Errorf("objectstore: S3 bucket %s: %w", o.Bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("objectstore: S3 bucket %s does not exist", o.Bucket)
	}
	return &S3{client: c, bucket: o.Bucket}, nil
}

// Put stores r under key; an S3 PUT is atomic (the object appears whole).
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if !keyRe.MatchString(key) {
		return fmt.Errorf("objectstore: invalid key %q", key)
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, r, -1, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	return err
}

// Open reads the object under key.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !keyRe.MatchString(key) {
		return nil, fmt.Errorf("objectstore: invalid key %q", key)
	}
	o, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := o.Stat(); err != nil {
		o.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, fault.NotFound(key)
		}
		return nil, err
	}
	return o, nil
}

// Delete removes the object under key; a missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !keyRe.MatchString(key) {
		return fmt.Errorf("objectstore: invalid key %q", key)
	}
	return s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
}
