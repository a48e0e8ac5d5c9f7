package audit

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCanonicalJSON(t *testing.T) {
	type point struct {
		Y int    `json:"y"`
		X string `json:"x"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, `{}`},
		{"nil raw message", json.RawMessage(nil), `{}`},
		{"empty raw message", json.RawMessage(""), `{}`},
		{"whitespace only", []byte(" \n\t "), `{}`},
		{"json null", json.RawMessage("null"), `{}`},
		{"nil map", map[string]any(nil), `{}`},
		{"sorts keys", json.RawMessage(`{"b":1,"a":2,"c":3}`), `{"a":2,"b":1,"c":3}`},
		{"sorts nested keys", json.RawMessage(`{"z":{"y":1,"x":[{"d":1,"c":2}]},"a":null}`), `{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}`},
		{"sorts byte-wise", json.RawMessage(`{"b":1,"B":2,"é":3,"a":4,"aa":5}`), `{"B":2,"a":4,"aa":5,"b":1,"é":3}`},
		{"drops whitespace", json.RawMessage(" { \"a\" : [ 1 , 2 ] ,\n\t\"b\" : true } "), `{"a":[1,2],"b":true}`},
		{"keeps trailing zeros", json.RawMessage(`{"n":1.50}`), `{"n":1.50}`},
		{"keeps exponent form", json.RawMessage(`{"n":1E5,"m":2e-3}`), `{"m":2e-3,"n":1E5}`},
		{"keeps negative zero", json.RawMessage(`{"n":-0}`), `{"n":-0}`},
		{"keeps big integer", json.RawMessage(`{"n":123456789012345678901234567890}`), `{"n":123456789012345678901234567890}`},
		{"keeps int64 beyond float precision", json.RawMessage(`{"n":9007199254740993}`), `{"n":9007199254740993}`},
		{"keeps huge exponent", json.RawMessage(`{"n":1e400}`), `{"n":1e400}`},
		{"keeps 0.1 exactly", json.RawMessage(`[0.1,0.10,1.0]`), `[0.1,0.10,1.0]`},
		{"unescapes needless escapes", json.RawMessage(`{"s":"\u0041\/\u00e9"}`), `{"s":"A/é"}`},
		{"no HTML escaping", json.RawMessage(`{"s":"\u003ca\u003e \u0026"}`), `{"s":"<a> &"}`},
		{"short escapes", json.RawMessage(`{"s":"\"\\\b\f\n\r\t"}`), `{"s":"\"\\\b\f\n\r\t"}`},
		{"control characters", json.RawMessage(`{"s":"\u0000\u001F\u007f"}`), "{\"s\":\"\\u0000\\u001f\x7f\"}"},
		{"surrogate pair", json.RawMessage(`{"s":"\ud83d\ude00"}`), `{"s":"😀"}`},
		{"line separators literal", json.RawMessage(`{"s":"\u2028\u2029"}`), "{\"s\":\"\u2028\u2029\"}"},
		{"escaped key sorted by value", json.RawMessage(`{"\u0062":1,"a":2}`), `{"a":2,"b":1}`},
		{"top-level array", json.RawMessage(`[3, 1, 2]`), `[3,1,2]`},
		{"top-level scalar", json.RawMessage(` "x" `), `"x"`},
		{"empty containers", json.RawMessage(`{"a":{},"b":[]}`), `{"a":{},"b":[]}`},
		{"bytes input", []byte(`{"b":1,"a":2}`), `{"a":2,"b":1}`},
		{"map input", map[string]any{"b": 1, "a": "x<y"}, `{"a":"x<y","b":1}`},
		{"struct input", point{Y: 2, X: "p"}, `{"x":"p","y":2}`},
		{"string input is marshalled", "hi", `"hi"`},
		{"json.Number input kept", map[string]any{"n": json.Number("1.50")}, `{"n":1.50}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON(tt.in)
			if err != nil {
				t.Fatalf("CanonicalJSON: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("CanonicalJSON = %s, want %s", got, tt.want)
			}
			again, err := CanonicalJSON(got)
			if err != nil {
				t.Fatalf("CanonicalJSON(canonical): %v", err)
			}
			if string(again) != string(got) {
				t.Fatalf("not idempotent: %s then %s", got, again)
			}
		})
	}
}

func TestCanonicalJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"invalid json", json.RawMessage(`{"a":`), "canonical json"},
		{"bad token", json.RawMessage(`{a:1}`), "canonical json"},
		{"trailing comma", json.RawMessage(`{"a":1,}`), "canonical json"},
		{"trailing data", json.RawMessage(`{"a":1} {}`), "trailing data"},
		{"trailing garbage", json.RawMessage(`{"a":1}x`), "trailing data"},
		{"duplicate key", json.RawMessage(`{"a":1,"a":2}`), "duplicate object key"},
		{"duplicate key after unescaping", json.RawMessage(`{"a":1,"\u0061":2}`), "duplicate object key"},
		{"nested duplicate key", json.RawMessage(`{"x":[{"a":1,"a":1}]}`), "duplicate object key"},
		{"invalid utf-8", []byte("{\"a\":\"\xff\"}"), "invalid UTF-8"},
		{"lone high surrogate", json.RawMessage(`{"a":"\ud83d"}`), "lone surrogate"},
		{"high surrogate then letter", json.RawMessage(`{"a":"\ud83dx"}`), "lone surrogate"},
		{"two high surrogates", json.RawMessage(`{"a":"\ud83d\ud83d"}`), "lone surrogate"},
		{"lone low surrogate", json.RawMessage(`{"a":"\ude00"}`), "lone surrogate"},
		{"lone surrogate in key", json.RawMessage(`{"\udc00":1}`), "lone surrogate"},
		{"leading zero", json.RawMessage(`{"n":01}`), "canonical json"},
		{"too deep", json.RawMessage(strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)), "nested deeper"},
		{"unmarshalable", map[string]any{"f": func() {}}, "unsupported type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON(tt.in)
			if err == nil {
				t.Fatalf("CanonicalJSON = %s, want error containing %q", got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestCanonicalJSONEscapedBackslashIsNotSurrogate(t *testing.T) {
	// `\\ud800` is a backslash followed by the letters "ud800", not an escape.
	got, err := CanonicalJSON(json.RawMessage(`{"a":"\\ud800"}`))
	if err != nil {
		t.Fatalf("CanonicalJSON: %v", err)
	}
	if want := `{"a":"\\ud800"}`; string(got) != want {
		t.Fatalf("CanonicalJSON = %s, want %s", got, want)
	}
}

func TestCanonicalJSONMaxDepthAccepted(t *testing.T) {
	in := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	got, err := CanonicalJSON(json.RawMessage(in))
	if err != nil {
		t.Fatalf("CanonicalJSON: %v", err)
	}
	if string(got) != in {
		t.Fatalf("CanonicalJSON changed a canonical text")
	}
}
