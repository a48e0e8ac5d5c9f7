package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one prepared statement per query text for a pool, so that SQLite parses
// and plans each of the store's queries once per connection instead of on every call
// (database/sql keeps no statements of its own; the parser was a quarter of the CPU of a
// write). PostgreSQL needs none: pgx caches prepared statements per connection itself.
//
// A *sql.Stmt prepares itself again on any other connection of its pool, and
// Tx.StmtContext reuses the one prepared on the transaction's connection. Preparing a new
// statement needs a free connection, which a transaction on the single SQLite writer
// holds: a query first seen inside a transaction runs unprepared and is noted, and is
// prepared once the transaction has ended (see DB.InTx).
//
// Safe because the store never runs a query while the rows of the same query text are
// still open on the same connection (collect reads every row before anything else runs),
// which a statement shared on one connection could not survive.
type stmtCache struct {
	pool  *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxCachedStatements bounds the cache: query texts are a fixed set but for a few whose
// IN lists vary in length, and those beyond the bound simply run unprepared.
const maxCachedStatements = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: make(map[string]*sql.Stmt)}
}

// get returns the prepared statement for query, or nil when there is none yet.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// prepare prepares query on the pool and keeps it. It needs a free connection of the pool.
// A failure is not an error for the caller: the query runs unprepared and reports its own.
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	if st := c.get(query); st != nil {
		return st
	}
	c.mu.RLock()
	full := len(c.stmts) >= maxCachedStatements
	c.mu.RUnlock()
	if full {
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, ok := c.stmts[query]; ok { // prepared meanwhile by another caller
		_ = st.Close()
		return kept
	}
	c.stmts[query] = st
	return st
}

// close closes every statement; the pool is closed after it.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, q)
	}
}
