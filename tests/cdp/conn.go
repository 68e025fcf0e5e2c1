package cdp

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"testimony/tests/browserproc"
)

// conn sends CDP commands and receives their replies and events over one
// WebSocket. Commands for a page carry its sessionId (flat mode); the
// browser itself is session "".
type conn struct {
	ws     *browserproc.WebSocket
	nextID atomic.Int64

	mu      sync.Mutex
	pending map[int64]chan message
	subs    map[*sub]struct{}

	done chan struct{} // closed when the connection ends
	err  error         // why; set before done is closed
}

// sub receives the events of one method in one session: on ch, dropping
// what nobody waits for, or, if fn is set, by calling fn on the reading
// goroutine (fn must not block or call the connection).
type sub struct {
	session, method string
	ch              chan json.RawMessage
	fn              func(json.RawMessage)
}

type message struct {
	ID        int64           `json:"id"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result"`
	SessionID string          `json:"sessionId"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
}

func newConn(ws *browserproc.WebSocket) *conn {
	c := &conn{
		ws:      ws,
		pending: map[int64]chan message{},
		subs:    map[*sub]struct{}{},
		done:    make(chan struct{}),
	}
	go c.readLoop()
	return c
}

func (c *conn) readLoop() {
	for {
		b, err := c.ws.ReadMessage()
		if err != nil {
			c.err = err
			close(c.done)
			return
		}
		var m message
		if err := json.Unmarshal(b, &m); err != nil {
			continue
		}
		c.mu.Lock()
		if m.ID != 0 {
			if ch, ok := c.pending[m.ID]; ok {
				delete(c.pending, m.ID)
				ch <- m // buffered
			}
		} else {
			for s := range c.subs {
				if s.method != m.Method || s.session != m.SessionID {
					continue
				}
				if s.fn != nil {
					s.fn(m.Params)
					continue
				}
				select {
				case s.ch <- m.Params:
				default: // nobody is waiting for that many
				}
			}
		}
		c.mu.Unlock()
	}
}

// call sends a command and decodes its result into result, if not nil.
func (c *conn) call(ctx context.Context, session, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	id := c.nextID.Add(1)
	msg, err := json.Marshal(struct {
		ID        int64  `json:"id"`
		Method    string `json:"method"`
		Params    any    `json:"params"`
		SessionID string `json:"sessionId,omitempty"`
	}{id, method, params, session})
	if err != nil {
		return err
	}
	ch := make(chan message, 1)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	if err := c.ws.WriteText(msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d) %s", method, m.Error.Message, m.Error.Code, m.Error.Data)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s: decoding result: %w", method, err)
			}
		}
		return nil
	case <-c.done:
		return fmt.Errorf("%s: connection closed: %v", method, c.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// subscribe delivers the params of the session's events named method until
// stop is called. Subscribe before the action that causes the event.
func (c *conn) subscribe(session, method string) (events <-chan json.RawMessage, stop func()) {
	s := &sub{session: session, method: method, ch: make(chan json.RawMessage, 16)}
	c.add(s)
	return s.ch, func() { c.remove(s) }
}

// handle calls fn with the params of every such event until stop is called.
func (c *conn) handle(session, method string, fn func(json.RawMessage)) (stop func()) {
	s := &sub{session: session, method: method, fn: fn}
	c.add(s)
	return func() { c.remove(s) }
}

func (c *conn) add(s *sub) {
	c.mu.Lock()
	c.subs[s] = struct{}{}
	c.mu.Unlock()
}

func (c *conn) remove(s *sub) {
	c.mu.Lock()
	delete(c.subs, s)
	c.mu.Unlock()
}

func (c *conn) close() { c.ws.Close() }
