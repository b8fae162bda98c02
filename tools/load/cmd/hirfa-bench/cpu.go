package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/PID/stat; it
// is 100 on every Linux architecture Go supports.
const clockTicks = 100

// procGroup is a set of processes whose CPU time is summed: one service,
// or a PostgreSQL server (postmaster and its children).
type procGroup struct {
	name     string
	pid      int  // the process, or the postmaster
	children bool // include the direct children of pid
}

// cpuTime returns the user+system CPU time of pid, or of pid and its direct
// children.
func cpuTime(g procGroup) (time.Duration, error) {
	ticks, _, err := statTicks(g.pid)
	if err != nil {
		return 0, err
	}
	if g.children {
		dirs, _ := filepath.Glob("/proc/[0-9]*")
		for _, d := range dirs {
			pid, err := strconv.Atoi(filepath.Base(d))
			if err != nil || pid == g.pid {
				continue
			}
			t, ppid, err := statTicks(pid)
			if err == nil && ppid == g.pid {
				ticks += t
			}
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// statTicks reads utime+stime and the parent pid from /proc/PID/stat.
func statTicks(pid int) (ticks int64, ppid int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	// Fields after the parenthesised command name: state ppid … utime(14) stime(15).
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("parse /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("parse /proc/%d/stat", pid)
	}
	ppid, _ = strconv.Atoi(f[1])
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st, ppid, nil
}

// machineBusy returns the machine's busy and total CPU time so far, from
// /proc/stat (all cores).
func machineBusy() (busy, total time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("parse /proc/stat")
	}
	var sum, idle int64
	for i, x := range f[1:] {
		n, _ := strconv.ParseInt(x, 10, 64)
		sum += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	tick := time.Second / clockTicks
	return time.Duration(sum-idle) * tick, time.Duration(sum) * tick, nil
}

// readPid reads a pid file written by deploy/local/up.sh.
func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// postmaster finds the PostgreSQL server process behind dsn: the parent of
// the backend serving a fresh connection.
func postmaster(ctx context.Context, dsn string) (int, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	_, ppid, err := statTicks(backend)
	if err != nil {
		return 0, fmt.Errorf("postgres backend %d is not on this machine: %w", backend, err)
	}
	return ppid, nil
}

// pgProcess is one PostgreSQL server process as pg_stat_activity shows it.
type pgProcess struct {
	label string // the database of a client backend, else the process's type
	ticks int64
}

// pgProcesses reads the CPU time of each process of the PostgreSQL server
// behind dsn, labelled by database or process type, so that the server's
// CPU per request can be split between the services' databases (a create's
// own statement, the relay marking it published, the consumers applying it)
// and the server's own writers. The connection asking is left out.
func pgProcesses(ctx context.Context, dsn string) (map[int]pgProcess, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid, coalesce(datname, ''), coalesce(backend_type, '') FROM pg_stat_activity WHERE pid <> pg_backend_pid()`)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	defer rows.Close()
	out := map[int]pgProcess{}
	for rows.Next() {
		var pid int
		var db, typ string
		if err := rows.Scan(&pid, &db, &typ); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		ticks, _, err := statTicks(pid)
		if err != nil {
			continue // ended meanwhile
		}
		label := typ
		if typ == "client backend" {
			label = db
		}
		out[pid] = pgProcess{label: label, ticks: ticks}
	}
	return out, rows.Err()
}

// pgSplit is the CPU time each label's processes spent between two
// pgProcesses readings; a process started meanwhile counts from its start,
// one that ended meanwhile is lost (pools keep their connections).
func pgSplit(before, after map[int]pgProcess) map[string]time.Duration {
	out := map[string]time.Duration{}
	for pid, p := range after {
		out[p.label] += time.Duration(p.ticks-before[pid].ticks) * time.Second / clockTicks
	}
	return out
}
