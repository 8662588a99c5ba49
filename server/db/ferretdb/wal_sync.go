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
// loss could take back commits the operating system had not yet written. walSyncer bounds that window
// the way MongoDB's journal does with its group commit: every interval it fsyncs each write-ahead log
// written since its last pass. SQLite's WAL checksums keep the database consistent either way.
type walSyncer struct {
	dir    string
	logger *slog.Logger
	synced map[string]time.Time
	sync   func(path string) error
}

func newWALSyncer(dir string, logger *slog.Logger) *walSyncer {
	return &walSyncer{dir: dir, logger: logger, synced: map[string]time.Time{}, sync: syncFile}
}

func (w *walSyncer) run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			w.pass() // what was committed before the stop is on disk when the launcher exits
			return
		case <-ticker.C:
			w.pass()
		}
	}
}

func (w *walSyncer) pass() {
	files, _ := filepath.Glob(filepath.Join(w.dir, "*.sqlite-wal"))
	for _, file := range files {
		info, err := os.Stat(file)
		if err != nil {
			continue
		}
		// The time is read before the sync: a write that lands during it changes the time again and is
		// synced on the next pass.
		if last, ok := w.synced[file]; ok && info.ModTime().Equal(last) {
			continue
		}
		if err := w.sync(file); err != nil {
			w.logger.Warn("could not sync the write-ahead log", "file", file, "error", err)
			continue
		}
		w.synced[file] = info.ModTime()
	}
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
