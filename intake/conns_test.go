package intake

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// limitedServer serves h through a connLimit of max connections, with a
// header timeout far longer than any test: only making room lets a page
// through.
func limitedServer(t *testing.T, h http.Handler, max int) (*connLimit, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	limit := newConnLimit(ln, max)
	srv := &http.Server{Handler: h, ConnState: limit.ConnState, ReadHeaderTimeout: time.Hour}
	go srv.Serve(limit)
	t.Cleanup(func() { srv.Close() })
	return limit, ln.Addr().String()
}

// TestSilentConnectionsMakeRoom fills every connection with silent ones,
// as one client can: a page is still served, because the newcomer closes
// the connection idle longest, and again after they are all opened anew.
func TestSilentConnectionsMakeRoom(t *testing.T) {
	_, _, ts := newTestServer(t, Config{})
	ts.Close()
	s, _ := testServers.Load(ts.URL)
	const max = 32
	limit, addr := limitedServer(t, s.(*Server), max)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for round := range 2 {
		var silent []net.Conn
		for range max {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			silent = append(silent, c)
		}
		resp, err := client.Get("http://" + addr + "/ko/")
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("round %d: status %d", round, resp.StatusCode)
		}
		for _, c := range silent {
			c.Close()
		}
	}
	if limit.Shed() == 0 {
		t.Fatal("no silent connection was closed to make room")
	}
}

// TestBusyConnectionsAreNotShed fills every connection with uploads in
// progress and sends one more request: it waits its turn, and no upload
// is cut to make room for it.
func TestBusyConnectionsAreNotShed(t *testing.T) {
	release := make(chan struct{})
	got := make(chan struct{}, 2)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			got <- struct{}{}
			<-release
			io.Copy(io.Discard, r.Body)
		}
		fmt.Fprint(w, "ok")
	})
	limit, addr := limitedServer(t, h, 2)
	var uploads []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 4\r\n\r\nab")
		uploads = append(uploads, c)
	}
	<-got
	<-got
	page := make(chan error, 1)
	go func() {
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
		}
		page <- err
	}()
	close(release)
	for i, c := range uploads {
		fmt.Fprint(c, "cd")
		status, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.Contains(status, "200") {
			t.Fatalf("upload %d: %q, %v", i, status, err)
		}
		c.Close()
	}
	if err := <-page; err != nil {
		t.Fatalf("the request that waited: %v", err)
	}
	if limit.Shed() != 0 {
		t.Fatalf("%d connections with a request in progress were closed", limit.Shed())
	}
}
