package service

import (
	"context"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// maxTaskRooms bounds the rooms one task list reads (the newest first).
const maxTaskRooms = 500

// taskReading is what every source of tasks reads from, read once for all the rooms of a
// task list: the caller's parties and the documents of their rooms.
type taskReading struct {
	userID  string
	now     time.Time
	types   map[string]clearance.DocumentType
	parties []store.PartyOfUser
	docs    map[string][]clearance.TaskDocument // by room
}

// taskParty is the caller's party in one room as the task rules read it.
func taskParty(p store.PartyOfUser) clearance.TaskParty {
	r := p.Room
	return clearance.TaskParty{RoomID: r.ID, RoomTitle: r.Title, Status: clearance.RoomStatus(r.Status), ETA: r.STSETA, WindowEnd: r.WindowEnd(),
		UserID: p.UserID, PartyID: p.PartyID, Role: authz.Role(p.Role), VesselIDs: p.VesselIDs}
}

// taskSource is one source of tasks: it reads what it needs for all the rooms of the
// reading at once (a bounded number of statements, never one per room) and applies its
// rule of package clearance.
type taskSource func(s *Service, ctx context.Context, q store.Q, r *taskReading) ([]clearance.Task, error)

// taskSources are the sources of a task list; a new kind of task is one more function here.
var taskSources = []taskSource{(*Service).documentTasks, (*Service).signOffTasks, (*Service).questionTasks}

// Tasks lists the caller's tasks across the rooms it is a party of (archived and deleted
// rooms aside), most urgent first: what it must review, supply, renew or sign.
func (s *Service) Tasks(ctx context.Context, actor Actor) ([]clearance.Task, error) {
	// SECURITY: the caller's own parties only: the membership rule, applied in SQL.
	return s.tasksOf(ctx, actor, "")
}

// RoomTasks lists the caller's tasks in one room, most urgent first; a non-party gets
// apperr.ErrNotFound.
func (s *Service) RoomTasks(ctx context.Context, actor Actor, roomID string) ([]clearance.Task, error) {
	if _, err := authorizeMember(ctx, s.db.Read(), actor, roomID, authz.ViewRoom); err != nil {
		return nil, err
	}
	return s.tasksOf(ctx, actor, roomID)
}

// tasksOf reads the caller's parties (of roomID only, when not "") and the documents of
// their rooms, and collects every source's tasks: two statements, and one per source at most.
func (s *Service) tasksOf(ctx context.Context, actor Actor, roomID string) ([]clearance.Task, error) {
	tasks := []clearance.Task{}
	if actor.UserID == "" {
		return tasks, nil
	}
	q := s.db.Read()
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	parties, err := q.PartiesOfUser(ctx, actor.UserID, roomID, maxTaskRooms)
	if err != nil || len(parties) == 0 {
		return tasks, err
	}
	r := &taskReading{userID: actor.UserID, now: s.now(), types: types, parties: parties, docs: map[string][]clearance.TaskDocument{}}
	ids := make([]string, len(parties))
	for i, p := range parties {
		ids[i] = p.Room.ID
	}
	docs, err := q.TaskDocuments(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		t := types[d.TypeCode]
		r.docs[d.RoomID] = append(r.docs[d.RoomID], clearance.TaskDocument{Type: t, Version: d.VersionCount, UploadedBy: d.UploadedBy,
			ReviewReason: d.ReviewReason, DocumentState: clearance.DocumentState{ID: d.ID, TypeCode: d.TypeCode, TypeName: t.Name,
				VesselID: deref(d.VesselID), VesselName: d.VesselName, SuppliedBy: authz.Role(t.SuppliedBy), Criticality: clearance.Criticality(d.Criticality),
				Required: d.Required, Status: clearance.DocStatus(d.Status), Validity: validity(d.Document, t), Screening: screeningState(d.Document)}})
	}
	for _, source := range taskSources {
		more, err := source(s, ctx, q, r)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, more...)
	}
	clearance.SortTasks(tasks)
	return tasks, nil
}

// documentTasks are the reviews, uploads and renewals the caller's parties owe.
func (s *Service) documentTasks(_ context.Context, _ store.Q, r *taskReading) ([]clearance.Task, error) {
	var out []clearance.Task
	for _, p := range r.parties {
		out = append(out, clearance.DocumentTasks(taskParty(p), r.docs[p.Room.ID], r.now)...)
	}
	return out, nil
}

// questionTasks are the open questions addressed to the caller's parties: one statement
// for all their rooms.
func (s *Service) questionTasks(ctx context.Context, q store.Q, r *taskReading) ([]clearance.Task, error) {
	ids := make([]string, len(r.parties))
	for i, p := range r.parties {
		ids[i] = p.Room.ID
	}
	open, err := q.OpenQuestionsOfRooms(ctx, ids)
	if err != nil || len(open) == 0 {
		return nil, err
	}
	byRoom := map[string][]clearance.TaskQuestion{}
	for _, o := range open {
		byRoom[o.RoomID] = append(byRoom[o.RoomID], clearance.TaskQuestion{Question: o.Question, Type: r.types[o.TypeCode],
			VesselID: o.VesselID, VesselName: o.VesselName, Text: o.Text, LastRole: authz.Role(o.LastRole), LastBound: o.LastBound})
	}
	var out []clearance.Task
	for _, p := range r.parties {
		out = append(out, clearance.QuestionTasks(taskParty(p), byRoom[p.Room.ID])...)
	}
	return out, nil
}

// signOffTasks are the sign-offs asked of the caller's parties and those gone stale: one
// statement for the approvals in force, only when some party has one.
func (s *Service) signOffTasks(ctx context.Context, q store.Q, r *taskReading) ([]clearance.Task, error) {
	roles := map[string]authz.Role{}
	var approved []string
	for _, p := range r.parties {
		if p.Decision == string(clearance.SignOffApproved) && authz.Can(authz.Role(p.Role), authz.SignOff) {
			roles[p.PartyID] = authz.Role(p.Role)
			approved = append(approved, p.PartyID)
		}
	}
	checks, err := q.SignOffChecksOfParties(ctx, approved)
	if err != nil {
		return nil, err
	}
	changes := staleChanges(checks, roles, r.types, r.now)
	var out []clearance.Task
	for _, p := range r.parties {
		own := &clearance.SignOffState{PartyID: p.PartyID, Role: p.Role, Status: clearance.SignOffStatus(p.Decision), Changes: changes[p.PartyID]}
		if own.Status == clearance.SignOffWithdrawn {
			own.Status = "" // withdrawn: no decision in force
		}
		out = append(out, clearance.SignOffTasks(taskParty(p), own, r.docsInOrder(p.Room))...)
	}
	return out, nil
}

// docsInOrder reports whether no required document of room blocks its clearance gate now
// (the documents the reading did not read are approved with nothing that lapses).
func (r *taskReading) docsInOrder(room store.Room) bool {
	docs := r.docs[room.ID]
	states := make([]clearance.DocumentState, len(docs))
	for i, d := range docs {
		states[i] = d.DocumentState
	}
	blockers, _ := clearance.DocumentBlockers(states, r.now, room.WindowEnd())
	for _, b := range blockers {
		if b.Gate == clearance.GateClearance {
			return false
		}
	}
	return true
}
