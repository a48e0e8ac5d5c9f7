package service

import (
	"encoding/base64"

	"github.com/stshub/stshub/internal/apperr"
)

// PageRequest asks for one page of a list: at most Limit items after the opaque Cursor
// that the previous page returned.
type PageRequest struct {
	Cursor string
	Limit  int
}

// Page sizes.
const (
	defaultPageSize = 50
	maxPageSize     = 200
)

func (p PageRequest) limit() int {
	if p.Limit <= 0 {
		return defaultPageSize
	}
	return min(p.Limit, maxPageSize)
}

// cursorValue decodes the cursor ("" for the first page).
func (p PageRequest) cursorValue() (string, error) {
	if p.Cursor == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err != nil || len(b) == 0 {
		return "", apperr.Invalid("cursor", "is not a cursor this list returned")
	}
	return string(b), nil
}

func encodeCursor(v string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(v))
}

// onePage cuts items, read with one more than limit, to the page and returns the cursor of
// the next page ("" when this is the last): the key of the page's last item.
func onePage[T any](items []T, limit int, key func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, encodeCursor(key(items[limit-1]))
}
