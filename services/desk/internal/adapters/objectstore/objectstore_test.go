package objectstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/hirfa/hirfa/pkg/fault"
)

type store interface {
	Put(ctx context.Context, key string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// TestStores runs the same checks on the local folder and on a real
// S3-compatible server (versitygw, built by tools/dev/s3.sh and started on
// a free loopback port): a put is read back whole, a missing object is
// NotFound, a delete is idempotent, and keys outside the service's form
// (a path escape among them) are refused before reaching the store.
func TestStores(t *testing.T) {
	ctx := context.Background()
	for name, open := range map[string]func(t *testing.T) store{
		"local": func(t *testing.T) store { return Local{Root: t.TempDir()} },
		"s3":    func(t *testing.T) store { return startS3(t) },
	} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			content := bytes.Repeat([]byte("%PDF-1.7 statuts "), 50_000) // ~850 KB, several parts
			if err := s.Put(ctx, "fes-meknes/d1", bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			r, err := s.Open(ctx, "fes-meknes/d1")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read back %d bytes, %v", len(got), err)
			}
			if _, err := s.Open(ctx, "fes-meknes/missing"); !fault.Is[*fault.NotFoundError](err) {
				t.Fatalf("missing object: %v", err)
			}
			for _, key := range []string{"../etc/passwd", "fes-meknes/../../x", "Fes/d1", "fes-meknes/", "fes-meknes/d1/x"} {
				if err := s.Put(ctx, key, strings.NewReader("x")); err == nil {
					t.Errorf("key %q accepted", key)
				}
			}
			if err := s.Delete(ctx, "fes-meknes/d1"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, "fes-meknes/d1"); err != nil {
				t.Fatalf("second delete: %v", err)
			}
			if _, err := s.Open(ctx, "fes-meknes/d1"); !fault.Is[*fault.NotFoundError](err) {
				t.Fatalf("deleted object: %v", err)
			}
		})
	}
}

// startS3 starts versitygw over a fresh folder and returns the S3 store on
// a new bucket. It fails (never skips) when the server cannot be built or
// started.
func startS3(t *testing.T) *S3 {
	t.Helper()
	out, err := exec.Command("bash", "../../../../../tools/dev/s3.sh").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("tools/dev/s3.sh: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("tools/dev/s3.sh: %v", err)
	}
	bin := strings.TrimSpace(string(out))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "--access", "hirfa-test", "--secret", "hirfa-test-secret", "--port", addr, "posix", dir)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("versitygw:\n%s", logs.String())
		}
	})
	c, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4("hirfa-test", "hirfa-test-secret", ""), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var made error
	for range 100 { // until the server listens (start-up, not a timed assertion)
		if made = c.MakeBucket(ctx, "hirfa-desk", minio.MakeBucketOptions{Region: "us-east-1"}); made == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if made != nil {
		t.Fatalf("versitygw at %s: %v", addr, made)
	}
	s, err := NewS3(ctx, S3Options{Endpoint: "http://" + addr, Bucket: "hirfa-desk", AccessKey: "hirfa-test", SecretKey: "hirfa-test-secret", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
