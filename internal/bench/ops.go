package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/web"
)

// run is one bench run once the server is up and seeded.
type run struct {
	opts  Options
	w     *world
	svc   *service.Service
	db    *store.DB
	api   string // the product's API base URL
	ref   string // the reference's base URL
	files string // the file store's folder (the plain-write reference writes next to it)
	dir   string
	logf  func(string, ...any)

	approveQueue []approveTarget
	approveNext  atomic.Int64
}

type approveTarget struct {
	room int
	doc  string
}

// uploadSize is the size of each uploaded file and of each plain file write.
const uploadSize = 1 << 20

// op is one measured operation.
type op struct {
	key, name string
	ref       string // key of the operation it is compared with
	target    string
	judge     func(r, ref *Result) bool // nil: no target
	call      func(b *run) call
	mb        bool                                    // throughput in MB/s (bytes moved) rather than requests
	before    func(b *run, ctx context.Context) error // readies the data before the operation and after each warm-up
	disk      string                                  // key of the disk's figure, which a note compares the MB/s with
	conns     int                                     // connections, when fewer than --concurrency
}

func opKeys() []string {
	var keys []string
	for _, o := range operations() {
		keys = append(keys, o.key)
	}
	return append(keys, "pdf")
}

func ratioAtLeast(min float64) func(r, ref *Result) bool {
	return func(r, ref *Result) bool { return r.Ratio != nil && *r.Ratio >= min && r.Errors == 0 }
}

// operations lists the measured operations in the order they run: reads on the freshly
// seeded data first, then writes, then uploads. A reference comes just before the
// operations compared with it, and they are measured together, taking turns (groupRuns).
func operations() []op {
	return []op{
		{key: "ref-documents", name: "reference: bare documents list", call: (*run).refDocuments},
		{key: "documents", name: "GET documents list", ref: "ref-documents", call: (*run).documents,
			target: "≥0.80× ref, p99<50ms", judge: func(r, ref *Result) bool {
				return ratioAtLeast(0.8)(r, ref) && r.P99Ms < 50
			}},
		{key: "summary", name: "GET room summary", ref: "ref-documents", call: (*run).summary},
		{key: "ref-rooms", name: "reference: bare cockpit (50 rooms)", call: (*run).refRooms},
		{key: "rooms", name: "GET rooms list (50 rooms)", ref: "ref-rooms", call: (*run).rooms,
			target: "≥0.80× ref", judge: ratioAtLeast(0.8)},
		{key: "activities", name: "GET activities page", ref: "ref-documents", call: (*run).activities},
		// The same list under a light load: the latency a user sees when requests do not
		// queue behind 49 others on 2 cores.
		{key: "ref-documents-light", name: "reference: bare documents list, 4 conns", call: (*run).refDocuments,
			conns: 4},
		{key: "documents-light", name: "GET documents list, 4 conns", ref: "ref-documents-light", call: (*run).documents, conns: 4},
		// The room page as a browser gets it (HTML, every section), on a seeded room of the
		// demo's size (two ships, six parties, 50 documents): its server time, p50/p99.
		{key: "room-page", name: "GET room page (HTML), 4 conns", ref: "ref-documents-light", call: (*run).roomPage, conns: 4},
		{key: "ref-approve", name: "reference: bare approve tx", call: (*run).refApprove, before: (*run).reopenReviews},
		{key: "approve", name: "POST approve document", ref: "ref-approve", call: (*run).approve,
			target: "≥0.70× ref", judge: ratioAtLeast(0.7), before: (*run).reopenReviews},
		{key: "ref-signoff", name: "reference: bare sign-off tx", call: (*run).refSignOff},
		{key: "signoff", name: "POST sign-off", ref: "ref-signoff", call: (*run).signOff,
			target: "≥0.70× ref", judge: ratioAtLeast(0.7)},
		{key: "file-write", name: "reference: 1 MiB file write+fsync", call: (*run).fileWrite, mb: true},
		{key: "ref-upload", name: "reference: bare upload 1 MiB", call: (*run).refUpload, mb: true, disk: "file-write"},
		{key: "upload", name: "POST upload 1 MiB", ref: "ref-upload", call: (*run).upload, mb: true, disk: "file-write",
			target: "≥0.70× MB/s", judge: ratioAtLeast(0.7)},
	}
}

// operations runs the selected operations and fills rep.Results.
func (b *run) operations(ctx context.Context, rep *Report) error {
	selected := splitOps(b.opts.Ops)
	want := func(k string) bool { return len(selected) == 0 || slices.Contains(selected, k) }
	b.prepareApprovals()
	workers := newWorkers(b.opts.Concurrency, 1)
	defer closeWorkers(workers)
	results := map[string]*Result{}
	var chosen []op
	for _, o := range operations() {
		if want(o.key) {
			chosen = append(chosen, o)
		}
	}
	for _, group := range groupRuns(chosen) {
		if err := ctx.Err(); err != nil {
			return err
		}
		runs, attempts, err := b.measure(ctx, workers, group)
		if err != nil {
			return err
		}
		for i, o := range group {
			r := resultOf(o, runs[i])
			r.Attempts = attempts
			b.compare(o, r, results)
			results[o.key] = r
			rep.Results = append(rep.Results, r)
			if r.Errors > 0 {
				b.logf("  %s: %d errors, first: %s", o.name, r.Errors, r.FirstError)
			}
		}
	}
	if want("pdf") {
		r, err := b.pdf(ctx)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		rep.Results = append(rep.Results, r)
	}
	return nil
}

// groupRuns groups the operations into what is measured together: an operation joins the
// group before it when it is compared with one of its operations (its reference, or the
// disk's figure); every other operation starts a group of its own.
func groupRuns(ops []op) [][]op {
	var groups [][]op
	for _, o := range ops {
		if n := len(groups); n > 0 && slices.ContainsFunc(groups[n-1], func(p op) bool { return p.key == o.ref || p.key == o.disk }) {
			groups[n-1] = append(groups[n-1], o)
			continue
		}
		groups = append(groups, []op{o})
	}
	return groups
}

// rounds is how many slices a group's measured time is cut into. The machine's speed
// drifts by tens of percent within a minute (it is shared with other virtual machines),
// so a reference measured before its operation could meet a faster or slower machine;
// alternating them in short slices makes both meet the same one.
func (b *run) rounds() int {
	if b.opts.Quick {
		return 3
	}
	return 5
}

// sliceWarmup is the unmeasured run before every slice after a group's first: enough to
// bring the connections and caches of the server that was idle back into play.
const sliceWarmup = 250 * time.Millisecond

// measure runs a group (one operation, or a reference and the operations compared with
// it, taking turns in slices) and returns each operation's run, its slices added up. A
// group during which other processes took a share of the machine is run again (the
// quietest attempt is kept): the machine may be shared.
func (b *run) measure(ctx context.Context, workers []*worker, group []op) ([]loadResult, int, error) {
	rounds, names := 1, make([]string, len(group))
	if len(group) > 1 {
		rounds = b.rounds()
	}
	for i, o := range group {
		names[i] = o.name
	}
	slice := b.opts.Duration / time.Duration(rounds)
	conns := b.opts.Concurrency
	if group[0].conns > 0 {
		conns = min(group[0].conns, conns)
	}
	b.logf("%-36s %d connections, %d × %s each (+%s warm-up)", strings.Join(names, " ⇄ "), conns, rounds, slice, b.opts.Warmup)
	var best []loadResult
	attempts := 0
	for {
		attempts++
		cur := make([]loadResult, len(group))
		for round := range rounds {
			warmup := b.opts.Warmup
			if round > 0 {
				warmup = min(warmup, sliceWarmup)
			}
			for i, o := range group {
				lr, err := b.slice(ctx, workers, o, warmup, slice)
				if err != nil {
					return nil, 0, fmt.Errorf("%s: %w", o.name, err)
				}
				cur[i].add(lr, round == 0)
			}
		}
		if attempts == 1 || busiest(cur) < busiest(best) {
			best = cur
		}
		if busiest(cur) <= busyOthersPercent || attempts > b.opts.QuietRetries || ctx.Err() != nil {
			break
		}
		b.logf("  other processes used %.0f%% of the machine meanwhile: running it again", busiest(cur))
	}
	for i := range best {
		slices.Sort(best[i].Latencies)
	}
	return best, attempts, nil
}

// slice runs one operation once: from a settled database (vacuumed on PostgreSQL, the WAL
// checkpointed on SQLite, so that no run inherits the dead rows or the long WAL of the one
// before it) with its data readied, for warmup and then dur.
func (b *run) slice(ctx context.Context, workers []*worker, o op, warmup, dur time.Duration) (loadResult, error) {
	if o.before != nil {
		if err := o.before(b, ctx); err != nil {
			return loadResult{}, err
		}
	}
	if err := b.db.Settle(ctx); err != nil {
		return loadResult{}, err
	}
	var ready func() error
	if o.before != nil { // again after the warm-up, which may have used up what it readied
		ready = func() error { return o.before(b, ctx) }
	}
	if o.conns > 0 {
		workers = workers[:min(o.conns, len(workers))]
	}
	return runLoad(ctx, workers, warmup, dur, b.db.Dialect() == store.Postgres, o.call(b), ready)
}

// busiest is the largest share of the machine other processes used during any of runs.
func busiest(runs []loadResult) float64 {
	most := 0.0
	for _, lr := range runs {
		most = max(most, othersShare(lr))
	}
	return most
}

// compare fills in r's ratio to its reference, its note on the disk and its verdict.
func (b *run) compare(o op, r *Result, results map[string]*Result) {
	if ref := results[o.ref]; ref != nil {
		r.Reference = ref.Name
		num, den := r.RPS, ref.RPS
		if o.mb {
			num, den = r.MBps, ref.MBps
		}
		if den > 0 {
			ratio := num / den
			r.Ratio = &ratio
		}
	}
	if disk := results[o.disk]; disk != nil {
		r.Note = diskNote(r, disk)
	}
	if o.judge != nil {
		r.Target = o.target
		if r.Ratio != nil {
			pass := o.judge(r, results[o.ref])
			r.Pass = &pass
		}
	}
}

// diskNote says whether an upload's throughput is the disk's: within 0.7× of what plain
// writes of the same files reach, or held back before the bytes reach the disk.
func diskNote(r, disk *Result) string {
	if disk.MBps <= 0 {
		return ""
	}
	ratio := r.MBps / disk.MBps
	verdict := "disk-bound"
	if ratio < 0.7 {
		verdict = "not disk-bound"
	}
	return fmt.Sprintf("%.0f MB/s using %.0f%% of the CPUs is %.2f× the disk's %.0f MB/s (%s, using %.0f%%): %s.",
		r.MBps, machineCPU(r), ratio, disk.MBps, shortRef(disk.Name), machineCPU(disk), verdict)
}

// machineCPU is the share of the machine a run used: this process's and PostgreSQL's.
func machineCPU(r *Result) float64 {
	if r.DBCPUPercent != nil {
		return r.CPUPercent + *r.DBCPUPercent
	}
	return r.CPUPercent
}

func resultOf(o op, lr loadResult) *Result {
	r := &Result{Key: o.key, Name: o.name, Requests: lr.Requests, Errors: lr.Errors, FirstError: lr.FirstError,
		Seconds: lr.Elapsed.Seconds(), RPS: lr.rate(), P50Ms: ms(lr.percentile(0.50)), P99Ms: ms(lr.percentile(0.99)),
		MeanMs: ms(lr.mean()), RSSStartMiB: mib(lr.StartRSS), RSSPeakMiB: mib(lr.PeakRSS), RSSEndMiB: mib(lr.EndRSS)}
	if n := len(lr.Latencies); n > 0 {
		r.AvgKB = float64(lr.Bytes) / float64(n) / 1000
	}
	if lr.Elapsed > 0 {
		r.CPUPercent = 100 * lr.CPU.Seconds() / lr.Elapsed.Seconds() / float64(numCPU())
		if lr.DBCPU >= 0 {
			db := 100 * lr.DBCPU.Seconds() / lr.Elapsed.Seconds() / float64(numCPU())
			r.DBCPUPercent = &db
		}
		if lr.OthersCPU >= 0 {
			others := 100 * lr.OthersCPU.Seconds() / lr.Elapsed.Seconds() / float64(numCPU())
			r.OthersCPUPercent = &others
		}
		if o.mb {
			r.MBps = float64(lr.Bytes) / lr.Elapsed.Seconds() / 1e6
		}
	}
	return r
}

// othersShare is the percentage of the machine other processes used during a run.
func othersShare(lr loadResult) float64 {
	if lr.OthersCPU < 0 || lr.Elapsed <= 0 {
		return 0
	}
	return 100 * lr.OthersCPU.Seconds() / lr.Elapsed.Seconds() / float64(numCPU())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pick returns a random room and the token of one of its parties, chosen among roles.
func (b *run) pick(w *worker, roles ...int) (*benchRoom, benchUser) {
	r := &b.w.rooms[w.rng.IntN(len(b.w.rooms))]
	k := w.rng.IntN(partiesPerRoom)
	if len(roles) > 0 {
		k = roles[w.rng.IntN(len(roles))]
	}
	return r, b.w.users[r.users[k]]
}

func (b *run) get(url func(w *worker) (string, string)) call {
	return func(ctx context.Context, w *worker) (int64, error) {
		u, token := url(w)
		req, err := newRequest(ctx, http.MethodGet, u, token, nil, "")
		if err != nil {
			return 0, err
		}
		return send(w, req, http.StatusOK)
	}
}

func (b *run) refDocuments() call {
	return b.get(func(w *worker) (string, string) {
		r, u := b.pick(w)
		return b.ref + "/rooms/" + r.id + "/documents", u.token
	})
}

func (b *run) documents() call {
	return b.get(func(w *worker) (string, string) {
		r, u := b.pick(w)
		return b.api + "/rooms/" + r.id + "/documents", u.token
	})
}

func (b *run) summary() call {
	return b.get(func(w *worker) (string, string) {
		r, u := b.pick(w)
		return b.api + "/rooms/" + r.id + "/summary", u.token
	})
}

func (b *run) activities() call {
	return b.get(func(w *worker) (string, string) {
		r, u := b.pick(w)
		return b.api + "/rooms/" + r.id + "/activities?limit=50", u.token
	})
}

// rooms is the cockpit: the room list of a user who is a party of 50 rooms.
func (b *run) rooms() call {
	return b.get(func(w *worker) (string, string) {
		u := b.w.users[b.w.heavy[w.rng.IntN(len(b.w.heavy))]]
		return b.api + "/rooms?limit=50", u.token
	})
}

// roomPage is the web room page of a random room for one of its parties, signed in by the
// session cookie the browser would send.
func (b *run) roomPage() call {
	site := strings.TrimSuffix(b.api, "/api/v1")
	return func(ctx context.Context, w *worker) (int64, error) {
		r, u := b.pick(w)
		req, err := newRequest(ctx, http.MethodGet, site+"/rooms/"+r.id, "", nil, "")
		if err != nil {
			return 0, err
		}
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: u.token})
		return send(w, req, http.StatusOK)
	}
}

// refRooms is the same cockpit on the bare reference.
func (b *run) refRooms() call {
	return b.get(func(w *worker) (string, string) {
		u := b.w.users[b.w.heavy[w.rng.IntN(len(b.w.heavy))]]
		return b.ref + "/rooms?limit=50", u.token
	})
}

// prepareApprovals queues every document under review once, in random order: an approval
// moves it on, so none is approved twice.
func (b *run) prepareApprovals() {
	b.approveQueue = b.approveQueue[:0]
	for i, r := range b.w.rooms {
		for _, d := range r.underReview {
			b.approveQueue = append(b.approveQueue, approveTarget{room: i, doc: d})
		}
	}
	rng := newWorkers(1, 42)[0].rng
	rng.Shuffle(len(b.approveQueue), func(i, j int) { b.approveQueue[i], b.approveQueue[j] = b.approveQueue[j], b.approveQueue[i] })
	b.approveNext.Store(0)
}

// nextApproval takes the next document of the queue, or stops the worker when none is left.
func (b *run) nextApproval() (approveTarget, error) {
	i := b.approveNext.Add(1) - 1
	if i >= int64(len(b.approveQueue)) {
		return approveTarget{}, errStop{"every seeded document under review has been approved"}
	}
	return b.approveQueue[i], nil
}

// reopenReviews puts the documents the last run approved back under review and restarts
// the queue, so that the reference and the product approve the same documents.
func (b *run) reopenReviews(ctx context.Context) error {
	n := min(b.approveNext.Load(), int64(len(b.approveQueue)))
	err := b.db.InTx(ctx, func(tx store.Q) error {
		for _, t := range b.approveQueue[:n] {
			if err := tx.ReopenReview(ctx, b.w.rooms[t.room].id, t.doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.approveNext.Store(0)
	return nil
}

func (b *run) post(ctx context.Context, w *worker, url, token string, body []byte, contentType string, want int) (int64, error) {
	req, err := newRequest(ctx, http.MethodPost, url, token, body, contentType)
	if err != nil {
		return 0, err
	}
	return send(w, req, want)
}

// reviewers are the seeded roles that may review documents (broker, charterer).
var reviewers = []int{0, 1}

func (b *run) approve() call {
	return b.approveOn(b.api, "/approve")
}

// refApprove makes the writes of the same approvals as the product's, on the same queue.
func (b *run) refApprove() call {
	return b.approveOn(b.ref, "/review")
}

// approveOn approves the queue's next document through base's route.
func (b *run) approveOn(base, action string) call {
	return func(ctx context.Context, w *worker) (int64, error) {
		t, err := b.nextApproval()
		if err != nil {
			return 0, err
		}
		r := &b.w.rooms[t.room]
		u := b.w.users[r.users[reviewers[w.rng.IntN(len(reviewers))]]]
		return b.post(ctx, w, base+"/rooms/"+r.id+"/documents/"+t.doc+action, u.token, nil, "", http.StatusOK)
	}
}

var signOffBody = []byte(`{"status":"approved"}`)

func (b *run) signOff() call {
	return func(ctx context.Context, w *worker) (int64, error) {
		r, u := b.pick(w, signOffRoles...)
		return b.post(ctx, w, b.api+"/rooms/"+r.id+"/approvals", u.token, signOffBody, "application/json", http.StatusCreated)
	}
}

func (b *run) refSignOff() call {
	return func(ctx context.Context, w *worker) (int64, error) {
		r, u := b.pick(w, signOffRoles...)
		return b.post(ctx, w, b.ref+"/rooms/"+r.id+"/approvals", u.token, signOffBody, "application/json", http.StatusCreated)
	}
}

// uploadPattern is the shared, read-only content of every uploaded or written file after
// its first line; the first line (uniqueHead) makes each file's content, and so its hash,
// unique.
var uploadPattern = sync.OnceValue(func() []byte {
	return fakePDF("bench upload", uploadSize, rand.New(rand.NewPCG(5, 5)))
})

// headLen is the length of uniqueHead's line.
const headLen = 48

func uniqueHead(w *worker) []byte {
	h := fmt.Appendf(nil, "%%PDF-1.4\n%% client %04d request %012d", w.id, w.n)
	for len(h) < headLen-1 {
		h = append(h, ' ')
	}
	return append(h[:headLen-1], '\n')
}

// fileWrite is the disk's figure: the same number of bytes written to a new file,
// fsynced and dropped from the page cache (as the file store does), next to the file
// store, by as many concurrent writers.
func (b *run) fileWrite() call {
	dir := filepath.Join(b.dir, "plain-writes")
	return func(ctx context.Context, w *worker) (int64, error) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return 0, err
		}
		f, err := os.CreateTemp(dir, "w-*")
		if err != nil {
			return 0, err
		}
		n, err := f.Write(uniqueHead(w))
		if err == nil {
			var m int
			m, err = f.Write(uploadPattern()[headLen:])
			n += m
		}
		if err == nil {
			err = f.Sync()
		}
		if err == nil {
			_ = files.DropFromCache(f) // as the file store does after its fsync
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return int64(n), err
	}
}

// upload sends a new version of a per-room document without validity dates: a multipart
// form, fields first, then the 1 MiB file, streamed from the shared pattern.
func (b *run) upload() call { return b.uploadTo(b.api) }

// refUpload sends the same uploads to the reference.
func (b *run) refUpload() call { return b.uploadTo(b.ref) }

func (b *run) uploadTo(base string) call {
	return func(ctx context.Context, w *worker) (int64, error) {
		var head bytes.Buffer
		mw := multipart.NewWriter(&head)
		t := uploadTypes[w.id%len(uploadTypes)]
		_ = mw.WriteField("type", t.code)
		_ = mw.WriteField("notes", "uploaded by stshub-bench")
		if _, err := mw.CreateFormFile("file", "bench-upload.pdf"); err != nil {
			return 0, err
		}
		tail := "\r\n--" + mw.Boundary() + "--\r\n"
		body := io.MultiReader(&head, bytes.NewReader(uniqueHead(w)), bytes.NewReader(uploadPattern()[headLen:]), strings.NewReader(tail))
		r, u := b.pick(w, t.by)
		req, err := newRequest(ctx, http.MethodPost, base+"/rooms/"+r.id+"/documents", u.token, nil, mw.FormDataContentType())
		if err != nil {
			return 0, err
		}
		req.Body, req.ContentLength = io.NopCloser(body), int64(head.Len()+uploadSize+len(tail))
		if _, err := send(w, req, http.StatusCreated); err != nil {
			return 0, err
		}
		return uploadSize, nil
	}
}

// pdf measures a PDF snapshot of the largest room, with every section (documents,
// sign-offs and the activity log): the POST that captures the room's state in its
// transaction, then the job's work (decode the state, lay out the PDF, store the file,
// complete the row), called directly and timed; the job queue is not running.
func (b *run) pdf(ctx context.Context) (*Result, error) {
	room := b.w.rooms[b.w.largest]
	broker := b.w.users[room.users[0]]
	runs := 7
	if b.opts.Quick {
		runs = 3
	}
	b.logf("%-36s %d runs on room %s (%d versions + audit entries)", "snapshot PDF of the largest room", runs, room.id, room.size)
	w := newWorkers(1, 7)[0]
	defer closeWorkers([]*worker{w})
	body := []byte(`{"snapshot_type":"pdf","include_documents":true,"include_approvals":true,"include_activity":true}`)
	var captures, renders, totals []time.Duration
	var size int64
	for range runs {
		t0 := time.Now()
		req, err := newRequest(ctx, http.MethodPost, b.api+"/rooms/"+room.id+"/snapshots", broker.token, body, "application/json")
		if err != nil {
			return nil, err
		}
		res, err := w.client.Do(req)
		if err != nil {
			return nil, err
		}
		var snap struct {
			ID string `json:"id"`
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if (res.StatusCode != http.StatusAccepted && res.StatusCode != http.StatusCreated) || json.Unmarshal(data, &snap) != nil {
			return nil, fmt.Errorf("create snapshot: %d %s", res.StatusCode, data)
		}
		capture := time.Since(t0)
		t1 := time.Now()
		if err := b.svc.RenderSnapshot(ctx, room.id, snap.ID, true); err != nil {
			return nil, err
		}
		render := time.Since(t1)
		done, err := b.db.Read().SnapshotByID(ctx, room.id, snap.ID)
		if err != nil {
			return nil, err
		}
		if done.Status != service.SnapshotCompleted {
			return nil, fmt.Errorf("snapshot %s is %s: %s", snap.ID, done.Status, done.FailureReason)
		}
		size = done.FileSize
		captures, renders, totals = append(captures, capture), append(renders, render), append(totals, capture+render)
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	c, rd, t := median(captures), median(renders), median(totals)
	pass := t < 200*time.Millisecond
	return &Result{Key: "pdf", Name: "snapshot PDF, largest room", Requests: runs, P50Ms: ms(t), P99Ms: ms(slices.Max(totals)),
		MeanMs: ms(t), AvgKB: float64(size) / 1000, Target: "<200ms", Pass: &pass,
		Note: fmt.Sprintf("capture (POST) %.0f ms + render %.0f ms, median of %d; %.0f KB PDF; %d versions + audit entries",
			ms(c), ms(rd), runs, float64(size)/1000, room.size)}, nil
}

// checkLogin signs the login user in through the API (the product's default password cost).
func (b *run) checkLogin(ctx context.Context, rep *Report) error {
	w := newWorkers(1, 3)[0]
	defer closeWorkers([]*worker{w})
	body, _ := json.Marshal(map[string]string{"email": b.w.loginEmail, "password": b.w.loginPassword})
	t0 := time.Now()
	if _, err := b.post(ctx, w, b.api+"/auth/login", "", body, "application/json", http.StatusOK); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	rep.LoginMs = ms(time.Since(t0))
	return nil
}
