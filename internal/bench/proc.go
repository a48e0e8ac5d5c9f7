package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// memStat is the process's resident memory from /proc/self/status, in bytes: VmRSS now
// and VmHWM, the highest it has been (since start, or since resetHWM). Zero where /proc is
// not available.
type memStat struct {
	RSS, HWM int64
}

func readMem() memStat {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return memStat{}
	}
	var m memStat
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Bytes()
		var dst *int64
		switch {
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			dst = &m.RSS
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			dst = &m.HWM
		default:
			continue
		}
		fields := bytes.Fields(line)
		if len(fields) >= 2 {
			if kb, err := strconv.ParseInt(string(fields[1]), 10, 64); err == nil {
				*dst = kb << 10
			}
		}
	}
	return m
}

// resetHWM makes VmHWM start again from the current RSS (Linux: "5" > /proc/self/clear_refs),
// so the peak reported covers the load only, not the seeding before it. It reports whether
// that worked.
func resetHWM() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// machineBusy is the CPU time every process on the machine has used so far (the busy
// jiffies of /proc/stat's "cpu" line), or false where that is not available.
func machineBusy() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	fields := bytes.Fields(line)
	if len(fields) < 5 || string(fields[0]) != "cpu" {
		return 0, false
	}
	var busy int64
	for i, f := range fields[1:] {
		v, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil {
			return 0, false
		}
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already counted in user time
			break
		}
		busy += v
	}
	const userHZ = 100 // USER_HZ, the unit of /proc/stat on Linux
	return time.Duration(busy) * time.Second / userHZ, true
}

// processCPU is the CPU time (user + system) used so far by every process whose command
// name is comm (the PostgreSQL server's processes are all "postgres"), from /proc/*/stat.
// A process that exited in between takes its time with it; PostgreSQL's backends live as
// long as the pool's connections.
func processCPU(comm string) (time.Duration, bool) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(stats) == 0 {
		return 0, false
	}
	var ticks int64
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		open, close := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
		if open < 0 || close < open || string(data[open+1:close]) != comm {
			continue
		}
		// After the command: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt,
		// majflt, cmajflt, utime, stime.
		fields := bytes.Fields(data[close+1:])
		if len(fields) < 13 {
			continue
		}
		u, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
		s, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
		if err1 == nil && err2 == nil {
			ticks += u + s
		}
	}
	const userHZ = 100
	return time.Duration(ticks) * time.Second / userHZ, true
}
