package store

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// checkpointDelay is how long the checkpointer lets commits gather after the first one it
// is told of, so that one checkpoint copies the pages of many transactions.
const checkpointDelay = 50 * time.Millisecond

// WALBound is the size SQLite's write-ahead log is held to. Above it the checkpointer
// truncates the log even under load; once writes pause for quietAfter it truncates the
// log to nothing; and the writer, starting the log over, cuts it to this size
// (journal_size_limit). The log passes the bound only by what is written during one
// round: a truncating checkpoint's wait for readers (truncateWait), or its back-off
// after one gave up (truncateBackoff).
const WALBound = 64 << 20

// quietAfter is how long without a commit counts as writes having eased.
const quietAfter = time.Second

// truncateWait bounds how long a truncating checkpoint waits for readers still on older
// pages of the log; meanwhile it holds new writes back. The product's reads take
// milliseconds; a long one (a backup reading every table) makes the checkpoint give up,
// and truncateBackoff passes before the next try, so writes are held back at most
// truncateWait in every truncateBackoff while it lasts.
const (
	truncateWait    = time.Second
	truncateBackoff = 2 * time.Second
)

// checkpointer copies committed pages from SQLite's write-ahead log into the database file
// on a connection of its own. SQLite's automatic checkpoint (off on the writer) runs inside
// the commit that crosses its threshold: it copies a thousand pages and fsyncs twice while
// every queued write waits for the one writer. A PASSIVE checkpoint on another connection
// does the same work beside the writer, which goes on appending to the log meanwhile.
//
// A PASSIVE checkpoint never waits, so under steady load, with readers always on some
// older page, it never copies the whole log and the log never starts over: it would grow
// without end. So the checkpointer of a process that writes also truncates the log
// (TRUNCATE: wait for readers, copy everything, cut the file to zero) when it passes
// WALBound and when writes ease. A process that only reads (stshub backup beside a
// server) leaves truncating to the writer's.
//
// A checkpoint that fails (the disk is full, say) loses nothing: the pages stay in the log,
// where readers find them, and the next checkpoint copies them.
type checkpointer struct {
	conn    *sql.DB
	walPath string
	// truncateAbove is WALBound; a test lowers it to reach it quickly.
	truncateAbove int64
	wake          chan struct{} // a commit happened; buffered, one pending wake is enough
	stop          chan struct{}
	done          chan struct{}
}

func newCheckpointer(conn *sql.DB, walPath string) *checkpointer {
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	c := &checkpointer{conn: conn, walPath: walPath, truncateAbove: WALBound,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// committed tells the checkpointer that the log grew. It never blocks.
func (c *checkpointer) committed() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// checkpointEvery bounds the time between checkpoints for writes that do not go through
// InTx (migrations, the job queue's own statements), which do not wake the checkpointer.
const checkpointEvery = 5 * time.Second

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	quiet := time.NewTimer(quietAfter)
	defer quiet.Stop()
	wrote := false // this process committed since the log was last truncated
	var retryAt time.Time
	truncate := func() {
		if !wrote || time.Now().Before(retryAt) {
			return
		}
		if c.checkpoint("TRUNCATE") {
			wrote = false
		} else {
			retryAt = time.Now().Add(truncateBackoff)
		}
	}
	for {
		select {
		case <-c.stop:
			return
		case <-quiet.C:
			if c.walSize() > 0 {
				truncate()
			}
			continue
		case <-c.wake:
			wrote = true
		case <-tick.C:
		}
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointDelay):
		}
		c.checkpoint("PASSIVE")
		if c.walSize() > c.truncateAbove {
			truncate()
		}
		quiet.Reset(quietAfter)
	}
}

// checkpoint runs one checkpoint of mode and reports whether it completed: copied the
// whole log, and for TRUNCATE cut it to zero. A failure is harmless (see the type's comment).
func (c *checkpointer) checkpoint(mode string) bool {
	var busy, logFrames, copied int
	err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &logFrames, &copied)
	return err == nil && busy == 0
}

// walSize is the size of the log file (0 when it is missing).
func (c *checkpointer) walSize() int64 {
	st, err := os.Stat(c.walPath)
	if err != nil {
		return 0
	}
	return st.Size()
}

// close stops the checkpointer and closes its connection (SQLite checkpoints the whole
// log when the database's last connection closes).
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
