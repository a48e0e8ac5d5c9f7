package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/reqinfo"
)

// from is a request context whose client address is ip.
func from(ip string) context.Context {
	return reqinfo.With(context.Background(), &reqinfo.Info{IP: ip})
}

// TestLoginBurstIsCountedBeforeTheChecks: 40 wrong passwords sent at once against one account
// from one address: at most the account-and-address bucket's 5 are checked (401), the rest
// are refused before any password check (429). The owner, from another address, still gets in.
func TestLoginBurstIsCountedBeforeTheChecks(t *testing.T) {
	env := apptest.New(t, "")
	env.CreateUser("vetting@mediterra.test")
	svc := env.App.Service()
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc.Login(from("203.0.113.7"), "vetting@mediterra.test", "not-the-password")
			var limited *apperr.RateLimitedError
			kind := "other"
			switch {
			case errors.As(err, &limited):
				kind = "limited"
			case errors.Is(err, apperr.ErrUnauthenticated):
				kind = "checked"
			}
			mu.Lock()
			counts[kind]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts["checked"] != 5 || counts["limited"] != 35 {
		t.Fatalf("burst of 40: %v, want 5 checked and 35 refused unchecked", counts)
	}
	if _, err := svc.Login(from("198.51.100.20"), "vetting@mediterra.test", apptest.Password); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	// The flooding address is still held back, even with the right password.
	var limited *apperr.RateLimitedError
	if _, err := svc.Login(from("203.0.113.7"), "vetting@mediterra.test", apptest.Password); !errors.As(err, &limited) {
		t.Fatalf("the flooding address: %v, want rate limited", err)
	}
}
