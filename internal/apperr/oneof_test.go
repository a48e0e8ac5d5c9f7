package apperr

import "testing"

func TestOneOf(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, "nothing"},
		{[]string{"a"}, "a"},
		{[]string{"vessel", "room"}, "vessel or room"},
		{[]string{"high", "medium", "low"}, "high, medium or low"},
		{[]string{"a", "b", "c", "d"}, "one of a, b, c, d"},
	} {
		if got := OneOf(c.in); got != c.want {
			t.Errorf("OneOf(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
