package firefox

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"testimony/tests/browserproc"
)

// events is the WebDriver BiDi side of the Marionette session: Marionette
// has commands but no events, so a page that loads without a command
// asking for it (the second tap of a double tap, the Refresh of the quick
// exit) could only be waited for by asking again and again. BiDi tells
// when each page has loaded. The session is the same one: Marionette's
// NewSession with webSocketUrl gives its address.
type events struct {
	ws   *browserproc.WebSocket
	mu   sync.Mutex
	id   int
	subs map[chan loadEvent]struct{}
	reqs map[*[]string]struct{} // request recorders (Tab.RecordRequests)
	// answers of BiDi commands, by id
	pending map[int]chan error
	done    chan struct{} // closed when the connection ends
	err     error         // why; set before done is closed
}

// loadEvent is a browsingContext.load event: a document finished loading.
type loadEvent struct {
	Context string `json:"context"`
	URL     string `json:"url"`
}

func dialEvents(ctx context.Context, url string) (*events, error) {
	ws, err := browserproc.DialWebSocket(ctx, url)
	if err != nil {
		return nil, err
	}
	e := &events{ws: ws, subs: map[chan loadEvent]struct{}{}, reqs: map[*[]string]struct{}{}, pending: map[int]chan error{}, done: make(chan struct{})}
	go e.readLoop()
	if err := e.call(ctx, "session.subscribe", map[string]any{"events": []string{"browsingContext.load", "network.beforeRequestSent"}}); err != nil {
		ws.Close()
		return nil, err
	}
	return e, nil
}

func (e *events) readLoop() {
	defer close(e.done)
	for {
		raw, err := e.ws.ReadMessage()
		if err != nil {
			e.err = err
			return
		}
		var m struct {
			Type   string          `json:"type"`
			ID     int             `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Error  string          `json:"error"`
			Msg    string          `json:"message"`
		}
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		e.mu.Lock()
		switch m.Type {
		case "success", "error":
			if ch := e.pending[m.ID]; ch != nil {
				delete(e.pending, m.ID)
				if m.Type == "error" {
					ch <- fmt.Errorf("bidi: %s: %s", m.Error, m.Msg)
				} else {
					ch <- nil
				}
			}
		case "event":
			var req struct {
				Context *string
				Request struct{ URL string }
			}
			// A request of a page has its browsing context; the
			// browser's own (updates, settings) has none.
			if m.Method == "network.beforeRequestSent" && json.Unmarshal(m.Params, &req) == nil && req.Context != nil {
				for r := range e.reqs {
					*r = append(*r, req.Request.URL)
				}
			}
			var ev loadEvent
			if m.Method == "browsingContext.load" && json.Unmarshal(m.Params, &ev) == nil {
				for ch := range e.subs {
					select {
					case ch <- ev:
					default: // nobody waits for so many: dropped
					}
				}
			}
		}
		e.mu.Unlock()
	}
}

func (e *events) call(ctx context.Context, method string, params any) error {
	e.mu.Lock()
	e.id++
	id := e.id
	ch := make(chan error, 1)
	e.pending[id] = ch
	e.mu.Unlock()
	msg, _ := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err := e.ws.WriteText(msg); err != nil {
		return err
	}
	select {
	case err := <-ch:
		return err
	case <-e.done:
		return fmt.Errorf("bidi: %s: connection lost: %v", method, e.err)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// loads delivers every page load from now on until stop is called.
// Subscribe before the action that causes the load.
func (e *events) loads() (ch <-chan loadEvent, stop func()) {
	c := make(chan loadEvent, 16)
	e.mu.Lock()
	e.subs[c] = struct{}{}
	e.mu.Unlock()
	return c, func() {
		e.mu.Lock()
		delete(e.subs, c)
		e.mu.Unlock()
	}
}

// waitLoad waits for one load from ch, or fails the test when the
// connection or the context ends first.
func (b *Browser) waitLoad(t testing.TB, ch <-chan loadEvent, what string) loadEvent {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-b.ev.done:
		t.Fatalf("waiting for %s: BiDi connection lost: %v", what, b.ev.err)
	case <-b.ctx.Done():
		t.Fatalf("waiting for %s: %v", what, b.ctx.Err())
	}
	return loadEvent{}
}

// RecordRequests records the address of every request the window's pages
// make from now on, subresources and favicons included, and not the
// browser's own. The returned function gives them so far, in order.
func (p *Tab) RecordRequests(t testing.TB) (urls func() []string) {
	e := p.b.ev
	var seen []string
	e.mu.Lock()
	e.reqs[&seen] = struct{}{}
	e.mu.Unlock()
	t.Cleanup(func() {
		e.mu.Lock()
		delete(e.reqs, &seen)
		e.mu.Unlock()
	})
	return func() []string {
		e.mu.Lock()
		defer e.mu.Unlock()
		return append([]string(nil), seen...)
	}
}
