package audit

import (
	"reflect"
	"testing"
)

func TestChanges(t *testing.T) {
	change := func(from, to any) map[string]any { return map[string]any{"from": from, "to": to} }
	tests := []struct {
		name          string
		before, after map[string]any
		want          map[string]any
	}{
		{"both nil", nil, nil, map[string]any{}},
		{"no change", map[string]any{"a": 1, "b": "x"}, map[string]any{"b": "x", "a": 1}, map[string]any{}},
		{"changed value", map[string]any{"name": "A", "n": 1}, map[string]any{"name": "B", "n": 1},
			map[string]any{"name": change("A", "B")}},
		{"added field", map[string]any{}, map[string]any{"imo": "9876543"},
			map[string]any{"imo": change(nil, "9876543")}},
		{"removed field", map[string]any{"imo": "9876543"}, nil,
			map[string]any{"imo": change("9876543", nil)}},
		{"set to nil", map[string]any{"eta": "2025-01-01"}, map[string]any{"eta": nil},
			map[string]any{"eta": change("2025-01-01", nil)}},
		{"nil and absent are the same", map[string]any{"eta": nil}, map[string]any{}, map[string]any{}},
		{"absent and nil are the same", map[string]any{}, map[string]any{"eta": nil}, map[string]any{}},
		{"deep equal slices", map[string]any{"tags": []string{"a", "b"}}, map[string]any{"tags": []string{"a", "b"}}, map[string]any{}},
		{"changed slice", map[string]any{"tags": []string{"a"}}, map[string]any{"tags": []string{"a", "b"}},
			map[string]any{"tags": change([]string{"a"}, []string{"a", "b"})}},
		{"nested map", map[string]any{"m": map[string]any{"k": 1}}, map[string]any{"m": map[string]any{"k": 2}},
			map[string]any{"m": change(map[string]any{"k": 1}, map[string]any{"k": 2})}},
		{"types differ", map[string]any{"n": 1}, map[string]any{"n": 1.0},
			map[string]any{"n": change(1, 1.0)}},
		{"several", map[string]any{"a": 1, "b": 2, "c": 3}, map[string]any{"a": 1, "b": 20, "d": 4},
			map[string]any{"b": change(2, 20), "c": change(3, nil), "d": change(nil, 4)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Changes(tt.before, tt.after)
			if got == nil {
				t.Fatal("Changes returned nil")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Changes = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestChangesIsCanonicalMeta(t *testing.T) {
	meta, err := CanonicalJSON(Changes(map[string]any{"name": "A"}, map[string]any{"name": "B"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":{"from":"A","to":"B"}}`; string(meta) != want {
		t.Fatalf("meta = %s, want %s", meta, want)
	}
}
