package service

import (
	"context"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/store"
)

// SetAfterBlobStored sets the seam that runs between a use case storing a blob and the
// commit of the row that refers to it (nil removes it).
func SetAfterBlobStored(s *Service, fn func(ctx context.Context, sha string)) {
	if fn == nil {
		s.afterBlobStored.Store(nil)
		return
	}
	s.afterBlobStored.Store(&fn)
}

// QueueMessage queues m for sending in a transaction that commits, or rolls back when
// fail is set (and then returns fail).
func QueueMessage(s *Service, ctx context.Context, m mail.Message, fail error) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		if err := s.opts.Jobs.EnqueueEmail(ctx, tx, m); err != nil {
			return err
		}
		return fail
	})
}

// NotifyAllWhoSee tells every party of the room that may see document docID of it (the
// hook the use cases call, with the widest recipients rule), in a transaction of its own.
func NotifyAllWhoSee(s *Service, ctx context.Context, actor Actor, roomID, docID, title string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		room, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		d, err := tx.DocumentByID(ctx, roomID, docID)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, actor, notice{kind: clearance.NotifyQuestion, room: room, doc: &d, title: title,
			link: documentLink(d), to: everyone})
	})
}
