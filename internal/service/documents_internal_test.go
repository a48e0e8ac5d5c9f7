package service

import (
	"reflect"
	"testing"

	"github.com/stshub/stshub/internal/clearance"
)

// versionsByDocument keeps each document's versions in their order, grouped by document or
// not, and a later append to one document's versions never changes another's.
func TestVersionsByDocument(t *testing.T) {
	v := func(doc string, n int) clearance.DocumentVersion {
		return clearance.DocumentVersion{DocumentID: doc, Number: n}
	}
	for name, in := range map[string][]clearance.DocumentVersion{
		"grouped":     {v("a", 3), v("a", 2), v("a", 1), v("b", 1), v("c", 2), v("c", 1)},
		"interleaved": {v("a", 3), v("b", 1), v("a", 2), v("c", 2), v("a", 1), v("c", 1)},
	} {
		got := versionsByDocument(in)
		want := map[string][]clearance.DocumentVersion{"a": {v("a", 3), v("a", 2), v("a", 1)}, "b": {v("b", 1)}, "c": {v("c", 2), v("c", 1)}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %v, want %v", name, got, want)
		}
		_ = append(got["a"], v("a", 0))
		if !reflect.DeepEqual(got["b"], want["b"]) || !reflect.DeepEqual(got["c"], want["c"]) {
			t.Fatalf("%s: appending to a's versions changed another document's: %v", name, got)
		}
	}
}
