// Package backup writes and reads the product's backup archive: `stshub backup FILE` and
// `stshub restore FILE`.
//
// The archive is logical and engine-neutral, so a backup of either engine restores into
// either (the way off the embedded SQLite onto PostgreSQL, and back). It is a tar file,
// gzip-compressed when its name ends in .gz or .tgz, whose members are, in order:
//
//   - manifest.json: the Manifest (format version, schema version, engine of origin,
//     time, and for each table its columns, row count and the SHA-256 of its member; the
//     list of files with their sizes);
//   - tables/NAME.jsonl, one per table in loading order (a table after those it
//     references): one JSON array of values per row, in the manifest's column order;
//   - blobs/SHA256, one per stored file the rows refer to (document versions, completed
//     snapshots), named by the SHA-256 of its content.
//
// The rows are one consistent read of the database (store.DB.ReadConsistent), so a
// backup taken while the server writes holds every row with its audit entry or neither.
// Files are immutable and content-addressed: those the rows refer to are copied after the
// read, each checked against its name while it is copied. River's job queue is not backed
// up (its rows are work in flight, in a schema River owns and that differs between the
// engines); a restore queues again the rendering of every snapshot still generating.
//
// Memory stays bounded: rows and files are streamed, never held whole.
package backup

import (
	"archive/tar"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/store"
)

// Format and FormatVersion identify the archive; a reader refuses any other.
const (
	Format        = "stshub-backup"
	FormatVersion = 1
)

// Member names.
const (
	manifestName = "manifest.json"
	tablesDir    = "tables/"
	blobsDir     = "blobs/"
)

// Manifest describes an archive.
type Manifest struct {
	Format        string          `json:"format"`
	FormatVersion int             `json:"format_version"`
	SchemaVersion int64           `json:"schema_version"` // the latest migration of the backed-up schema
	Engine        string          `json:"engine"`         // of origin: sqlite or postgres
	CreatedAt     time.Time       `json:"created_at"`
	Tables        []TableManifest `json:"tables"`
	Blobs         []BlobManifest  `json:"blobs"`
}

// TableManifest is one table's member.
type TableManifest struct {
	store.Table
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// BlobManifest is one file's member (blobs/SHA256).
type BlobManifest struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

func tableMember(name string) string { return tablesDir + name + ".jsonl" }
func blobMember(sha string) string   { return blobsDir + sha }

// check refuses a manifest this build cannot restore.
func (m *Manifest) check() error {
	if m.Format != Format || m.FormatVersion != FormatVersion {
		return fmt.Errorf("not a backup archive of this version (format %q version %d; want %q version %d)",
			m.Format, m.FormatVersion, Format, FormatVersion)
	}
	if latest := store.LatestSchemaVersion(); m.SchemaVersion > latest {
		return fmt.Errorf("the backup has schema version %d, newer than this stshub knows (%d): restore it with a newer stshub", m.SchemaVersion, latest)
	}
	seen := map[string]bool{}
	for _, t := range m.Tables {
		if t.Name == "" || strings.ContainsAny(t.Name, "/\\") || seen[t.Name] {
			return fmt.Errorf("manifest: bad or repeated table name %q", t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

// appendRow appends one row as a JSON array and a newline. Values are JSON's own, times
// are RFC 3339 strings with every digit kept, and a text that is not valid UTF-8 (which
// a JSON string cannot carry unchanged) is {"base64":"…"}.
func appendRow(buf []byte, cols []store.Column, vals []any) ([]byte, error) {
	buf = append(buf, '[')
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		switch x := v.(type) {
		case nil:
			buf = append(buf, "null"...)
		case string:
			if !utf8.ValidString(x) {
				buf = append(buf, `{"base64":"`...)
				buf = append(buf, base64.StdEncoding.EncodeToString([]byte(x))...)
				buf = append(buf, `"}`...)
				continue
			}
			b, err := json.Marshal(x)
			if err != nil {
				return nil, err
			}
			buf = append(buf, b...)
		case int64:
			buf = strconv.AppendInt(buf, x, 10)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("column %s: %v has no JSON form", cols[i].Name, x)
			}
			buf = strconv.AppendFloat(buf, x, 'g', -1, 64)
		case bool:
			buf = strconv.AppendBool(buf, x)
		case time.Time:
			buf = append(buf, '"')
			buf = x.UTC().AppendFormat(buf, time.RFC3339Nano)
			buf = append(buf, '"')
		default:
			return nil, fmt.Errorf("column %s: unexpected %T", cols[i].Name, v)
		}
	}
	return append(buf, ']', '\n'), nil
}

// parseRow reads one line written by appendRow back into values of the columns' kinds.
func parseRow(line []byte, cols []store.Column) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, fmt.Errorf("not a row: %w", err)
	}
	if len(raw) != len(cols) {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), len(cols))
	}
	vals := make([]any, len(cols))
	for i, r := range raw {
		v, err := parseValue(r, cols[i].Kind)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", cols[i].Name, err)
		}
		vals[i] = v
	}
	return vals, nil
}

func parseValue(r json.RawMessage, k store.Kind) (any, error) {
	if string(r) == "null" {
		return nil, nil
	}
	switch k {
	case store.KindText:
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			return s, nil
		}
		var b struct {
			Base64 *string `json:"base64"`
		}
		if err := json.Unmarshal(r, &b); err != nil || b.Base64 == nil {
			return nil, errors.New("not a text")
		}
		raw, err := base64.StdEncoding.DecodeString(*b.Base64)
		return string(raw), err
	case store.KindInt:
		return strconv.ParseInt(string(r), 10, 64)
	case store.KindReal:
		return strconv.ParseFloat(string(r), 64)
	case store.KindBool:
		var b bool
		err := json.Unmarshal(r, &b)
		return b, err
	case store.KindTime:
		var s string
		if err := json.Unmarshal(r, &s); err != nil {
			return nil, errors.New("not a time")
		}
		return time.Parse(time.RFC3339Nano, s)
	}
	return nil, fmt.Errorf("unknown kind %q", k)
}

// ReadManifest reads the manifest of the archive at path (for tests and tools).
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	r, err := openArchive(f)
	if err != nil {
		return Manifest{}, err
	}
	m, err := readManifest(tar.NewReader(r))
	if err != nil {
		return Manifest{}, err
	}
	return *m, nil
}
