package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
)

// The hostile-input sweep: every operation of the published API that reads a JSON body, a
// multipart form or query parameters — enumerated from the OpenAPI document, so a new route
// is swept without a line here — is sent bodies built from its own schema with hostile
// values (NUL, invalid UTF-8, 1 MB strings, 10,000-deep nesting, wrong types, edge dates), and
// hostile bodies as a whole, as every caller of the matrix. No answer may be a 5xx, and an
// answer that is not a success may leave no trace in any audit trail. The values are drawn
// from a fixed seed, so a failure replays exactly.

// fuzzSeed fixes the sweep; change it to explore other draws.
const fuzzSeed = 21

// fuzzBudget bounds the sweep per engine: each round sends every operation as every caller,
// and no round starts once the budget is spent.
const fuzzBudget = 10 * time.Second

// rounds is how many requests each operation gets from each caller. For a JSON body: the
// matrix test's valid body with one property made hostile (so the other fields pass and the
// hostile one reaches as deep as it can), then bodies whose every property is hostile, then
// (the last three) bodies hostile as a whole.
const rounds = 12

// Placeholders for what json.Marshal cannot write; rawJSON puts the real bytes in.
const (
	invalidUTF8 = "\u0001invalid-utf8\u0001"
	deepNesting = "\u0001deep-nesting\u0001"
)

// megabyte is a 1 MB string: under the 1 MiB body limit, so the field's own limit must
// refuse it.
var megabyte = strings.Repeat("A", 1_000_000)

// hostileValues are what a property is set to.
var hostileValues = []any{
	"a\x00b", "\x00", invalidUTF8, megabyte, deepNesting, "", " \t\r\n ", "\u202e\ufeff<script>x</script>'\"; DROP TABLE rooms;--",
	strings.Repeat("𝕏", 5000), -1, 1e308, 9007199254740993, true, map[string]any{}, []any{}, nil, []any{"\x00"},
	map[string]any{"\x00": invalidUTF8}, "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30", "-0001-01-01",
}

// hostileBodies are sent whole, in place of a JSON document.
var hostileBodies = []string{
	strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000),
	`{"a":` + strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_001),
	strings.Repeat("{", 1_000_000), "\xff\xfe\xfd", "\x00", "null", "[]", `"\u0000"`, "", `{"title":1e999}`,
	`{"title":"a","title":"b"}`, strings.Repeat(" ", 2<<20) + "{}",
}

// rawJSON marshals v and replaces the placeholders with raw invalid UTF-8 and deep nesting.
func rawJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	q := func(s string) []byte { b, _ := json.Marshal(s); return b }
	data = bytes.ReplaceAll(data, q(invalidUTF8), []byte("\"\xff\xfe\xc3(\xed\xa0\x80\""))
	return bytes.ReplaceAll(data, q(deepNesting), []byte(strings.Repeat("[", 10_000)+strings.Repeat("]", 10_000)))
}

// schemaOp is one operation of the document, with what it reads.
type schemaOp struct {
	method, path string
	params       []struct{ In, Name string }
	jsonProps    map[string]any // the JSON body's properties (nil: no JSON body)
	formProps    map[string]any // the multipart form's properties (nil: none)
}

// sweptOperations lists the operations of the OpenAPI document that take a body or
// query parameters, sorted.
func sweptOperations(t *testing.T, env *apptest.Env) []schemaOp {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	env.Do("GET", "/api/v1/openapi.json", "", nil).JSON(&doc)
	resolve := func(s map[string]any) map[string]any {
		if ref, ok := s["$ref"].(string); ok {
			return doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		}
		return s
	}
	var ops []schemaOp
	for path, item := range doc.Paths {
		if _, ok := item["servers"]; ok {
			continue // the probes and metrics: no input
		}
		for method, raw := range item {
			var op struct {
				Parameters  []struct{ In, Name string } `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema map[string]any `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			o := schemaOp{method: strings.ToUpper(method), path: path, params: op.Parameters}
			if c, ok := op.RequestBody.Content["application/json"]; ok {
				o.jsonProps, _ = resolve(c.Schema)["properties"].(map[string]any)
				if o.jsonProps == nil {
					o.jsonProps = map[string]any{}
				}
			}
			if c, ok := op.RequestBody.Content["multipart/form-data"]; ok {
				o.formProps, _ = resolve(c.Schema)["properties"].(map[string]any)
				if o.formProps == nil {
					o.formProps = map[string]any{}
				}
			}
			hasQuery := slices.ContainsFunc(o.params, func(p struct{ In, Name string }) bool { return p.In == "query" })
			if o.jsonProps != nil || o.formProps != nil || hasQuery {
				ops = append(ops, o)
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].method+ops[i].path < ops[j].method+ops[j].path })
	return ops
}

// trailState is the head of every audit chain.
func trailState(t *testing.T, env *apptest.Env) map[string]audit.Head {
	t.Helper()
	ctx := context.Background()
	q := env.App.DB().Read()
	scopes, err := q.AuditScopes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]audit.Head{}
	for _, s := range scopes {
		if out[s], err = q.AuditHead(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestHostileInputSweep: no hostile body or query answers 5xx, and none that is refused
// changes any trail; on both engines, in a bounded time.
func TestHostileInputSweep(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngineParallel(t, func(t *testing.T, env *apptest.Env) {
		start := time.Now()
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		waitSnapshot(t, env, m.tokens["broker"], f.room, f.snapshot)
		waitSnapshot(t, env, m.tokens["broker"], f.otherRoom, f.otherSnap) // both record their completion
		var areas struct{ Items []struct{ Code string } }
		env.Do("GET", "/api/v1/coastal-areas", m.tokens["broker"], nil).JSON(&areas)
		ids := map[string]string{"room_id": f.room, "party_id": f.party["charterer"], "vessel_id": f.vessel,
			"document_id": f.document, "snapshot_id": f.snapshot, "checklist_id": f.checklist, "item_id": f.item,
			"template_id": f.template}
		pathOf := func(op schemaOp) string {
			return "/api/v1" + pathParam.ReplaceAllStringFunc(op.path, func(p string) string {
				name := p[1 : len(p)-1]
				switch {
				case name == "code" && strings.HasPrefix(op.path, "/coastal-areas") && len(areas.Items) > 0:
					return areas.Items[0].Code
				case name == "code":
					return "Q88"
				case ids[name] != "":
					return ids[name]
				}
				return "unknown-" + name // a parameter this sweep does not know yet: still swept
			})
		}

		rng := rand.New(rand.NewPCG(fuzzSeed, 0))
		pick := func(huge *bool) any {
			for {
				v := hostileValues[rng.IntN(len(hostileValues))]
				if s, ok := v.(string); ok && len(s) >= len(megabyte) {
					if *huge {
						continue // one 1 MB value per body, or the body limit answers for the field
					}
					*huge = true
				}
				return v
			}
		}
		validBodies := map[string]func(roomFixture) map[string]any{}
		for _, r := range routes() {
			if r.body == nil {
				continue
			}
			validBodies[r.method+" "+r.pattern] = func(f roomFixture) map[string]any {
				var out map[string]any // a copy, as JSON sees it
				_ = json.Unmarshal(rawJSON(r.body(f)), &out)
				return out
			}
		}
		ops := sweptOperations(t, env)
		if len(ops) < 20 {
			t.Fatalf("only %d operations take input; the document is not read right", len(ops))
		}
		sent, refused := 0, 0
		check := func(op schemaOp, caller, what string, status int, body []byte, before map[string]audit.Head) {
			t.Helper()
			sent++
			if status == 202 && strings.HasSuffix(op.path, "/snapshots") {
				// Accepted for rendering: its completion is recorded later; wait for it, so it
				// is not taken for a trace of the next request.
				var snap struct{ ID string }
				if json.Unmarshal(body, &snap) == nil && snap.ID != "" {
					waitSnapshot(t, env, m.tokens["broker"], f.room, snap.ID)
				}
			}
			if status >= 500 {
				t.Errorf("%s %s as %s with %s: %d %.300s", op.method, op.path, caller, what, status, body)
			}
			if status >= 300 {
				refused++
				if after := trailState(t, env); !mapsEqual(before, after) {
					t.Errorf("%s %s as %s with %s: refused (%d) but the trail changed: %s", op.method, op.path, caller, what, status,
						trailChanges(t, env, before, after))
				}
			}
		}
		spent := func() bool { return time.Since(start) > fuzzBudget }
		send := func(round int, op schemaOp, path, caller, token string) {
			before := trailState(t, env)
			query := url.Values{}
			for _, p := range op.params {
				if p.In == "query" {
					query.Set(p.Name, []string{"\x00", "\xff\xfe", megabyte[:8000], "-1", "99999999999999999999", "[[[["}[rng.IntN(6)])
				}
			}
			target := path
			if len(query) > 0 {
				target += "?" + query.Encode()
			}
			switch {
			case op.formProps != nil:
				var fields []string
				for _, name := range sortedKeys(op.formProps) {
					if name == "file" {
						continue
					}
					v := []string{"a\x00b", "\xff\xfe", strings.Repeat("x", 70<<10), "", "[[[[", "9999-12-31"}[rng.IntN(6)]
					fields = append(fields, name, v)
				}
				data, ct := apptest.Multipart(fields, "\x00\xff.pdf", append(apptest.PDF("x"), 0, 0xff))
				res := env.DoWith(op.method, target, token, data, ct)
				check(op, caller, fmt.Sprintf("form %q", fields), res.Status, res.Body, before)
			case op.jsonProps != nil && round < rounds-3:
				huge := false
				body := map[string]any{}
				if valid, ok := validBodies[op.method+" "+op.path]; ok && round < rounds/2 && len(op.jsonProps) > 0 {
					body = valid(f)
					props := sortedKeys(op.jsonProps)
					body[props[rng.IntN(len(props))]] = pick(&huge)
				} else {
					for _, name := range sortedKeys(op.jsonProps) {
						body[name] = pick(&huge)
					}
				}
				if rng.IntN(3) == 0 {
					body["\x00"+invalidUTF8] = pick(&huge) // an unknown, hostile key
				}
				data := rawJSON(body)
				res := env.DoWith(op.method, target, token, data, "application/json")
				check(op, caller, fmt.Sprintf("body %.200q", data), res.Status, res.Body, before)
			case op.jsonProps != nil:
				raw := hostileBodies[rng.IntN(len(hostileBodies))]
				res := env.DoWith(op.method, target, token, raw, "application/json")
				check(op, caller, fmt.Sprintf("whole body %.80q", raw), res.Status, res.Body, before)
			default:
				res := env.Do(op.method, target, token, nil)
				check(op, caller, fmt.Sprintf("query %.200q", query.Encode()), res.Status, res.Body, before)
			}
		}
		for round := 0; round < rounds && !spent(); round++ {
			for _, op := range ops {
				path := pathOf(op)
				for _, caller := range callers() {
					token := m.tokens[caller]
					send(round, op, path, caller, token)
				}
			}
		}
		if spent() {
			// Rounds run across every operation and caller, so a slow machine sweeps every
			// operation, with fewer draws each.
			t.Logf("the sweep spent its budget of %v after %d requests", fuzzBudget, sent)
		}
		t.Logf("%d operations, %d requests (%d refused) in %v", len(ops), sent, refused, time.Since(start).Round(time.Millisecond))
	})
}

// trailChanges names the entries recorded between two trail states.
func trailChanges(t *testing.T, env *apptest.Env, before, after map[string]audit.Head) string {
	var out []string
	for scope, head := range after {
		if before[scope] == head {
			continue
		}
		entries, err := env.App.DB().Read().ListAudit(context.Background(), scope, store.AuditFilter{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Seq > before[scope].Seq {
				out = append(out, fmt.Sprintf("%s #%d %s by %s", scope, e.Seq, e.Action, e.ActorEmail))
			}
		}
	}
	return strings.Join(out, "; ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mapsEqual(a, b map[string]audit.Head) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
