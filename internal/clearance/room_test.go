package clearance

import (
	"math"
	"testing"
	"time"
)

func TestParseRoomStatus(t *testing.T) {
	tests := []struct {
		in      string
		want    RoomStatus
		wantErr bool
	}{
		{in: "draft", want: StatusDraft},
		{in: "clearing", want: StatusClearing},
		{in: "cleared", want: StatusCleared},
		{in: "in_operation", want: StatusInOperation},
		{in: "completed", want: StatusCompleted},
		{in: "cancelled", want: StatusCancelled},
		{in: "on_hold", want: StatusOnHold},
		{in: " on_hold\n", want: StatusOnHold},
		{in: "", wantErr: true},
		{in: "Draft", wantErr: true},
		{in: "in operation", wantErr: true},
		{in: "canceled", wantErr: true},
		{in: "open", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseRoomStatus(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRoomStatus(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// maltaRoom is the room of the Malta demo operation (docs/domain.md).
func maltaRoom() RoomFields {
	return RoomFields{
		Title:         "AEGEAN SERENITY / LEVANT PIONEER – Es Sider crude",
		Location:      "Hurd's Bank, Malta (35°54′N 014°40′E)",
		STSETA:        time.Date(2026, time.March, 14, 6, 0, 0, 0, time.UTC),
		Description:   "Crude STS at anchor.",
		CargoType:     "Crude oil (Es Sider)",
		CargoQuantity: floatp(80_000),
	}
}

func TestRoomFieldsNormalize(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(f *RoomFields)
		fields []string
	}{
		{name: "demo room", edit: func(f *RoomFields) {}},
		{name: "only the required fields", edit: func(f *RoomFields) {
			f.Description, f.CargoType, f.CargoQuantity = "", "", nil
		}},
		{name: "limits inclusive", edit: func(f *RoomFields) {
			f.Title, f.Location = repeat("ü", 200), repeat("x", 200)
			f.Description, f.CargoType = repeat("x", 5000), repeat("x", 100)
			f.CargoQuantity = floatp(10_000_000)
		}},
		{name: "zero quantity", edit: func(f *RoomFields) { f.CargoQuantity = floatp(0) }},
		{name: "everything missing", edit: func(f *RoomFields) { *f = RoomFields{} },
			fields: []string{"title", "location", "sts_eta"}},
		{name: "blank strings are missing", edit: func(f *RoomFields) { f.Title, f.Location = " ", "\n\t" },
			fields: []string{"title", "location"}},
		{name: "every field too long or out of range", edit: func(f *RoomFields) {
			f.Title, f.Location = repeat("x", 201), repeat("x", 201)
			f.STSETA = time.Time{}
			f.Description, f.CargoType = repeat("x", 5001), repeat("x", 101)
			f.CargoQuantity = floatp(10_000_000.5)
		}, fields: []string{"title", "location", "sts_eta", "description", "cargo_type", "cargo_quantity"}},
		{name: "negative quantity", edit: func(f *RoomFields) { f.CargoQuantity = floatp(-1) },
			fields: []string{"cargo_quantity"}},
		{name: "NaN quantity", edit: func(f *RoomFields) { f.CargoQuantity = floatp(math.NaN()) },
			fields: []string{"cargo_quantity"}},
		{name: "infinite quantity", edit: func(f *RoomFields) { f.CargoQuantity = floatp(math.Inf(1)) },
			fields: []string{"cargo_quantity"}},
		{name: "an ETA in year 0000", edit: func(f *RoomFields) { f.STSETA = time.Date(0, 3, 14, 8, 0, 0, 0, time.UTC) },
			fields: []string{"sts_eta"}},
		{name: "an ETA in 1999", edit: func(f *RoomFields) { f.STSETA = time.Date(1999, 12, 31, 23, 59, 0, 0, time.UTC) },
			fields: []string{"sts_eta"}},
		{name: "an ETA in 2100", edit: func(f *RoomFields) { f.STSETA = time.Date(2100, 12, 31, 23, 0, 0, 0, time.UTC) }},
		{name: "an ETA in 2101", edit: func(f *RoomFields) { f.STSETA = time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC) },
			fields: []string{"sts_eta"}},
		{name: "every cargo class", edit: func(f *RoomFields) { f.CargoClass = CargoGas }},
		{name: "an unknown cargo class", edit: func(f *RoomFields) { f.CargoClass = "coal" }, fields: []string{"cargo_class"}},
		{name: "a malformed coastal area", edit: func(f *RoomFields) { f.CoastalArea = "Malta!" }, fields: []string{"coastal_area"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := maltaRoom()
			tt.edit(&f)
			assertFields(t, f.Normalize(), tt.fields)
		})
	}
}

func TestRoomFieldsNormalizeTrims(t *testing.T) {
	f := maltaRoom()
	f.Title, f.Location, f.Description, f.CargoType = " Malta STS ", "\tHurd's Bank\n", "  ", " crude "
	if err := f.Normalize(); err != nil {
		t.Fatal(err)
	}
	if f.Title != "Malta STS" || f.Location != "Hurd's Bank" || f.Description != "" || f.CargoType != "crude" {
		t.Fatalf("not trimmed: %+v", f)
	}
}

func TestRoomFieldsNormalizeMessages(t *testing.T) {
	f := RoomFields{Title: repeat("x", 201), Description: repeat("x", 5001), CargoQuantity: floatp(-5)}
	err := f.Normalize()
	want := map[string]string{
		"title":          "must be at most 200 characters",
		"location":       "is required",
		"sts_eta":        "is required",
		"description":    "must be at most 5000 characters",
		"cargo_quantity": "must be between 0 and 10000000",
	}
	for field, msg := range want {
		if got := messageOf(err, field); got != msg {
			t.Errorf("message for %s = %q, want %q", field, got, msg)
		}
	}
}
