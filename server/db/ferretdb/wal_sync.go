package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// With synchronous=NORMAL in WAL mode SQLite does not fsync the write-ahead log at every commit, only
// at checkpoints: a process that dies loses nothing (the operating system holds the writes), but a power
// loss or an operating-system crash could take back commits not yet on disk. walSyncer bounds that
// window the way a standalone mongod's journal does with its group commit: every interval it fsyncs
// each write-ahead log that may have been written since its last sync began. SQLite's WAL checksums
// keep the database consistent either way.
type walSyncer struct {
	dir    string
	logger *slog.Logger
	// When the last sync of each log began.
	synced map[string]time.Time
	sync   func(path string) error
	now    func() time.Time
}

// modTimeSlack covers file systems whose modification times come from a coarse clock, a tick behind
// the real time: a write landing just after a sync began can carry a time from before it. A log is
// therefore synced again on every pass until its last write is this much older than the last sync.
const modTimeSlack = time.Second

func newWALSyncer(dir string, logger *slog.Logger) *walSyncer {
	return &walSyncer{dir: dir, logger: logger, synced: map[string]time.Time{}, sync: syncFile, now: time.Now}
}

// run syncs every interval until ctx ends, then once more.
func (w *walSyncer) run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			w.pass()
			return
		case <-ticker.C:
			w.pass()
		}
	}
}

func (w *walSyncer) pass() {
	files, _ := filepath.Glob(filepath.Join(w.dir, "*.sqlite-wal"))
	seen := map[string]bool{}
	for _, file := range files {
		seen[file] = true
		info, err := os.Stat(file)
		if err != nil {
			continue
		}
		if last, ok := w.synced[file]; ok && info.ModTime().Before(last.Add(-modTimeSlack)) {
			continue
		}
		began := w.now()
		if err := w.sync(file); err != nil {
			w.logger.Warn("could not sync the write-ahead log", "file", file, "error", err)
			continue
		}
		w.synced[file] = began
	}
	forgetUnseen(w.synced, seen)
}

// syncFile flushes a file's written pages to disk; fsync acts on the file, whichever descriptor asks.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
