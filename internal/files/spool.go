package files

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Spool files. A Put writes to a temp file before the blob is published; a process that
// dies mid-Put leaves it behind. So that a clean-up can tell those leftovers from the
// spool files of a live Put (of this process or another sharing the folder), every store
// that spools holds an exclusive lock (flock) on an owner file in the spool folder for as
// long as its process lives, and names its spool files after that owner:
//
//	<prefix>owner-<token>.lock      locked while the owning process lives
//	<prefix>put-<token>-<random>    a spool file of that owner
//
// A spool file is removed when its owner's lock can be taken (the owner is dead: the
// kernel drops a lock with its process), or, when its owner file is missing or the name
// has no owner (an older version's), once it is older than StaleSpoolAge. Where flock is
// missing (not unix) only the age rule applies.

// StaleSpoolAge is the age past which a spool file without a known owner is removed.
const StaleSpoolAge = time.Hour

// spooler creates the spool files of one store and removes the leftovers of dead ones.
type spooler struct {
	prefix string // "" in a store's own folder, "stshub-s3-" in the shared temp folder
	token  string

	mu     sync.Mutex
	owners map[string]*os.File // spool folder → its locked owner file, opened on first use
}

func newSpooler(prefix string) *spooler {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &spooler{prefix: prefix, token: hex.EncodeToString(b), owners: map[string]*os.File{}}
}

func (s *spooler) ownerName(token string) string { return s.prefix + "owner-" + token + ".lock" }

// IsSpoolOwner reports whether a file name is a store's spool owner file: the lock a live
// process holds (and the next start removes once its process is gone), not an upload's
// leftover.
func IsSpoolOwner(name string) bool {
	_, rest, ok := strings.Cut(name, "owner-")
	return ok && strings.HasSuffix(rest, ".lock")
}

// create opens a new spool file in dir, owned by this spooler.
func (s *spooler) create(dir string) (*os.File, error) {
	if err := s.own(dir); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, s.prefix+"put-"+s.token+"-*")
}

// own makes sure this spooler's owner file in dir exists and is locked.
func (s *spooler) own(dir string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.owners[dir]; ok {
		return nil
	}
	path := filepath.Join(dir, s.ownerName(s.token))
	for range 3 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("spool owner: %w", err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			return fmt.Errorf("spool owner: lock: %w", err)
		}
		// A clean-up may have taken the new file's lock first, taken it for a dead owner's
		// and removed it: then this lock is on a file no longer in the folder; try again.
		if held, err := f.Stat(); err == nil {
			if named, err := os.Stat(path); err == nil && os.SameFile(held, named) {
				s.owners[dir] = f // held until the process ends
				return nil
			}
		}
		f.Close()
	}
	return errors.New("spool owner: the owner file keeps disappearing")
}

// ownerState is what a clean-up knows of a spool file's owner.
type ownerState int

const (
	ownerUnknown ownerState = iota // no owner file, or locks are not supported here
	ownerAlive                     // its lock is held
	ownerGone                      // its lock was free: taken now, until the clean-up ends
)

// cleanup is one pass of removeStale over a folder.
type cleanup struct {
	s      *spooler
	dir    string
	states map[string]ownerState
	locked map[string]*os.File // owner files of gone owners, locked by this pass
}

// removeStale removes the spool files in dir that no live owner writes, and the owner
// files of dead owners, and returns how many spool files it removed.
func (s *spooler) removeStale(dir string, now time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("spool folder: %w", err)
	}
	c := cleanup{s: s, dir: dir, states: map[string]ownerState{}, locked: map[string]*os.File{}}
	defer c.close()
	removed := 0
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if rest, ok := strings.CutPrefix(name, s.prefix+"owner-"); ok && strings.HasSuffix(rest, ".lock") {
			c.owner(strings.TrimSuffix(rest, ".lock")) // a gone owner's file goes at the end
			continue
		}
		rest, ok := strings.CutPrefix(name, s.prefix+"put-")
		if !ok || e.IsDir() {
			continue
		}
		state := ownerUnknown
		if token, _, named := strings.Cut(rest, "-"); named {
			state = c.owner(token)
		}
		if state == ownerAlive {
			continue
		}
		if state == ownerUnknown {
			info, err := e.Info()
			if err != nil || now.Sub(info.ModTime()) <= StaleSpoolAge {
				continue
			}
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// owner finds out whether owner token is alive by trying its lock.
func (c *cleanup) owner(token string) ownerState {
	if token == c.s.token {
		return ownerAlive
	}
	if st, seen := c.states[token]; seen {
		return st
	}
	st := ownerUnknown
	if f, err := os.OpenFile(filepath.Join(c.dir, c.s.ownerName(token)), os.O_RDWR, 0); err == nil {
		switch got, err := tryLockFile(f); {
		case err == nil && got:
			st, c.locked[token] = ownerGone, f
		case err == nil && lockSupported:
			st = ownerAlive
			f.Close()
		default:
			f.Close()
		}
	}
	c.states[token] = st
	return st
}

// close removes the owner files of the gone owners, then lets their locks go.
func (c *cleanup) close() {
	for token, f := range c.locked {
		os.Remove(filepath.Join(c.dir, c.s.ownerName(token)))
		f.Close()
	}
}
