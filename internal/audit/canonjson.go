package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects that CanonicalJSON accepts.
const maxDepth = 256

// CanonicalJSON returns the canonical encoding of v: objects with their keys sorted
// (byte-wise, which is Unicode code point order), no insignificant whitespace, every
// number exactly as written (1.50 stays 1.50), and strings with only the escapes JSON
// requires (\" \\ \b \f \n \r \t, \u00XX with lower-case hex for other control
// characters; everything else, including <, >, &, DEL and U+2028, literal UTF-8).
//
// v is marshalled with encoding/json first, except that a json.RawMessage or []byte
// is taken as JSON text to re-canonicalise. nil, empty input and JSON null all give {}
// (an absent Meta). Invalid JSON, trailing data, invalid UTF-8, lone UTF-16 surrogate
// escapes and duplicate object keys are errors, so two different JSON values never
// share a canonical form. The result is idempotent: CanonicalJSON of a canonical text
// returns it unchanged.
//
// It is JCS-like, not RFC 8785 (the JSON Canonicalization Scheme). It agrees with RFC 8785
// on whitespace, string escaping, and on refusing what I-JSON refuses (duplicate keys,
// lone surrogates, invalid UTF-8). It differs in three ways, each on purpose:
//   - Numbers keep their text. RFC 8785 rewrites every number as the shortest ECMAScript
//     double that reads back the same (1.50 → 1.5, 1e2 → 100, and integers beyond 2^53
//     lose digits). An audit entry records what was said; a quantity or an ID must hash as
//     it was written, so no number is converted at all.
//   - Keys sort by UTF-8 bytes (code points), where RFC 8785 sorts by UTF-16 code units.
//     The two orders differ only between keys that differ first at a character above
//     U+FFFF and one in U+E000–U+FFFF; the product's keys are ASCII field names, where
//     they agree, and byte order needs no transcoding in any language.
//   - A top-level null (or nothing) is {}, the empty Meta, where RFC 8785 gives null.
//
// Anyone re-computing a chain must use these rules (stshub audit verify does); an RFC 8785
// library gives the same bytes only for entries whose numbers are already in shortest form.
func CanonicalJSON(v any) (json.RawMessage, error) {
	var raw []byte
	switch x := v.(type) {
	case nil:
		return json.RawMessage("{}"), nil
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("audit: canonical json: %w", err)
		}
		raw = b
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("{}"), nil
	}
	if !utf8.Valid(raw) {
		return nil, errors.New("audit: canonical json: invalid UTF-8")
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	val, err := parseValue(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("audit: canonical json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("audit: canonical json: trailing data after the value")
	}
	if err := checkSurrogates(raw); err != nil {
		return nil, fmt.Errorf("audit: canonical json: %w", err)
	}
	if val == nil {
		return json.RawMessage("{}"), nil
	}

	var buf bytes.Buffer
	buf.Grow(len(raw))
	writeValue(&buf, val)
	return json.RawMessage(buf.Bytes()), nil
}

// parseValue reads one JSON value from dec into nil, bool, json.Number, string,
// []any or map[string]any, rejecting duplicate keys and nesting beyond maxDepth.
func parseValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case nil, bool, json.Number, string:
		return t, nil
	case json.Delim:
		if depth >= maxDepth {
			return nil, fmt.Errorf("nested deeper than %d", maxDepth)
		}
		switch t {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %v, not a string", kt)
				}
				if _, dup := obj[k]; dup {
					return nil, fmt.Errorf("duplicate object key %q", k)
				}
				val, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				obj[k] = val
			}
			if _, err := dec.Token(); err != nil { // the closing '}'
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				val, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, val)
			}
			if _, err := dec.Token(); err != nil { // the closing ']'
				return nil, err
			}
			return arr, nil
		}
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// writeValue appends the canonical encoding of a value built by parseValue.
func writeValue(buf *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case json.Number:
		buf.WriteString(string(t))
	case string:
		writeString(buf, t)
	case []any:
		buf.WriteByte('[')
		for i, el := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeValue(buf, el)
		}
		buf.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			writeValue(buf, t[k])
		}
		buf.WriteByte('}')
	default:
		// parseValue produces no other types.
		panic(fmt.Sprintf("audit: writeValue: unexpected %T", v))
	}
}

// writeString appends s (valid UTF-8) as a JSON string with minimal escaping.
func writeString(buf *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\b':
			buf.WriteString(`\b`)
		case '\f':
			buf.WriteString(`\f`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			if c < 0x20 {
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xf])
			} else {
				buf.WriteByte(c)
			}
		}
	}
	buf.WriteByte('"')
}

// checkSurrogates rejects \u escapes of UTF-16 surrogates that do not form a pair.
// encoding/json silently turns them into U+FFFD, which would let two different
// texts share a canonical form. raw must already be known to be valid JSON.
func checkSurrogates(raw []byte) error {
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			i++
			if i >= len(raw) || raw[i] != 'u' {
				continue
			}
			r, ok := hex4(raw, i+1)
			if !ok {
				continue
			}
			i += 4
			if !utf16.IsSurrogate(r) {
				continue
			}
			if r >= 0xdc00 { // low surrogate with no high surrogate before it
				return fmt.Errorf(`lone surrogate \u%04x in a string`, r)
			}
			// A high surrogate must be followed at once by an escaped low surrogate.
			if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if lo, ok := hex4(raw, i+3); ok && lo >= 0xdc00 && lo <= 0xdfff {
					i += 6
					continue
				}
			}
			return fmt.Errorf(`lone surrogate \u%04x in a string`, r)
		}
	}
	return nil
}

// hex4 decodes the four hex digits at raw[i:i+4].
func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
