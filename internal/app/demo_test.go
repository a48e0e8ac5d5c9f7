package app_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
)

// TestLoadDemo loads the Malta operation twice (the second time only prints the logins)
// and checks a demo user sees a realistic room whose trail verifies.
func TestLoadDemo(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		var out bytes.Buffer
		if err := app.LoadDemo(t.Context(), env.App.Service(), &out, time.Now()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "vetting@mediterra-trading.demo") || !strings.Contains(out.String(), app.DemoPassword) {
			t.Fatalf("logins not printed:\n%s", out.String())
		}
		out.Reset()
		if err := app.LoadDemo(t.Context(), env.App.Service(), &out, time.Now()); err != nil || !strings.Contains(out.String(), "already loaded") {
			t.Fatalf("second load: %v\n%s", err, out.String())
		}
		res := env.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": "vetting@mediterra-trading.demo", "password": app.DemoPassword})
		var login struct {
			Token string `json:"token"`
		}
		res.JSON(&login)
		var rooms struct {
			Items []struct {
				ID       string `json:"id"`
				Status   string `json:"status"`
				Progress struct {
					Required, Approved int
				} `json:"progress"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms", login.Token, nil).JSON(&rooms)
		if len(rooms.Items) != 1 || rooms.Items[0].Status != "clearing" || rooms.Items[0].Progress.Approved < 5 {
			t.Fatalf("demo room: %+v", rooms)
		}
		var vessels struct {
			Items []struct {
				Name               string   `json:"name"`
				RegisteredOwnerIMO string   `json:"registered_owner_imo"`
				DOCCompanyIMO      string   `json:"doc_company_imo"`
				SizeClass          string   `json:"size_class"`
				Warnings           []string `json:"warnings"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms/"+rooms.Items[0].ID+"/vessels", login.Token, nil).JSON(&vessels)
		if len(vessels.Items) != 2 {
			t.Fatalf("demo vessels: %+v", vessels)
		}
		for _, v := range vessels.Items {
			if len(v.RegisteredOwnerIMO) != 7 || len(v.DOCCompanyIMO) != 7 || v.SizeClass != "Aframax" || len(v.Warnings) != 0 {
				t.Errorf("demo vessel: %+v", v)
			}
		}
		// The pre-fixture checklists as the operators left them: the discharging ship's signed
		// by both ships and awaiting the POAC, the receiving ship's held by a "no".
		var lists struct {
			Items []struct {
				VesselName string `json:"vessel_name"`
				Phase      int    `json:"phase"`
				Lacks      string `json:"lacks"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms/"+rooms.Items[0].ID+"/checklists", login.Token, nil).JSON(&lists)
		lacks := map[string]string{}
		for _, c := range lists.Items {
			if c.Phase == 1 {
				lacks[c.VesselName] = c.Lacks
			}
		}
		if lacks["MT AEGEAN SERENITY"] != "awaits the signature of the POAC" ||
			!strings.HasPrefix(lacks["MT LEVANT PIONEER"], "required item 4 answered no; awaits the signatures of") {
			t.Errorf("demo checklists 1: %q", lacks)
		}
		if _, err := env.App.Service().VerifyAudit(t.Context(), ""); err != nil {
			t.Fatal(err)
		}
	})
}
