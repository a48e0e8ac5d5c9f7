package clearance

import (
	"errors"
	"slices"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
)

func intp(v int) *int               { return &v }
func floatp(v float64) *float64     { return &v }
func repeat(s string, n int) string { return string(slices.Repeat([]rune(s), n)) }

// assertFields checks that err is nil when want is empty, and otherwise an
// *apperr.ValidationError naming exactly the fields in want, in order.
func assertFields(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("want no error, got %v", err)
		}
		return
	}
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *apperr.ValidationError naming %v, got %T %v", want, err, err)
	}
	got := make([]string, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		got = append(got, f.Field)
		if f.Message == "" {
			t.Errorf("field %q has an empty message", f.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("invalid fields = %v, want %v (%v)", got, want, err)
	}
}

// messageOf returns the message recorded for field in err, or "" when there is none.
func messageOf(err error, field string) string {
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// checkNormalized checks the result of a Normalize function: want on success, or an error
// with exactly the message wantErr and an empty result.
func checkNormalized(t *testing.T, got string, err error, want, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("got %q, want error %q", got, wantErr)
		}
		if err.Error() != wantErr {
			t.Fatalf("error = %q, want %q", err.Error(), wantErr)
		}
		if got != "" {
			t.Fatalf("got %q with an error, want \"\"", got)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error %v", err)
	}
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
