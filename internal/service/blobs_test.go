package service_test

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/files/filestest"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store/storetest"
	"github.com/stshub/stshub/internal/waitfor"
)

// forEachFileStore runs fn on every engine the machine offers, each with a local file
// folder and with an S3 bucket (versitygw; skipped without it).
func forEachFileStore(t *testing.T, fn func(t *testing.T, env *apptest.Env)) {
	for _, engine := range storetest.Engines() {
		for _, kind := range []string{"local", "s3"} {
			t.Run(engine+"/"+kind, func(t *testing.T) {
				var adjust []func(*config.Config)
				if kind == "s3" {
					s3, _ := filestest.StartVersityGW(t)
					adjust = append(adjust, func(c *config.Config) {
						c.S3 = config.S3Config{Endpoint: s3.Endpoint, Region: s3.Region, Bucket: s3.Bucket, AccessKey: s3.AccessKey,
							SecretKey: s3.SecretKey, Prefix: s3.Prefix, PathStyle: s3.PathStyle}
					})
				}
				fn(t, apptest.New(t, engine, adjust...))
			})
		}
	}
}

// uploadResult is what an upload run in the background answered.
type uploadResult struct {
	doc service.DocumentView
	err error
}

// pausedUpload starts an upload of data as the room's owner that stops between storing its
// blob and committing its version, and returns a function that lets it go on and returns
// its answer. Later uploads pass the seam unless onLater is set, which runs in their place.
func pausedUpload(t *testing.T, a accessRoom, data []byte, onLater func(ctx context.Context)) func() uploadResult {
	t.Helper()
	stored, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	service.SetAfterBlobStored(a.svc, func(ctx context.Context, _ string) {
		if calls.Add(1) == 1 {
			close(stored)
			<-release
			return
		}
		if onLater != nil {
			onLater(ctx)
		}
	})
	t.Cleanup(func() { service.SetAfterBlobStored(a.svc, nil) })
	done := make(chan uploadResult, 1)
	go func() {
		doc, err := a.svc.Upload(context.Background(), a.owner, a.room, service.UploadInput{TypeCode: "Q88", VesselID: a.vessel,
			Filename: "q88.pdf", File: bytes.NewReader(data)})
		done <- uploadResult{doc, err}
	}()
	<-stored
	return func() uploadResult {
		close(release)
		return <-done
	}
}

// readVersion downloads a version's file as its uploader.
func readVersion(t *testing.T, a accessRoom, doc service.DocumentView) ([]byte, error) {
	t.Helper()
	_, obj, err := a.svc.OpenVersion(t.Context(), a.owner, a.room, doc.ID, doc.Versions[0].ID)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	return io.ReadAll(obj)
}

// TestFailedUploadKeepsTheBlobOfAnother: two uploads of the same bytes are in flight; the
// second fails after storing its blob (its client goes away) while the first has not
// committed yet. The first is acknowledged, so its file must stay downloadable.
func TestFailedUploadKeepsTheBlobOfAnother(t *testing.T) {
	forEachFileStore(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		data := apptest.PDF("Q88 shared by two uploads")
		second, cancelSecond := context.WithCancel(t.Context())
		finish := pausedUpload(t, a, data, func(context.Context) { cancelSecond() })
		_, err := a.svc.Upload(second, a.owner, a.room, service.UploadInput{TypeCode: "Q88", VesselID: a.vessel,
			Filename: "q88.pdf", File: bytes.NewReader(data)})
		if err == nil {
			t.Fatal("the upload whose client went away succeeded")
		}
		first := finish()
		if first.err != nil {
			t.Fatalf("the first upload: %v", first.err)
		}
		got, err := readVersion(t, a, first.doc)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("the acknowledged upload's file: %d bytes, %v", len(got), err)
		}
		// Nor does the sweep take it, however old it gets.
		env.Advance(3 * service.BlobGrace)
		sweep(t, a.svc)
		if got, err := readVersion(t, a, first.doc); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after the sweep: %d bytes, %v", len(got), err)
		}
	})
}

// sweep runs the blob sweep until it gets its turn (the one at start may hold it).
func sweep(t *testing.T, svc *service.Service) service.SweepReport {
	t.Helper()
	var rep service.SweepReport
	waitfor.Until(t, "the sweep's turn", func() bool {
		var err error
		rep, err = svc.SweepBlobs(t.Context())
		if err != nil {
			t.Fatalf("sweep: %v", err)
		}
		return rep.Ran
	})
	return rep
}

// TestDeletedSnapshotKeepsTheBlobOfAnUpload: an upload of a snapshot's own file (the PDF,
// downloaded and filed as a document) is in flight while the snapshot is deleted. The
// upload is acknowledged, so the file must stay downloadable.
func TestDeletedSnapshotKeepsTheBlobOfAnUpload(t *testing.T) {
	forEachFileStore(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		ctx := t.Context()
		snap, err := a.svc.CreateSnapshot(ctx, a.broker, a.room, service.NewSnapshot{Type: service.SnapshotPDF})
		if err != nil {
			t.Fatal(err)
		}
		waitfor.Until(t, "the snapshot to complete", func() bool {
			s, err := a.svc.GetSnapshot(ctx, a.broker, a.room, snap.ID)
			return err == nil && s.Status == service.SnapshotCompleted
		})
		_, obj, err := a.svc.OpenSnapshotFile(ctx, a.broker, a.room, snap.ID)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(obj)
		obj.Close()
		if err != nil {
			t.Fatal(err)
		}
		finish := pausedUpload(t, a, data, nil)
		if err := a.svc.DeleteSnapshot(ctx, a.broker, a.room, snap.ID); err != nil {
			t.Fatalf("delete the snapshot: %v", err)
		}
		upload := finish()
		if upload.err != nil {
			t.Fatalf("the upload: %v", upload.err)
		}
		got, err := readVersion(t, a, upload.doc)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("the acknowledged upload's file: %d bytes, %v", len(got), err)
		}
		env.Advance(3 * service.BlobGrace)
		sweep(t, a.svc)
		if got, err := readVersion(t, a, upload.doc); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after the sweep: %d bytes, %v", len(got), err)
		}
	})
}

// TestSweepCollectsWhatNothingKeeps: past the grace period the sweep deletes the blob of a
// failed upload and the file of a deleted snapshot, and keeps the blob of a version and
// the one an upload in flight holds. An upload whose hold expired before it committed
// fails rather than answer success for a file the sweep may have taken.
func TestSweepCollectsWhatNothingKeeps(t *testing.T) {
	forEachFileStore(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		ctx := t.Context()
		upload := func(ctx context.Context, title string) (service.DocumentView, error) {
			return a.svc.Upload(ctx, a.owner, a.room, service.UploadInput{TypeCode: "Q88", VesselID: a.vessel, Filename: "q88.pdf",
				File: bytes.NewReader(apptest.PDF(title))})
		}
		kept, err := upload(ctx, "kept: a version")
		if err != nil {
			t.Fatal(err)
		}
		failing, cancel := context.WithCancel(ctx)
		service.SetAfterBlobStored(a.svc, func(context.Context, string) { cancel() })
		if _, err := upload(failing, "orphan: a failed upload"); err == nil {
			t.Fatal("the failed upload succeeded")
		}
		service.SetAfterBlobStored(a.svc, nil)
		snap, err := a.svc.CreateSnapshot(ctx, a.broker, a.room, service.NewSnapshot{Type: service.SnapshotJSON})
		if err != nil {
			t.Fatal(err)
		}
		waitfor.Until(t, "the snapshot to complete", func() bool {
			s, err := a.svc.GetSnapshot(ctx, a.broker, a.room, snap.ID)
			return err == nil && s.Status == service.SnapshotCompleted
		})
		if err := a.svc.DeleteSnapshot(ctx, a.broker, a.room, snap.ID); err != nil {
			t.Fatal(err)
		}
		data := apptest.PDF("held: an upload in flight")
		finish := pausedUpload(t, a, data, nil)

		if rep := sweep(t, a.svc); rep.Deleted != 0 {
			t.Fatalf("within the grace period the sweep deleted %d blobs", rep.Deleted)
		}
		env.Advance(2 * service.BlobGrace)
		rep := sweep(t, a.svc)
		if rep.Listed != 4 || rep.Deleted != 2 {
			t.Fatalf("sweep listed %d, deleted %d; want 4 and 2 (the failed upload's and the deleted snapshot's)", rep.Listed, rep.Deleted)
		}
		if rep := sweep(t, a.svc); rep.Listed != 2 || rep.Deleted != 0 {
			t.Fatalf("second sweep listed %d, deleted %d; want 2 and 0", rep.Listed, rep.Deleted)
		}
		if got, err := readVersion(t, a, kept); err != nil || len(got) == 0 {
			t.Fatalf("the version's file: %d bytes, %v", len(got), err)
		}
		held := finish()
		if held.err != nil {
			t.Fatalf("the upload in flight: %v", held.err)
		}
		if got, err := readVersion(t, a, held.doc); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("the upload in flight's file: %d bytes, %v", len(got), err)
		}

		// A hold outlived: the sweep takes the blob, and the upload fails.
		finish = pausedUpload(t, a, apptest.PDF("stalled past its hold"), nil)
		env.Advance(24 * time.Hour)
		if rep := sweep(t, a.svc); rep.Deleted != 1 {
			t.Fatalf("the sweep deleted %d blobs, want the stalled upload's", rep.Deleted)
		}
		if stalled := finish(); stalled.err == nil {
			t.Fatal("an upload whose blob the sweep took after its hold expired succeeded")
		}
	})
}
