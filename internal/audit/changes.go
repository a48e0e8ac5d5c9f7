package audit

import "reflect"

// Changes returns the fields whose values differ between before and after, as
// {"field": {"from": before[field], "to": after[field]}}, for Entry.Meta's
// before/after of changed fields. A key missing from one side counts as nil, so a
// field added or removed shows up with nil as "from" or "to" (and a nil value is the
// same as an absent key). Values are compared with reflect.DeepEqual, so both maps
// must hold values of the same types (1 and 1.0, or int and float64, differ). The
// result is never nil; it is empty when nothing changed.
func Changes(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, b := range before {
		if a := after[k]; !reflect.DeepEqual(b, a) {
			out[k] = map[string]any{"from": b, "to": a}
		}
	}
	for k, a := range after {
		if _, seen := before[k]; !seen && !reflect.DeepEqual(nil, a) {
			out[k] = map[string]any{"from": nil, "to": a}
		}
	}
	return out
}
