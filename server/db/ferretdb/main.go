// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol, SQLite storage)
// for the service's embedded-database mode and its tests.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "", "directory for the SQLite files (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitWithStdin := flag.Bool("exit-with-stdin", false, "stop when standard input closes (the parent process died)")
	synchronous := flag.String("synchronous", "full", "full: every commit is on disk before it is acknowledged; normal: commits reach the disk within about 100 ms")
	flag.Parse()

	if *synchronous != "full" && *synchronous != "normal" {
		fmt.Fprintf(os.Stderr, "ferretdb: -synchronous must be full or normal, got %q\n", *synchronous)
		os.Exit(2)
	}

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -data is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: cannot create data directory: %v\n", err)
		os.Exit(2)
	}

	unlock, holder := lockDataDir(*dataDir)
	if unlock == nil {
		fmt.Fprintf(os.Stderr, "ferretdb: data directory %s is already served by process %s\n", *dataDir, holder)
		os.Exit(exitDataDirLocked)
	}
	defer unlock()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	indexes := newIDIndexKeeper(*dataDir, logger)
	indexes.pass(ctx)
	go indexes.run(ctx, time.Second)
	// The syncer outlives the server: its last pass comes after FerretDB has finished its last command.
	syncCtx, stopSyncing := context.WithCancel(context.Background())
	walSynced := make(chan struct{})
	if *synchronous == "normal" {
		go func() {
			newWALSyncer(*dataDir, logger).run(syncCtx, 100*time.Millisecond)
			close(walSynced)
		}()
	} else {
		close(walSynced)
	}
	if *exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	// The listener is bound by New; connections queue until Run accepts them.
	fmt.Fprintf(os.Stdout, "Listening on TCP %s\n", *listen)
	err = f.Run(ctx)
	stopSyncing()
	<-walSynced
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

// exitDataDirLocked tells the parent that another process serves the same data directory.
const exitDataDirLocked = 3

// lockDataDir takes an exclusive advisory lock on <dir>/ferretdb.lock, released by the kernel when this
// process ends however it ends. It returns nil and the holder's pid when another process has the lock.
func lockDataDir(dir string) (unlock func(), holder string) {
	path := filepath.Join(dir, "ferretdb.lock")
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: cannot open %s: %v\n", path, err)
		os.Exit(2)
	}
	if err := syscall.Flock(int(file.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		content, _ := io.ReadAll(file)
		_ = file.Close()
		holder = strings.TrimSpace(string(content))
		if holder == "" {
			holder = "unknown"
		}
		return nil, holder
	}
	_ = file.Truncate(0)
	_, _ = file.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { _ = file.Close() }, ""
}
