package httpx

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestLimitRanges(t *testing.T) {
	for _, c := range []struct {
		ranges int
		kept   bool
	}{{1, true}, {16, true}, {17, false}, {500, false}} {
		specs := make([]string, c.ranges)
		for i := range specs {
			specs[i] = strconv.Itoa(i) + "-" + strconv.Itoa(i)
		}
		r := httptest.NewRequest("GET", "/f", nil)
		r.Header.Set("Range", "bytes="+strings.Join(specs, ","))
		LimitRanges(r)
		if got := r.Header.Get("Range") != ""; got != c.kept {
			t.Errorf("%d ranges: kept %v, want %v", c.ranges, got, c.kept)
		}
	}
}
