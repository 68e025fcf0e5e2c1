module testimony

go 1.26.0

require (
	filippo.io/age v1.3.2
	go.etcd.io/bbolt v1.5.0
)

require (
	filippo.io/hpke v0.4.0 // indirect
	github.com/go-chi/chi/v5 v5.5.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/term v0.47.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
