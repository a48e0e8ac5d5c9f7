// Command stshub is the STS Clearance Hub: the server and its command-line tools.
package main

import (
	"os"
	// The tz database in the binary: catalogue types name the zone their validity ends in
	// (12:00 GMT for the P&I year), and that must load on a machine without zoneinfo.
	_ "time/tzdata"

	"github.com/stshub/stshub/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
