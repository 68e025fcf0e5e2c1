package intake

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// connLimit bounds the open connections of a listener. When a new
// connection comes at the bound, the connection that has waited longest
// without a request in progress (one that never sent a request, or sits
// idle between requests) is closed to make room: 512 connections opened
// and left silent by one client kept every page from being served until
// the header timeout closed them (19 s), and opening them again kept the
// site down. A request in progress is never cut for a newcomer; if every
// connection has one, the newcomer waits in the listen queue, as with a
// plain limit, until one ends (bodies that stop moving are cut, so it
// does not wait long).
//
// Its ConnState method must be the http.Server's ConnState.
type connLimit struct {
	net.Listener
	max int

	mu    sync.Mutex
	freed *sync.Cond
	conns map[net.Conn]*connInfo
	shed  int // connections closed to make room, for tests
}

type connInfo struct {
	busy  bool      // a request is in progress
	since time.Time // when it last became free of requests
}

func newConnLimit(l net.Listener, max int) *connLimit {
	c := &connLimit{Listener: l, max: max, conns: map[net.Conn]*connInfo{}}
	c.freed = sync.NewCond(&c.mu)
	return c
}

// Accept waits for a connection and makes room for it.
func (c *connLimit) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.conns) >= c.max {
		var victim net.Conn
		var oldest time.Time
		for k, info := range c.conns {
			if !info.busy && (victim == nil || info.since.Before(oldest)) {
				victim, oldest = k, info.since
			}
		}
		if victim == nil {
			c.freed.Wait()
			continue
		}
		delete(c.conns, victim)
		c.shed++
		victim.Close()
	}
	c.conns[conn] = &connInfo{since: time.Now()}
	return conn, nil
}

// ConnState follows each connection's state for Accept.
func (c *connLimit) ConnState(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	info, ok := c.conns[conn]
	switch state {
	case http.StateActive:
		if ok {
			info.busy = true
		}
	case http.StateIdle:
		if ok {
			info.busy, info.since = false, time.Now()
		}
	case http.StateHijacked, http.StateClosed:
		if ok {
			delete(c.conns, conn)
			c.freed.Signal()
		}
	}
}

// Shed reports how many connections were closed to make room.
func (c *connLimit) Shed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.shed
}
