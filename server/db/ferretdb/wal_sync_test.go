package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWALSyncerSyncsWrittenLogsOnce(t *testing.T) {
	dir := t.TempDir()
	wal := filepath.Join(dir, "school.sqlite-wal")
	other := filepath.Join(dir, "school.sqlite") // the database file itself: SQLite syncs it at checkpoints
	for _, f := range []string{wal, other} {
		if err := os.WriteFile(f, []byte("frame 1"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w := newWALSyncer(dir, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	var synced []string
	w.sync = func(path string) error {
		synced = append(synced, filepath.Base(path))
		return syncFile(path)
	}

	w.pass()
	if len(synced) != 1 || synced[0] != "school.sqlite-wal" {
		t.Fatalf("expected the write-ahead log synced once and nothing else, got %v", synced)
	}
	first := w.synced[wal]

	w.pass()
	if len(synced) != 1 {
		t.Fatalf("an unchanged log was synced again: %v", synced)
	}

	later := first.Add(time.Second)
	if err := os.WriteFile(wal, []byte("frame 1, frame 2"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(wal, later, later); err != nil {
		t.Fatal(err)
	}
	w.pass()
	if len(synced) != 2 || !w.synced[wal].Equal(later) {
		t.Fatalf("a log written after its last sync was not synced again: %v", synced)
	}
}
