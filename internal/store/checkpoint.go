package store

import (
	"context"
	"database/sql"
	"time"
)

// checkpointDelay is how long the checkpointer lets commits gather after the first one it
// is told of, so that one checkpoint copies the pages of many transactions.
const checkpointDelay = 50 * time.Millisecond

// checkpointer copies committed pages from SQLite's write-ahead log into the database file
// on a connection of its own. SQLite's automatic checkpoint (off on the writer) runs inside
// the commit that crosses its threshold: it copies a thousand pages and fsyncs twice while
// every queued write waits for the one writer. A PASSIVE checkpoint on another connection
// does the same work beside the writer, which goes on appending to the log meanwhile.
//
// A checkpoint that fails (the disk is full, say) loses nothing: the pages stay in the log,
// where readers find them, and the next checkpoint copies them.
type checkpointer struct {
	conn *sql.DB
	wake chan struct{} // a commit happened; buffered, one pending wake is enough
	stop chan struct{}
	done chan struct{}
}

func newCheckpointer(conn *sql.DB) *checkpointer {
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	c := &checkpointer{conn: conn, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
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
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		case <-tick.C:
		}
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointDelay):
		}
		_, _ = c.conn.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`) // see the type's comment
	}
}

// close stops the checkpointer and closes its connection (SQLite checkpoints the whole
// log when the database's last connection closes).
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
