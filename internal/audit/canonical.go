package audit

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// canonicalVersion is written into every canonical encoding ("v") so that the format
// can change later without old chains becoming ambiguous. Changing the encoding of an
// existing version breaks every stored chain.
const canonicalVersion = 1

// tsLayout formats Entry.TS: always UTC, always exactly six fractional digits.
const tsLayout = "2006-01-02T15:04:05.000000Z"

// Canonical returns the deterministic byte encoding of every field of e except Hash,
// which is what ComputeHash hashes. It is a canonical JSON object (keys sorted, as
// CanonicalJSON would emit it) with fixed keys:
//
//	{"action":…,"actor_email":…,"actor_id":…,"id":…,"ip":…,"meta":{…},"prev_hash":…,
//	 "request_id":…,"scope":…,"seq":N,"target_id":…,"target_type":…,"ts":"…","v":1}
//
// ts is e.TS.UTC() as "2006-01-02T15:04:05.000000Z": digits below the microsecond are
// dropped, so TS must already be truncated to microseconds (the stored precision) or
// the hash will not survive a round trip through the database. meta is
// CanonicalJSON(e.Meta), so nil, empty, null and {} all encode as {}.
//
// The encoding is unambiguous: a string field that is not valid UTF-8 is written as
// {"base64":"…"} instead of a JSON string, and a Meta that CanonicalJSON rejects is
// written base64-encoded under the key "meta_raw" instead of "meta", so no two
// different entries (apart from sub-microsecond TS digits and equivalent JSON forms
// of Meta) share an encoding.
func Canonical(e Entry) []byte {
	var buf bytes.Buffer
	buf.Grow(512 + len(e.Meta))
	field := func(key string) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		writeString(&buf, key)
		buf.WriteByte(':')
	}

	buf.WriteByte('{')
	field("action")
	writeField(&buf, e.Action)
	field("actor_email")
	writeField(&buf, e.ActorEmail)
	field("actor_id")
	writeField(&buf, e.ActorID)
	field("id")
	writeField(&buf, e.ID)
	field("ip")
	writeField(&buf, e.IP)
	if meta, err := CanonicalJSON(e.Meta); err == nil {
		field("meta")
		buf.Write(meta)
	} else {
		field("meta_raw")
		writeString(&buf, base64.StdEncoding.EncodeToString(e.Meta))
	}
	field("prev_hash")
	writeField(&buf, e.PrevHash)
	field("request_id")
	writeField(&buf, e.RequestID)
	field("scope")
	writeField(&buf, e.Scope)
	field("seq")
	buf.WriteString(strconv.FormatInt(e.Seq, 10))
	field("target_id")
	writeField(&buf, e.TargetID)
	field("target_type")
	writeField(&buf, e.TargetType)
	field("ts")
	writeString(&buf, e.TS.UTC().Format(tsLayout))
	field("v")
	buf.WriteString(strconv.Itoa(canonicalVersion))
	buf.WriteByte('}')
	return buf.Bytes()
}

// writeField writes a string field: a JSON string when s is valid UTF-8, otherwise
// {"base64":"…"} so that invalid bytes cannot collide with U+FFFD or any other string.
func writeField(buf *bytes.Buffer, s string) {
	if utf8.ValidString(s) {
		writeString(buf, s)
		return
	}
	buf.WriteString(`{"base64":`)
	writeString(buf, base64.StdEncoding.EncodeToString([]byte(s)))
	buf.WriteByte('}')
}
