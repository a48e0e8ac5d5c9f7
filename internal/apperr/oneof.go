package apperr

import "strings"

// OneOf names the values of a closed list for a message, built from the list itself so the
// message cannot go stale: "vessel or room", "high, medium or low", and for longer lists
// "one of draft, clearing, cleared, …". A validation message is "must be " + OneOf(list).
func OneOf[T ~string](values []T) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	switch n := len(names); {
	case n == 0:
		return "nothing"
	case n == 1:
		return names[0]
	case n <= 3:
		return strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	default:
		return "one of " + strings.Join(names, ", ")
	}
}
