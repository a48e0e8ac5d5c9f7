package backup_test

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/backup"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/waitfor"
)

// TestBackupKeepsTheFileOfASnapshotDeletedMeanwhile deletes a snapshot after the backup's
// consistent read and lets the sweep run past its grace period before the files are copied:
// the backup's holds keep the file, so the backup completes with the snapshot and its file,
// and once it has ended the sweep takes the file.
func TestBackupKeepsTheFileOfASnapshotDeletedMeanwhile(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		svc := env.App.Service()
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := env.Do(http.MethodPost, "/api/v1/rooms", broker, map[string]string{"title": "Hurd's Bank STS", "location": "Hurd's Bank",
			"sts_eta": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
		if room.Status != http.StatusCreated {
			t.Fatalf("create room: %d %s", room.Status, room.Body)
		}
		roomID := room.Map()["id"].(string)
		created := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/snapshots", broker, map[string]string{"snapshot_type": "csv"})
		if created.Status != http.StatusAccepted {
			t.Fatalf("snapshot: %d %s", created.Status, created.Body)
		}
		snapPath := "/api/v1/rooms/" + roomID + "/snapshots/" + created.Map()["id"].(string)
		var snap map[string]any
		waitfor.Until(t, "the snapshot to complete", func() bool {
			snap = env.Do(http.MethodGet, snapPath, broker, nil).Map()
			return snap["status"] == "completed"
		})
		sha := snap["sha256"].(string)

		restore := backup.SetAfterRead(func() {
			if res := env.Do(http.MethodDelete, snapPath, broker, nil); res.Status != http.StatusNoContent {
				t.Errorf("delete the snapshot during the backup: %d %s", res.Status, res.Body)
			}
			env.Advance(2 * service.BlobGrace)
			waitfor.Until(t, "the sweep's turn", func() bool {
				rep, err := svc.SweepBlobs(ctx)
				return err == nil && rep.Ran
			})
			if ok, _ := svc.FileExists(ctx, sha); !ok {
				t.Error("the sweep deleted the file of the snapshot the backup holds")
			}
		})
		defer restore()
		blobs, err := files.NewLocal(env.Config.FilesDir())
		if err != nil {
			t.Fatal(err)
		}
		archive := filepath.Join(t.TempDir(), "stshub.tar")
		if _, err := backup.Create(ctx, env.App.DB(), blobs, archive); err != nil {
			t.Fatalf("backup with a snapshot deleted during it: %v", err)
		}
		restore()

		tg := newTarget(t, env.Engine)
		if _, err := backup.Restore(ctx, tg.db, tg.files, archive, quiet); err != nil {
			t.Fatal(err)
		}
		if got, want := readBlob(t, tg.files, sha), readBlob(t, blobs, sha); !bytes.Equal(got, want) {
			t.Fatal("the restored snapshot file differs from the original")
		}
		// The backup's holds are gone with it: the deleted snapshot's file is the sweep's again.
		waitfor.Until(t, "the sweep's turn", func() bool {
			rep, err := svc.SweepBlobs(ctx)
			return err == nil && rep.Ran
		})
		if ok, _ := svc.FileExists(ctx, sha); ok {
			t.Fatal("the deleted snapshot's file outlived the backup that held it")
		}
	})
}
