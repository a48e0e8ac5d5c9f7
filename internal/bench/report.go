package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// Report is the outcome of a run.
type Report struct {
	Engine      string      `json:"engine"`
	GoVersion   string      `json:"go_version"`
	GOMAXPROCS  int         `json:"gomaxprocs"`
	NumCPU      int         `json:"num_cpu"`
	InProcess   bool        `json:"load_generator_in_process"`
	Concurrency int         `json:"concurrency"`
	Duration    string      `json:"duration_per_operation"`
	Seed        SeedCounts  `json:"seed"`
	LoginMs     float64     `json:"login_ms"`
	Results     []*Result   `json:"results"`
	Memory      Memory      `json:"memory"`
	Audit       *AuditCheck `json:"audit_verify,omitempty"`
}

// Result is one operation's figures.
type Result struct {
	Key        string  `json:"key"`
	Name       string  `json:"name"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"requests_per_second"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MeanMs     float64 `json:"mean_ms"`
	AvgKB      float64 `json:"avg_kb"`
	MBps       float64 `json:"mb_per_second,omitempty"`
	CPUPercent float64 `json:"cpu_percent_of_machine"`
	// DBCPUPercent is the machine's CPU the PostgreSQL server's processes used (PostgreSQL only).
	DBCPUPercent *float64 `json:"db_cpu_percent_of_machine,omitempty"`
	// OthersCPUPercent is the machine's CPU other processes used during the run: anything
	// above a few percent means the figures are not this process's alone.
	OthersCPUPercent *float64 `json:"others_cpu_percent_of_machine,omitempty"`
	RSSStartMiB      float64  `json:"rss_start_mib"`
	RSSPeakMiB       float64  `json:"rss_peak_mib"`
	RSSEndMiB        float64  `json:"rss_end_mib"`
	Reference        string   `json:"reference,omitempty"`
	Ratio            *float64 `json:"ratio,omitempty"`
	Target           string   `json:"target,omitempty"`
	Pass             *bool    `json:"pass,omitempty"`
	Note             string   `json:"note,omitempty"`
	Attempts         int      `json:"attempts,omitempty"` // runs made (more than one: the machine was busy)
}

// Memory is the resident memory of the process (server and load generator) around the
// load: "memory flat under load" means serving requests does not make it keep more.
type Memory struct {
	BeforeMiB  float64 `json:"rss_before_load_mib"`       // after a GC, with the seeded world in memory
	AfterMiB   float64 `json:"rss_after_load_mib"`        // right after the last operation
	AfterGCMiB float64 `json:"rss_after_load_and_gc_mib"` // after a GC: what the load left behind
	PeakMiB    float64 `json:"vmhwm_mib"`                 // highest RSS: the working set under load
	HWMReset   bool    `json:"vmhwm_reset_before_load"`   // false: the peak may be the seeding's
	Flat       bool    `json:"flat"`
	Rule       string  `json:"rule"`
}

// flatSlackMiB is how much more the process may keep after the load than before it and
// still count as flat (SQLite's page caches fill up as the load reads the database).
const flatSlackMiB = 32

func (m *Memory) judge() {
	m.Rule = fmt.Sprintf("RSS after the load and a GC ≤ RSS before it + %d MiB", flatSlackMiB)
	m.Flat = m.AfterGCMiB <= m.BeforeMiB+flatSlackMiB
}

// AuditCheck is the result of recomputing every audit chain after the run.
type AuditCheck struct {
	Chains  int     `json:"chains"`
	Entries int64   `json:"entries"`
	Seconds float64 `json:"seconds"`
	OK      bool    `json:"ok"`
	Error   string  `json:"error,omitempty"`
}

func numCPU() int { return max(1, runtime.NumCPU()) }

// busyOthersPercent is where other processes' CPU use makes a run's figures suspect.
const busyOthersPercent = 10

// Print writes the report as a table.
func (r *Report) Print(out io.Writer) {
	s := r.Seed
	fmt.Fprintf(out, "\nSTS Clearance Hub bench: %s, %s, GOMAXPROCS=%d (%d CPUs)\n", r.Engine, r.GoVersion, r.GOMAXPROCS, r.NumCPU)
	fmt.Fprintf(out, "load generator in-process with the server (they share the CPUs); %d connections, %s per operation\n",
		r.Concurrency, r.Duration)
	fmt.Fprintf(out, "seeded %d rooms, %d users, %d parties, %d vessels, %d documents, %d versions (%d blobs), %d audit entries\n",
		s.Rooms, s.Users, s.Parties, s.Vessels, s.Documents, s.Versions, s.Blobs, s.AuditEntries)
	fmt.Fprintf(out, "seeding: %d rows in %.1f s (%.0f rows/s); login (argon2id, default cost): %.0f ms\n\n",
		s.Rows, s.Seconds, s.RowsPerSec, r.LoginMs)

	header := []string{"operation", "req/s", "p50", "p99", "size", "CPU", "db", "others", "vs", "ratio", "target", "result"}
	rows := [][]string{header}
	for _, res := range r.Results {
		rate := fmt.Sprintf("%.0f", res.RPS)
		if res.MBps > 0 {
			rate = fmt.Sprintf("%.0f (%.0f MB/s)", res.RPS, res.MBps)
		}
		if res.Key == "pdf" {
			rate = "-"
		}
		cpu := "-"
		if res.CPUPercent > 0 {
			cpu = fmt.Sprintf("%.0f%%", res.CPUPercent)
		}
		db, others := "-", "-"
		if res.DBCPUPercent != nil {
			db = fmt.Sprintf("%.0f%%", *res.DBCPUPercent)
		}
		if res.OthersCPUPercent != nil {
			others = fmt.Sprintf("%.0f%%", *res.OthersCPUPercent)
		}
		ratio, vs := "-", "-"
		if res.Ratio != nil {
			ratio, vs = fmt.Sprintf("%.2f×", *res.Ratio), shortRef(res.Reference)
		}
		target, verdict := "-", "-"
		if res.Target != "" {
			target = res.Target
			verdict = "n/a"
			if res.Pass != nil {
				verdict = "FAIL"
				if *res.Pass {
					verdict = "pass"
				}
			}
		}
		if res.Errors > 0 {
			verdict += fmt.Sprintf(" (%d errors)", res.Errors)
		}
		rows = append(rows, []string{res.Name, rate, fmtMs(res.P50Ms), fmtMs(res.P99Ms), fmtKB(res.AvgKB), cpu, db, others, vs, ratio, target, verdict})
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for i, row := range rows {
		var b strings.Builder
		for j, c := range row {
			pad := widths[j] - len([]rune(c))
			if j >= 1 && j <= 7 || j == 9 { // numbers right-aligned
				b.WriteString(strings.Repeat(" ", pad) + c)
			} else {
				b.WriteString(c + strings.Repeat(" ", pad))
			}
			b.WriteString("  ")
		}
		fmt.Fprintln(out, strings.TrimRight(b.String(), " "))
		if i == 0 {
			var sep []string
			for _, w := range widths {
				sep = append(sep, strings.Repeat("-", w))
			}
			fmt.Fprintln(out, strings.Join(sep, "  "))
		}
	}
	fmt.Fprintf(out, "\nCPU: this process's share of the machine (%d CPUs) during the run (server and load generator); db: the PostgreSQL\nserver's processes; others: every other process (anything but a few %% means the machine was shared).\n", r.NumCPU)
	for _, res := range r.Results {
		if res.OthersCPUPercent != nil && *res.OthersCPUPercent > busyOthersPercent {
			fmt.Fprintf(out, "WARNING: other processes used %.0f%% of the machine during %q: its figures are not this process's alone.\n",
				*res.OthersCPUPercent, res.Name)
		}
	}
	for _, res := range r.Results {
		if res.Attempts > 1 {
			fmt.Fprintf(out, "%q was run %d times because other processes were busy; the quietest run is shown.\n", res.Name, res.Attempts)
		}
	}
	for _, res := range r.Results {
		if res.Note != "" {
			fmt.Fprintf(out, "\n%s: %s", res.Name, res.Note)
		}
	}
	m := r.Memory
	flat := "no"
	if m.Flat {
		flat = "yes"
	}
	peak := "since start"
	if m.HWMReset {
		peak = "during the load"
	}
	fmt.Fprintf(out, "\n\nmemory (server and load generator, one process): RSS %.0f MiB before the load, %.0f MiB right after it, %.0f MiB after a GC; peak (VmHWM) %.0f MiB %s\n",
		m.BeforeMiB, m.AfterMiB, m.AfterGCMiB, m.PeakMiB, peak)
	fmt.Fprintf(out, "memory flat under load: %s (%s)\n", flat, m.Rule)
	for _, res := range r.Results {
		if res.Key != "pdf" {
			fmt.Fprintf(out, "  %-36s RSS %4.0f → %4.0f MiB, peak %4.0f MiB\n", res.Name, res.RSSStartMiB, res.RSSEndMiB, res.RSSPeakMiB)
		}
	}
	if a := r.Audit; a != nil {
		if a.OK {
			fmt.Fprintf(out, "audit verify: %d chains, %d entries, all valid (%.1f s)\n", a.Chains, a.Entries, a.Seconds)
		} else {
			fmt.Fprintf(out, "audit verify FAILED after %d chains: %s\n", a.Chains, a.Error)
		}
	}
	for _, res := range r.Results {
		if res.Errors > 0 {
			fmt.Fprintf(out, "%s: %d of %d requests failed; first: %s\n", res.Name, res.Errors, res.Requests, res.FirstError)
		}
	}
}

func shortRef(name string) string {
	return strings.TrimPrefix(name, "reference: ")
}

func fmtMs(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 100:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.0fms", v)
}

func fmtKB(v float64) string {
	if v == 0 {
		return "-"
	}
	if v >= 1000 {
		return fmt.Sprintf("%.1fMB", v/1000)
	}
	return fmt.Sprintf("%.1fKB", v)
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Failed reports whether any target was missed (or an operation had errors).
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Errors > 0 || (res.Pass != nil && !*res.Pass) {
			return true
		}
	}
	return !r.Memory.Flat || (r.Audit != nil && !r.Audit.OK)
}
