// Package e2e holds the end-to-end tests of stshub: they build the real binary once,
// run its commands as child processes (serve, admin, migrate, audit) against a temporary
// data folder or a fresh PostgreSQL schema, and talk to the server over HTTP.
//
// The PostgreSQL runs need STSHUB_TEST_DATABASE_URL, for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable; without it they are skipped.
package e2e
