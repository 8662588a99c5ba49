package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func newCountingSyncer(t *testing.T, dir string, clock *time.Time) (*walSyncer, *[]string) {
	t.Helper()
	w := newWALSyncer(dir, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	var synced []string
	w.sync = func(path string) error {
		synced = append(synced, filepath.Base(path))
		return syncFile(path)
	}
	w.now = func() time.Time { return *clock }
	return w, &synced
}

func write(t *testing.T, file string, content string, modTime time.Time) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file, modTime, modTime); err != nil {
		t.Fatal(err)
	}
}

// syncedOnce: a log last written a minute ago beside its database file, after the syncer's first pass.
func syncedOnce(t *testing.T) (*walSyncer, *[]string, string, *time.Time) {
	t.Helper()
	dir := t.TempDir()
	wal := filepath.Join(dir, "school.sqlite-wal")
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	write(t, wal, "frame 1", clock.Add(-time.Minute))
	write(t, filepath.Join(dir, "school.sqlite"), "pages", clock.Add(-time.Minute)) // SQLite syncs the database file itself at checkpoints
	w, synced := newCountingSyncer(t, dir, &clock)
	w.pass()
	if len(*synced) != 1 || (*synced)[0] != "school.sqlite-wal" {
		t.Fatalf("expected the write-ahead log synced once and nothing else, got %v", *synced)
	}
	return w, synced, wal, &clock
}

func TestWALSyncerSyncsWrittenLogsAndLeavesQuietOnesAlone(t *testing.T) {
	w, synced, wal, clock := syncedOnce(t)

	*clock = clock.Add(100 * time.Millisecond)
	w.pass()
	if len(*synced) != 1 {
		t.Fatalf("a log not written for a minute was synced again: %v", *synced)
	}

	write(t, wal, "frame 1, frame 2", *clock)
	*clock = clock.Add(100 * time.Millisecond)
	w.pass()
	if len(*synced) != 2 {
		t.Fatalf("a log written after its last sync was not synced: %v", *synced)
	}
}

// A write landing just after a sync began may carry a modification time from before it (a coarse clock):
// that write must still be synced on a later pass.
func TestWALSyncerSyncsAWriteStampedJustBeforeTheLastSyncBegan(t *testing.T) {
	w, synced, wal, clock := syncedOnce(t)
	syncBegan := *clock

	write(t, wal, "frame 1, frame 2", syncBegan.Add(-4*time.Millisecond))
	*clock = clock.Add(100 * time.Millisecond)
	w.pass()
	if len(*synced) != 2 {
		t.Fatalf("a write stamped a tick before the last sync began was not synced: %v", *synced)
	}
}

func TestWALSyncerForgetsLogsThatAreGone(t *testing.T) {
	dir := t.TempDir()
	wal := filepath.Join(dir, "dropped.sqlite-wal")
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	write(t, wal, "frame 1", clock)
	w, _ := newCountingSyncer(t, dir, &clock)
	w.pass()
	if err := os.Remove(wal); err != nil {
		t.Fatal(err)
	}
	w.pass()
	if len(w.synced) != 0 {
		t.Fatalf("a removed log is still tracked: %v", w.synced)
	}
}
