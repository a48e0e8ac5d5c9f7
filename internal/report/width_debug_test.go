package report

import "testing"

func TestWidthDebug(t *testing.T) {
	f := newDoc()
	f.AddPage()
	for _, c := range []struct{ fam, st string; sz float64; s string }{
		{fontSans, "", 9, "2026-03-02 08:00:00"},
		{fontSans, "", 9, "technical@elliniki-naftilia.gr"},
		{fontSans, "", 9, "vetting@mediterra-trading.ch"},
		{fontSans, "", 9, "ops@vallettashipbrokers.com.mt"},
		{fontSans, "", 9, "crude.supply@adriatic-refining.hr"},
		{fontSans, "", 9, "room_status_changed"},
		{fontSans, "", 9, "requirement_waived"},
		{fontSans, "", 9, "2026-03-18 14:30"},
		{fontSans, "", 9, "removed 2026-03-10"},
		{fontSans, "B", 9, "removed 2026-03-10"},
		{fontSans, "", 9, "IOPP certificate + Supplement Form B"},
		{fontSans, "", 9, "Joint Plan of Operation (incl. mooring plan)"},
		{fontMono, "", 8, "0123456789ab"},
		{fontSans, "", 9, "under review"},
		{fontSans, "B", 9, "under review"},
	} {
		f.SetFont(c.fam, c.st, c.sz)
		t.Logf("%-45q %.1f mm", c.s, f.GetStringWidth(c.s))
	}
}
