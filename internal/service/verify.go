package service

import (
	"context"
	"fmt"

	"github.com/stshub/stshub/internal/audit"
)

// ChainReport is the outcome of verifying one scope's audit chain.
type ChainReport struct {
	Scope   string
	Entries int64
	Head    audit.Head
}

// VerifyAudit recomputes the hash chain of one scope (a room ID or audit.PlatformScope), or of
// every scope when scope is "". It stops at the first entry that does not match and returns
// an *audit.BrokenError naming it. A chain shorter than its recorded head (entries cut off
// the end) is broken too.
func (s *Service) VerifyAudit(ctx context.Context, scope string) ([]ChainReport, error) {
	q := s.db.Read()
	scopes := []string{scope}
	if scope == "" {
		var err error
		if scopes, err = q.AuditScopes(ctx); err != nil {
			return nil, err
		}
	}
	reports := make([]ChainReport, 0, len(scopes))
	for _, sc := range scopes {
		v := audit.NewVerifier(sc)
		if err := q.EachAudit(ctx, sc, v.Next); err != nil {
			return reports, err
		}
		head, err := q.AuditHead(ctx, sc)
		if err != nil {
			return reports, err
		}
		if head.Seq == 0 && v.Head().Seq == 0 {
			return reports, &audit.BrokenError{Scope: sc, Reason: "there is no audit trail for this scope"}
		}
		if got := v.Head(); got != head {
			return reports, &audit.BrokenError{Scope: sc, Seq: got.Seq + 1,
				Reason: fmt.Sprintf("the chain ends at seq %d but its recorded head is seq %d (%.12s…): entries are missing", got.Seq, head.Seq, head.Hash)}
		}
		reports = append(reports, ChainReport{Scope: sc, Entries: head.Seq, Head: head})
	}
	return reports, nil
}
