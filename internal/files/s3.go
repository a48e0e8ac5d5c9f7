package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3Config selects a bucket on an S3-compatible server.
type S3Config struct {
	// Endpoint is the server's base URL, such as "http://127.0.0.1:7070"; empty means AWS.
	Endpoint string
	// Region signs requests; empty means "us-east-1".
	Region string
	// Bucket holds the blobs; NewS3 creates it when it is missing.
	Bucket string
	// AccessKey and SecretKey are static credentials; an empty AccessKey sends
	// unsigned (anonymous) requests.
	AccessKey, SecretKey string
	// Prefix is put verbatim before every key ("t/" gives "t/blobs/ab/abcdef…").
	Prefix string
	// PathStyle addresses the bucket as endpoint/bucket instead of bucket.endpoint,
	// which most self-hosted S3-compatible servers need.
	PathStyle bool
}

// S3 keeps blobs in a bucket of an S3-compatible server as Prefix+"blobs/ab/abcdef…".
// A Put spools to a local temp file first, so it knows hash and size before anything is
// sent, and a single PutObject makes the blob visible all at once or not at all.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string
	spool  *spooler // spool files in os.TempDir, named stshub-s3-put-…
}

// NewS3 connects to cfg's server and makes sure its bucket exists, creating it when missing.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3 files: no bucket configured")
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	opts := s3.Options{
		Region:                     region,
		UsePathStyle:               cfg.PathStyle,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	if cfg.AccessKey != "" {
		opts.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	}
	s := &S3{client: s3.New(opts), bucket: cfg.Bucket, prefix: cfg.Prefix, spool: newSpooler("stshub-s3-")}
	if err := s.ensureBucket(ctx, region); err != nil {
		return nil, fmt.Errorf("s3 files: bucket %q: %w", cfg.Bucket, err)
	}
	return s, nil
}

// ensureBucket checks the bucket with HeadBucket and creates it when it is missing.
func (s *S3) ensureBucket(ctx context.Context, region string) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	if !isNotFound(err) && apiCode(err) != "NoSuchBucket" {
		return err
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(s.bucket)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(region),
		}
	}
	_, err = s.client.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) && apiCode(err) != "BucketAlreadyOwnedByYou" {
		return fmt.Errorf("create: %w", err)
	}
	return nil
}

func (s *S3) key(sha string) string {
	return s.prefix + "blobs/" + sha[:2] + "/" + sha
}

// Put spools r to a local temp file while hashing it, then uploads it under its hash
// unless a blob with that hash is already stored. The temp file is always removed.
func (s *S3) Put(ctx context.Context, r io.Reader, maxBytes int64) (Blob, error) {
	return s.PutHeld(ctx, r, maxBytes, nil)
}

// PutHeld is Put calling hold once the spool file is complete, before it asks whether the
// blob is already stored.
func (s *S3) PutHeld(ctx context.Context, r io.Reader, maxBytes int64, hold func(Blob) error) (Blob, error) {
	tmp, err := s.spool.create(os.TempDir())
	if err != nil {
		return Blob{}, fmt.Errorf("put: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	blob, err := copyHashed(tmp, contextReader{ctx, r}, maxBytes)
	if err != nil {
		return Blob{}, err
	}
	if hold != nil {
		if err := hold(blob); err != nil {
			return Blob{}, err
		}
	}
	exists, err := s.Exists(ctx, blob.SHA256)
	if err != nil {
		return Blob{}, fmt.Errorf("put: %w", err)
	}
	if exists {
		return blob, nil
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return Blob{}, fmt.Errorf("put: rewind: %w", err)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.key(blob.SHA256)),
		Body:          tmp,
		ContentLength: aws.Int64(blob.Size),
		ContentType:   aws.String("application/octet-stream"),
	})
	if err != nil {
		return Blob{}, fmt.Errorf("put: upload: %w", err)
	}
	return blob, nil
}

// Open returns a stored blob. Reading it fetches the bytes from the current offset on
// (a ranged GetObject) with ctx, so ctx must outlive the Object.
func (s *S3) Open(ctx context.Context, sha string) (Object, error) {
	if err := checkHash(sha); err != nil {
		return nil, err
	}
	key := s.key(sha)
	head, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return nil, ErrNotExist
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &s3Object{ctx: ctx, client: s.client, bucket: s.bucket, key: key, size: aws.ToInt64(head.ContentLength)}, nil
}

// Delete removes a blob; an unknown one is not an error.
func (s *S3) Delete(ctx context.Context, sha string) error {
	if err := checkHash(sha); err != nil {
		return err
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.key(sha))})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// Exists reports whether a blob is stored.
func (s *S3) Exists(ctx context.Context, sha string) (bool, error) {
	if err := checkHash(sha); err != nil {
		return false, err
	}
	_, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.key(sha))})
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob exists: %w", err)
	}
	return true, nil
}

// List pages through the keys under Prefix+"blobs/" (1000 a request, S3's page).
func (s *S3) List(ctx context.Context, fn func(Stored) error) error {
	root := s.prefix + "blobs/"
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(root)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		for _, o := range page.Contents {
			key := strings.TrimPrefix(aws.ToString(o.Key), root)
			fan, sha, ok := strings.Cut(key, "/")
			if !ok || checkHash(sha) != nil || fan != sha[:2] {
				continue
			}
			if err := fn(Stored{SHA256: sha, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// RemoveStaleSpool removes the leftovers of dead processes from os.TempDir.
func (s *S3) RemoveStaleSpool(context.Context) (int, error) {
	return s.spool.removeStale(os.TempDir(), time.Now())
}

// isNotFound recognises a missing object however the server or SDK spells it: HEAD
// responses have no body, so the SDK reports a bare "NotFound"; GET carries "NoSuchKey".
// (A HEAD on a missing bucket is a bare 404 too, so it cannot be told apart here.)
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	var nf *types.NotFound
	var nsk *types.NoSuchKey
	if errors.As(err, &nf) || errors.As(err, &nsk) {
		return true
	}
	switch apiCode(err) {
	case "NotFound", "NoSuchKey":
		return true
	}
	return false
}

// apiCode is the S3 error code in err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

var _ Store = (*S3)(nil)
