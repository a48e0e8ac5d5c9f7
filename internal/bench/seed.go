package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// The shape of the seeded data: each room has six parties (one per role that works in a
// room), two vessels, 50 required documents (18 per-vessel types × 2 + 14 per-room types:
// the default catalogue's types for oil plus seven types the bench adds, as an installation
// would), three
// versions per document on average, sign-offs, both vessels' checklists, coastal-state
// notices, and about 300 audit entries. Every room's broker is one of a few users who are
// each a party of RoomsPerHeavyUser rooms (the cockpit case); the other seats go to the
// remaining users at random.
const (
	partiesPerRoom    = 6
	roomsPerHeavyUser = 50
	maxVersions       = 6 // versions per document: uniform 0..6, so 3 on average
	auditMin, auditSp = 250, 101
	seedBatchRooms    = 20
)

// roomRoles are the parties of every seeded room, in order; the broker is a heavy user.
var roomRoles = [partiesPerRoom]string{"broker", "charterer", "owner", "seller", "buyer", "sts_provider"}

// ownerParty is the index of the owner in roomRoles.
const ownerParty = 2

// signOffRoles are the seeded roles that sign off (authz.SignOff), by index in roomRoles.
var signOffRoles = []int{1, 2, 3, 4, 5}

// benchTypes are the per-room document types the bench adds to the catalogue, so that a
// room requires 50 documents.
var benchTypes = []clearance.DocumentType{
	{Code: "BILL_OF_LADING", Name: "Bill of lading (draft)", Category: "cargo", SuppliedBy: "seller"},
	{Code: "CERT_ORIGIN", Name: "Certificate of origin", Category: "cargo", SuppliedBy: "seller"},
	{Code: "CERT_QUALITY", Name: "Certificate of quality", Category: "cargo", SuppliedBy: "seller"},
	{Code: "CERT_QUANTITY", Name: "Certificate of quantity", Category: "cargo", SuppliedBy: "seller"},
	{Code: "LOI", Name: "Letter of indemnity", Category: "commercial", SuppliedBy: "buyer"},
	{Code: "WEATHER", Name: "Weather window assessment", Category: "operations", SuppliedBy: "sts_provider"},
	{Code: "MOORING_MASTER_CV", Name: "Mooring master CV", Category: "operations", SuppliedBy: "sts_provider"},
}

// uploadTypes are per-room types without validity dates, each with its supplier's index
// in roomRoles: the upload operation adds versions to them as that party.
var uploadTypes = []struct {
	code string
	by   int
}{{"POAC", 5}, {"JPO", 5}, {"RISK", 5}, {"MSDS", 3}, {"BILL_OF_LADING", 3}, {"CERT_ORIGIN", 3}, {"LOI", 4}, {"WEATHER", 5}}

// benchUser is a seeded user with its session token (the token only lives here).
type benchUser struct {
	id, email, name, token string
}

// benchRoom is what the load generator needs to know about a seeded room.
type benchRoom struct {
	id          string
	users       [partiesPerRoom]int // user index of each party, by roomRoles
	underReview []string            // documents an approval can act on
	size        int                 // versions + audit entries: how large its snapshot is
}

// world is the seeded data the load generator draws from.
type world struct {
	users   []benchUser
	heavy   []int // users who are a party of roomsPerHeavyUser rooms
	rooms   []benchRoom
	largest int // index of the room with the most versions and audit entries

	loginEmail, loginPassword string
	counts                    SeedCounts
}

// SeedCounts says what was written.
type SeedCounts struct {
	Users        int     `json:"users"`
	Rooms        int     `json:"rooms"`
	Parties      int     `json:"parties"`
	Vessels      int     `json:"vessels"`
	Documents    int     `json:"documents"`
	Versions     int     `json:"versions"`
	AuditEntries int     `json:"audit_entries"`
	Rows         int     `json:"rows"`
	Blobs        int     `json:"blobs"`
	Seconds      float64 `json:"seconds"`
	RowsPerSec   float64 `json:"rows_per_second"`
}

// seedPasswordParams is the cheap argon2id cost of the seeded users' shared password hash
// (computed once); the login user gets the product's default cost.
var seedPasswordParams = secret.Params{MemoryKiB: 64, Time: 1, Threads: 1}

const seedPassword = "bench seeded users' password"

// seed fills an empty database with rooms rooms and users users through the store's bulk
// inserts, writes the document blobs once to the file store, and returns what it made.
func seed(ctx context.Context, db *store.DB, fs files.Store, rooms, users int, logf func(string, ...any)) (*world, error) {
	start := time.Now()
	if n, err := db.Read().CountRooms(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("the database already has %d rooms: the bench needs an empty one", n)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	w := &world{loginEmail: "login@bench.stshub.test", loginPassword: "bench login password 2026"}
	rng := rand.New(rand.NewPCG(2026, 7))

	catalogue, templates, err := seedCatalogue(ctx, db, now)
	if err != nil {
		return nil, err
	}
	blobs, err := seedBlobs(ctx, fs, rng)
	if err != nil {
		return nil, err
	}
	w.counts.Blobs = len(blobs)
	if err := seedUsers(ctx, db, w, users, max(1, rooms/roomsPerHeavyUser), now); err != nil {
		return nil, err
	}
	w.counts.Users = len(w.users) + 1
	logf("seeded %d users with sessions in %s", w.counts.Users, time.Since(start).Round(time.Millisecond))

	// Seats first, in one goroutine (deterministic), then the rooms in parallel batches.
	w.rooms = make([]benchRoom, rooms)
	light := make([]int, 0, len(w.users)-len(w.heavy))
	for i := len(w.heavy); i < len(w.users); i++ {
		light = append(light, i)
	}
	for i := range w.rooms {
		r := &w.rooms[i]
		r.users[0] = w.heavy[i%len(w.heavy)]
		for k := 1; k < partiesPerRoom; k++ {
			for {
				u := light[rng.IntN(len(light))]
				if !slices.Contains(r.users[:k], u) {
					r.users[k] = u
					break
				}
			}
		}
	}
	g := &roomGen{w: w, now: now, catalogue: catalogue, templates: templates, blobs: blobs}
	batches := make(chan int)
	built := make(chan store.SeedBatch, 2)
	var genErr error
	var genOnce sync.Once
	var gens sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		gens.Go(func() {
			for first := range batches {
				var b store.SeedBatch
				for i := first; i < min(rooms, first+seedBatchRooms); i++ {
					if err := g.room(&b, i); err != nil {
						genOnce.Do(func() { genErr = err })
						break
					}
				}
				built <- b
			}
		})
	}
	go func() {
		defer close(batches)
		for first := 0; first < rooms; first += seedBatchRooms {
			select {
			case batches <- first:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { gens.Wait(); close(built) }()

	inserters := 1 // SQLite has one writer
	if db.Dialect() == store.Postgres {
		inserters = 2
	}
	var insMu sync.Mutex
	var insErr error
	var ins sync.WaitGroup
	lastLog := time.Now()
	for range inserters {
		ins.Go(func() {
			for b := range built {
				insMu.Lock()
				failed := insErr != nil
				insMu.Unlock()
				if failed {
					continue // drain
				}
				err := db.InTx(ctx, func(tx store.Q) error { return tx.SeedRooms(ctx, b) })
				insMu.Lock()
				if err != nil && insErr == nil {
					insErr = err
				}
				w.counts.Rooms += len(b.Rooms)
				w.counts.Parties += len(b.Parties)
				w.counts.Vessels += len(b.Vessels)
				w.counts.Documents += len(b.Documents)
				w.counts.Versions += len(b.Versions)
				w.counts.AuditEntries += len(b.Audit)
				w.counts.Rows += b.Rows()
				if time.Since(lastLog) > 5*time.Second {
					lastLog = time.Now()
					logf("  %d/%d rooms, %d rows, %s", w.counts.Rooms, rooms, w.counts.Rows, time.Since(start).Round(time.Second))
				}
				insMu.Unlock()
			}
		})
	}
	ins.Wait()
	if err := errors.Join(genErr, insErr, ctx.Err()); err != nil {
		return nil, err
	}
	w.counts.Rows += w.counts.Users * 2 // users and their sessions
	for i, r := range w.rooms {
		if r.size > w.rooms[w.largest].size {
			w.largest = i
		}
	}
	w.counts.Seconds = time.Since(start).Seconds()
	w.counts.RowsPerSec = float64(w.counts.Rows) / w.counts.Seconds
	return w, nil
}

// seedCatalogue adds the bench's document types to the catalogue (recorded in the platform
// trail, as an admin's change would be) and returns the active catalogue's types for oil
// and the checklist templates.
func seedCatalogue(ctx context.Context, db *store.DB, now time.Time) ([]clearance.DocumentType, []store.ChecklistTemplate, error) {
	err := db.InTx(ctx, func(tx store.Q) error {
		var codes []string
		for _, t := range benchTypes {
			t.Scope, t.Criticality, t.Expiry, t.RequiredByDefault, t.Active = clearance.ScopeRoom, clearance.CriticalityMedium, clearance.ExpiryNone, true, true
			t.VisibleTo = authz.Roles()
			if err := tx.CreateDocumentType(ctx, t, now); err != nil {
				return err
			}
			codes = append(codes, t.Code)
		}
		meta, err := audit.CanonicalJSON(map[string]any{"added": codes, "source": "stshub-bench"})
		if err != nil {
			return err
		}
		_, err = tx.AppendAudit(ctx, audit.Entry{ID: newID(), Scope: audit.PlatformScope, TS: now, ActorEmail: "system",
			Action: audit.ActionCatalogueChanged, TargetType: "catalogue", Meta: meta})
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("bench catalogue: %w", err)
	}
	all, err := db.Read().ListDocumentTypes(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	var types []clearance.DocumentType
	for _, t := range all {
		if t.AppliesTo(clearance.CargoOil) { // the seeded rooms are crude oil operations
			types = append(types, t)
		}
	}
	templates, err := db.Read().ListChecklistTemplates(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	return types, templates, nil
}

type blobRef struct {
	sha  string
	size int64
}

// seedBlobs writes the few files every seeded version points to, once each.
func seedBlobs(ctx context.Context, fs files.Store, rng *rand.Rand) ([]blobRef, error) {
	var out []blobRef
	for i, kib := range []int{24, 48, 96, 160, 220, 310, 420, 640} {
		b, err := fs.Put(ctx, bytes.NewReader(fakePDF(fmt.Sprintf("seeded document %d", i), kib<<10, rng)), 0)
		if err != nil {
			return nil, fmt.Errorf("seed blobs: %w", err)
		}
		out = append(out, blobRef{sha: b.SHA256, size: b.Size})
	}
	return out, nil
}

// fakePDF returns size bytes that sniff as a PDF: a header, a text line, and random bytes,
// as the compressed streams that make up most of a real PDF are. (Letters only would make
// the multipart reader scan every buffer to its start for a CR that never comes, a cost no
// real upload has.)
func fakePDF(title string, size int, rng *rand.Rand) []byte {
	b := make([]byte, size)
	head := fmt.Appendf(nil, "%%PDF-1.4\n%% %s\n", title)
	copy(b, head)
	for i := len(head); i < size; i++ {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// seedUsers creates the users (one shared password hash, computed once) with a session
// each, plus the login user with the product's default password cost.
func seedUsers(ctx context.Context, db *store.DB, w *world, n, heavy int, now time.Time) error {
	hash, err := secret.HashPassword(seedPassword, seedPasswordParams)
	if err != nil {
		return err
	}
	loginHash, err := secret.HashPassword(w.loginPassword, secret.DefaultParams)
	if err != nil {
		return err
	}
	n = max(n, heavy+partiesPerRoom)
	users := make([]store.User, 0, n+1)
	sessions := make([]store.Session, 0, n)
	for i := range n {
		token, err := secret.NewToken()
		if err != nil {
			return err
		}
		u := benchUser{id: newID(), email: fmt.Sprintf("user%05d@bench.stshub.test", i), name: fmt.Sprintf("Bench User %05d", i), token: token}
		w.users = append(w.users, u)
		users = append(users, store.User{ID: u.id, Email: u.email, Name: u.name, Role: "user", PasswordHash: hash, CreatedAt: now, UpdatedAt: now})
		sessions = append(sessions, store.Session{TokenHash: secret.HashToken(token), UserID: u.id, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)})
	}
	for i := range heavy {
		w.heavy = append(w.heavy, i)
	}
	users = append(users, store.User{ID: newID(), Email: w.loginEmail, Name: "Bench Login", Role: "user", PasswordHash: loginHash, CreatedAt: now, UpdatedAt: now})
	return db.InTx(ctx, func(tx store.Q) error {
		if err := tx.SeedUsers(ctx, users); err != nil {
			return err
		}
		return tx.SeedSessions(ctx, sessions)
	})
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// roomGen builds the rows of one room; it is safe for concurrent use (each room has its
// own random source).
type roomGen struct {
	w         *world
	now       time.Time
	catalogue []clearance.DocumentType
	templates []store.ChecklistTemplate
	blobs     []blobRef
}

// event is one audited change of a seeded room, before it is sealed.
type event struct {
	pos    float64 // where in the room's history it happens (0..1)
	actor  int     // party index
	action string
	tType  string
	tID    string
	meta   map[string]any
	stamp  func(time.Time) // records the event's time on the row it describes
}

var (
	locations = []string{"Hurd's Bank, Malta", "Off Kalamata", "Lomé anchorage", "Ceuta", "Sohar OPL", "Fujairah anchorage", "Off Skaw", "Southwold"}
	cargoes   = []string{"Crude oil", "Fuel oil", "Gasoil", "Naphtha", "Jet A-1", "Condensate"}
	words     = []string{"AEGEAN", "LEVANT", "BALTIC", "ATLAS", "NORDIC", "IONIAN", "CORAL", "OCEAN", "POLAR", "DELTA"}
	flags     = []string{"MT", "LR", "PA", "GR", "SG", "BS"}
)

// room appends room i to b and fills in w.rooms[i].
func (g *roomGen) room(b *store.SeedBatch, i int) error {
	rng := rand.New(rand.NewPCG(uint64(i)+1, 99))
	r := &g.w.rooms[i]
	r.id = newID()
	now := g.now
	created := now.Add(-time.Duration(5+rng.IntN(55))*24*time.Hour - time.Duration(rng.IntN(1440))*time.Minute)
	eta := now.Add(time.Duration(2+rng.IntN(20)) * 24 * time.Hour).Truncate(time.Hour)
	qty := float64(50000 + rng.IntN(250000))
	room := store.Room{ID: r.id, Title: fmt.Sprintf("%s STS #%d", cargoes[rng.IntN(len(cargoes))], i+1),
		Location: locations[rng.IntN(len(locations))], STSETA: eta, Description: "Ship-to-ship transfer seeded by stshub-bench.",
		CargoType: cargoes[rng.IntN(len(cargoes))], CargoQuantity: &qty, Status: string(clearance.StatusClearing),
		CreatedBy: g.w.users[r.users[0]].id, CreatedAt: created, UpdatedAt: now}
	b.Rooms = append(b.Rooms, room)

	user := func(party int) benchUser { return g.w.users[r.users[party]] }
	var events []event
	head := func(pos float64, actor int, action, tType, tID string, meta map[string]any) {
		events = append(events, event{pos: pos, actor: actor, action: action, tType: tType, tID: tID, meta: meta})
	}
	head(0, 0, audit.ActionRoomCreated, "room", r.id, map[string]any{"title": room.Title, "location": room.Location,
		"sts_eta": eta.Format(time.RFC3339), "description": room.Description, "cargo_type": room.CargoType, "cargo_quantity": qty})
	partyIDs := make([]string, partiesPerRoom)
	for k, role := range roomRoles {
		u := user(k)
		p := store.Party{ID: newID(), RoomID: r.id, UserID: &u.id, Email: u.email, Name: u.name, Role: role, AddedBy: room.CreatedBy, AddedAt: created}
		partyIDs[k] = p.ID
		b.Parties = append(b.Parties, p)
		head(0.001*float64(k+1), 0, audit.ActionPartyAdded, "party", p.ID, map[string]any{"email": p.Email, "role": role, "invited": false})
	}
	var roomCodes []string
	for _, t := range g.catalogue {
		if t.Scope == clearance.ScopeRoom {
			roomCodes = append(roomCodes, t.Code)
		}
	}
	head(0.007, 0, audit.ActionRequirementAdded, "room", r.id, map[string]any{"types": roomCodes, "vessel_id": "", "source": "catalogue defaults"})

	vessels := make([]store.Vessel, 2)
	for k, role := range []clearance.VesselRole{clearance.VesselDischarging, clearance.VesselReceiving} {
		dwt, loa, beam, built := 80000+rng.IntN(240000), 220+float64(rng.IntN(110)), 32+float64(rng.IntN(28)), 2004+rng.IntN(20)
		v := store.Vessel{ID: newID(), RoomID: r.id, CreatedAt: created.Add(time.Duration(k+1) * time.Minute), UpdatedAt: created,
			VesselParticulars: clearance.VesselParticulars{Name: fmt.Sprintf("MT %s %s", words[rng.IntN(len(words))], words[rng.IntN(len(words))]),
				IMO: imo(rng), Role: role, Flag: flags[rng.IntN(len(flags))], MMSI: fmt.Sprintf("%09d", 200000000+rng.IntN(500000000)),
				CallSign: fmt.Sprintf("9H%04d", rng.IntN(10000)), VesselType: "Crude oil tanker", DWT: &dwt, LOA: &loa, Beam: &beam,
				BuiltYear: &built, ClassSociety: "DNV", PIClub: "Gard", RegisteredOwner: "Bench Tankers Ltd", DOCCompany: "Bench Ship Management"}}
		vessels[k] = v
		b.Vessels = append(b.Vessels, v)
		// The seeded owner party manages both ships: it supplies their documents.
		owner := &b.Parties[len(b.Parties)-partiesPerRoom+ownerParty]
		owner.VesselIDs = append(owner.VesselIDs, v.ID)
		var codes []string
		for _, t := range g.catalogue {
			if t.Scope == clearance.ScopeVessel {
				codes = append(codes, t.Code)
			}
		}
		head(0.008+0.002*float64(k), 0, audit.ActionVesselAdded, "vessel", v.ID, map[string]any{"name": v.Name, "imo": v.IMO, "role": string(role)})
		head(0.009+0.002*float64(k), 0, audit.ActionRequirementAdded, "room", r.id, map[string]any{"types": codes, "vessel_id": v.ID, "source": "catalogue defaults"})
		for phase := clearance.FirstChecklistPhase; phase <= clearance.LastChecklistPhase; phase++ {
			cIdx := len(b.Checklists)
			b.Checklists = append(b.Checklists, store.Checklist{ID: newID(), RoomID: r.id, VesselID: v.ID, Phase: phase, CreatedAt: v.CreatedAt})
			c := &b.Checklists[cIdx]
			for _, t := range g.templates {
				if t.Phase != phase {
					continue
				}
				it := store.ChecklistItem{ID: newID(), ChecklistID: c.ID, RoomID: r.id, Position: t.Position, Text: t.Text, Required: t.Required}
				if rng.IntN(100) < 15 {
					iIdx, checker := len(c.Items), 2 // the owner checks
					events = append(events, event{pos: 0.02 + 0.97*rng.Float64(), actor: checker, action: audit.ActionChecklistItemAnswered,
						tType: "checklist_item", tID: it.ID, meta: map[string]any{"checklist_id": c.ID, "vessel_id": v.ID, "vessel_name": v.Name,
							"phase": phase, "position": it.Position, "text": it.Text, "answer": string(clearance.AnswerYes), "remark": "", "required": it.Required},
						stamp: func(t time.Time) {
							u, item := user(checker), &b.Checklists[cIdx].Items[iIdx]
							item.Answer, item.AnsweredBy, item.AnswererEmail, item.AnsweredAt = clearance.AnswerYes, u.id, u.email, &t
						}})
				}
				c.Items = append(c.Items, it)
			}
		}
		if rng.IntN(2) == 0 {
			n := store.CoastalNotice{ID: newID(), RoomID: r.id, VesselID: v.ID, Reference: fmt.Sprintf("CSN-%d-%d", i, k), ETAAtNotice: eta,
				RecordedBy: user(0).id, RecorderEmail: user(0).email}
			nIdx := len(b.Notices)
			b.Notices = append(b.Notices, n)
			events = append(events, event{pos: 0.5 + 0.49*rng.Float64(), actor: 0, action: audit.ActionNoticeRecorded, tType: "vessel", tID: v.ID,
				meta:  map[string]any{"reference": n.Reference, "vessel_name": v.Name},
				stamp: func(t time.Time) { b.Notices[nIdx].NotifiedAt, b.Notices[nIdx].RecordedAt = t, t }})
		}
	}

	// Documents: every required slot, with 0..6 versions and a review state.
	roleIndex := map[string]int{}
	for k, role := range roomRoles {
		roleIndex[role] = k
	}
	for _, t := range g.catalogue {
		slots := []*store.Vessel{nil}
		if t.Scope == clearance.ScopeVessel {
			slots = []*store.Vessel{&vessels[0], &vessels[1]}
		}
		for _, v := range slots {
			d := store.Document{ID: newID(), RoomID: r.id, TypeCode: t.Code, Status: string(clearance.DocMissing), Criticality: string(t.Criticality),
				Required: true, CreatedAt: created, UpdatedAt: created}
			if v != nil {
				d.VesselID = &v.ID
			}
			dIdx := len(b.Documents)
			b.Documents = append(b.Documents, d)
			n := rng.IntN(maxVersions + 1)
			if n == 0 {
				continue
			}
			uploader, ok := roleIndex[t.SuppliedBy]
			if !ok {
				uploader = 2
			}
			// The document's events happen in order at sorted random points of the room's life.
			points := make([]float64, n+1)
			for k := range points {
				points[k] = 0.02 + 0.97*rng.Float64()
			}
			slices.Sort(points)
			for k := 1; k <= n; k++ {
				blob := g.blobs[rng.IntN(len(g.blobs))]
				ver := store.DocumentVersion{ID: newID(), DocumentID: d.ID, RoomID: r.id, Number: k, SHA256: blob.sha, Size: blob.size,
					ContentType: "application/pdf", Filename: fmt.Sprintf("%s-v%d.pdf", t.Code, k), UploadedBy: user(uploader).id,
					UploaderEmail: user(uploader).email}
				switch t.Expiry {
				case clearance.ExpiryDate:
					exp := now.AddDate(0, 0, 10+rng.IntN(400)).Truncate(24 * time.Hour)
					ver.ExpiresOn = &exp
				case clearance.ExpiryPointInTime:
					at := now.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
					ver.PerformedAt = &at
				}
				vIdx := len(b.Versions)
				b.Versions = append(b.Versions, ver)
				previous := "missing"
				if k > 1 {
					previous = "under_review"
				}
				events = append(events, event{pos: points[k-1], actor: uploader, action: audit.ActionDocumentUploaded, tType: "document",
					tID: d.ID, meta: map[string]any{"type": t.Code, "vessel_id": vesselID(v), "version": k, "version_id": ver.ID,
						"sha256": ver.SHA256, "size": ver.Size, "content_type": ver.ContentType, "filename": ver.Filename,
						"expires_on": dateString(ver.ExpiresOn), "previous_status": previous},
					stamp: func(t time.Time) { b.Versions[vIdx].UploadedAt = t; b.Documents[dIdx].UpdatedAt = t }})
				doc := &b.Documents[dIdx]
				doc.VersionCount, doc.ExpiresOn, doc.PerformedAt, doc.Status = k, ver.ExpiresOn, ver.PerformedAt, string(clearance.DocUnderReview)
			}
			switch roll := rng.IntN(100); {
			case roll < 35:
				// Queued for the approve operation, whose reviewer may be either
				// coordinator, unless one of them uploaded it (four eyes).
				if !slices.Contains(reviewers, uploader) {
					r.underReview = append(r.underReview, d.ID)
				}
			default:
				status, action, reason := clearance.DocApproved, audit.ActionDocumentApproved, ""
				if roll >= 85 {
					status, action, reason = clearance.DocRejected, audit.ActionDocumentRejected, "Illegible scan: please upload a clear copy"
				}
				reviewer := rng.IntN(2) // broker or charterer, never the uploader (four eyes)
				if reviewer == uploader {
					reviewer = 1 - reviewer
				}
				b.Documents[dIdx].Status = string(status)
				events = append(events, event{pos: points[n], actor: reviewer, action: action, tType: "document", tID: d.ID,
					meta: map[string]any{"type": t.Code, "vessel_id": vesselID(v), "version": n, "reason": reason, "previous_status": "under_review"},
					stamp: func(t time.Time) {
						u := user(reviewer)
						doc := &b.Documents[dIdx]
						doc.ReviewedBy, doc.ReviewerEmail, doc.ReviewedAt, doc.ReviewReason, doc.UpdatedAt = u.id, u.email, &t, reason, t
					}})
			}
		}
	}

	// Sign-offs: about half the signing parties have approved.
	for _, k := range signOffRoles {
		if rng.IntN(2) != 0 {
			continue
		}
		u := user(k)
		aIdx := len(b.Approvals)
		b.Approvals = append(b.Approvals, store.Approval{ID: newID(), RoomID: r.id, PartyID: partyIDs[k], UserID: u.id, Email: u.email,
			Role: roomRoles[k], Status: "approved"})
		events = append(events, event{pos: 0.9 + 0.09*rng.Float64(), actor: k, action: audit.ActionApprovalRecorded, tType: "party", tID: partyIDs[k],
			meta:  map[string]any{"status": "approved", "role": roomRoles[k], "notes": ""},
			stamp: func(t time.Time) { b.Approvals[aIdx].DecidedAt = t }})
	}

	// Ordinary edits fill the trail up to its length.
	target := auditMin + rng.IntN(auditSp)
	for len(events) < target {
		events = append(events, event{pos: 0.02 + 0.97*rng.Float64(), actor: rng.IntN(2), action: audit.ActionRoomUpdated, tType: "room", tID: r.id,
			meta: map[string]any{"changes": map[string]any{"description": map[string]any{"from": "draft text", "to": "revised text"}}}})
	}
	slices.SortStableFunc(events, func(a, b event) int {
		switch {
		case a.pos < b.pos:
			return -1
		case a.pos > b.pos:
			return 1
		}
		return 0
	})
	span := now.Add(-time.Hour).Sub(created)
	step := span / time.Duration(len(events)+1)
	var chain audit.Head
	for k, ev := range events {
		ts := created.Add(step * time.Duration(k+1)).Truncate(time.Microsecond)
		if ev.stamp != nil {
			ev.stamp(ts)
		}
		meta, err := audit.CanonicalJSON(ev.meta)
		if err != nil {
			return err
		}
		u := user(ev.actor)
		e := audit.Entry{ID: newID(), Scope: r.id, TS: ts, ActorID: u.id, ActorEmail: u.email, Action: ev.action, TargetType: ev.tType,
			TargetID: ev.tID, Meta: meta, RequestID: fmt.Sprintf("seed%08x", rng.Uint32()), IP: "192.0.2.10"}
		audit.Seal(&e, chain)
		chain = audit.HeadOf(e)
		b.Audit = append(b.Audit, e)
	}
	r.size = len(events)
	for _, v := range b.Versions {
		if v.RoomID == r.id {
			r.size++
		}
	}
	return nil
}

func vesselID(v *store.Vessel) string {
	if v == nil {
		return ""
	}
	return v.ID
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// imo returns a random IMO number with a valid check digit.
func imo(rng *rand.Rand) string {
	d := make([]int, 6)
	d[0] = 9
	sum := 9 * 7
	for k := 1; k < 6; k++ {
		d[k] = rng.IntN(10)
		sum += d[k] * (7 - k)
	}
	return fmt.Sprintf("%d%d%d%d%d%d%d", d[0], d[1], d[2], d[3], d[4], d[5], sum%10)
}
