package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// Prepared statements on SQLite's writer connection.
//
// Every write runs the same few statements over and over (a table's
// INSERT, the outbox's, the audit trail's, the request key's, the group's
// SAVEPOINT and RELEASE), and the driver parses each one anew whenever it
// is run without being prepared: on the single writer, where every write
// waits its turn, parsing was a tenth of a create's time. The writer's
// connection therefore keeps each write statement it ran prepared, keyed
// by its text, and runs it again from there. Only statements run to the
// end at once (Exec) are kept: a query's statement would stay busy while
// its rows are read, and the same query nested in that read would reuse
// it.

// maxCachedStmts bounds the statements one connection keeps: the write
// path's texts are a few dozen, but a statement built with a varying
// number of placeholders makes a new text each time.
const maxCachedStmts = 256

// stmtCacheConnector opens connections that keep their write statements
// prepared (stmtCacheConn).
type stmtCacheConnector struct{ driver.Connector }

// sqliteConn is what database/sql uses of a modernc.org/sqlite
// connection, all of which stmtCacheConn passes on, and the connection's
// counters (sqlite.DBStatus), which a caller reaches through Raw.
type sqliteConn interface {
	sqlite.DBStatus
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("sqlite: driver connection %T lacks an interface the writer needs", conn)
	}
	return &stmtCacheConn{sqliteConn: sc, stmts: map[string]driver.Stmt{}}, nil
}

// stmtCacheConn is a connection whose ExecContext runs each statement text
// from a statement prepared the first time. database/sql uses a
// connection from one goroutine at a time, so the map needs no lock.
type stmtCacheConn struct {
	sqliteConn
	stmts map[string]driver.Stmt
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	// A script of several statements (migrations) is run as is: the
	// driver parses it statement by statement every time anyway.
	if strings.Contains(query, ";") {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	s, ok := c.stmts[query]
	if !ok {
		var err error
		if s, err = c.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if _, ok := s.(driver.StmtExecContext); !ok {
			_ = s.Close()
			return c.sqliteConn.ExecContext(ctx, query, args)
		}
		if len(c.stmts) >= maxCachedStmts {
			for q, old := range c.stmts { // any one: the bound is a safety net
				_ = old.Close()
				delete(c.stmts, q)
				break
			}
		}
		c.stmts[query] = s
	}
	return s.(driver.StmtExecContext).ExecContext(ctx, args)
}

// Close finalises the kept statements before the connection: SQLite
// keeps a connection with unfinalised statements open.
func (c *stmtCacheConn) Close() error {
	for q, s := range c.stmts {
		_ = s.Close()
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}
