package browserproc

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// A minimal WebSocket client (RFC 6455), just what CDP and WebDriver BiDi
// need: one connection to a loopback address, text messages out, text or
// binary messages in, pings answered.

const (
	wsGUID       = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
	wsMaxMessage = 64 << 20 // screenshots are the largest messages

	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
	wsPing         = 0x9
	wsPong         = 0xA
)

// WebSocket is a client connection from [DialWebSocket].
type WebSocket struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex
}

// DialWebSocket opens a ws:// connection to a loopback address. The
// connection's deadline is ctx's, so nothing can hang past it.
func DialWebSocket(ctx context.Context, raw string) (*WebSocket, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("websocket: %s: want a ws:// URL", raw)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("websocket: %s is not a loopback address", u.Host)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	key := base64.StdEncoding.EncodeToString(nonce)
	// No Origin header: Chromium refuses WebSocket clients that send one it
	// was not told to allow (--remote-allow-origins).
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	br := bufio.NewReaderSize(conn, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake: %w", err)
	}
	resp.Body.Close() // a 101 has no body; the frames follow in br
	sum := sha1.Sum([]byte(key + wsGUID))
	switch {
	case resp.StatusCode != http.StatusSwitchingProtocols:
		err = fmt.Errorf("websocket handshake: %s", resp.Status)
	case !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"):
		err = errors.New("websocket handshake: no Upgrade: websocket")
	case resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]):
		err = errors.New("websocket handshake: wrong Sec-WebSocket-Accept")
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &WebSocket{conn: conn, br: br}, nil
}

// Close closes the connection.
func (c *WebSocket) Close() error { return c.conn.Close() }

// WriteText sends one text message in a single frame.
func (c *WebSocket) WriteText(p []byte) error { return c.writeFrame(wsText, p) }

// writeFrame writes a final frame. A client masks every frame it sends.
func (c *WebSocket) writeFrame(op byte, p []byte) error {
	n := len(p)
	f := make([]byte, 0, 14+n)
	f = append(f, 0x80|op)
	switch {
	case n < 126:
		f = append(f, 0x80|byte(n))
	case n <= 0xffff:
		f = append(f, 0x80|126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	default:
		f = append(f, 0x80|127)
		f = binary.BigEndian.AppendUint64(f, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	f = append(f, mask[:]...)
	for i, b := range p {
		f = append(f, b^mask[i&3])
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.conn.Write(f)
	return err
}

// ReadMessage returns the next text or binary message, joining fragments and
// answering pings on the way. It returns io.EOF when the server closes.
func (c *WebSocket) ReadMessage() ([]byte, error) {
	var msg []byte
	inMessage := false
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		if h[0]&0x70 != 0 {
			return nil, errors.New("websocket: reserved bits set")
		}
		if h[1]&0x80 != 0 {
			return nil, errors.New("websocket: the server masked a frame")
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if op >= wsClose && (n > 125 || !fin) {
			return nil, errors.New("websocket: bad control frame")
		}
		if n > wsMaxMessage || uint64(len(msg))+n > wsMaxMessage {
			return nil, errors.New("websocket: message too large")
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return nil, err
		}
		switch op {
		case wsClose:
			c.writeFrame(wsClose, payload[:min(2, len(payload))])
			return nil, io.EOF
		case wsPing:
			if err := c.writeFrame(wsPong, payload); err != nil {
				return nil, err
			}
			continue
		case wsPong:
			continue
		case wsText, wsBinary:
			if inMessage {
				return nil, errors.New("websocket: new message inside a fragmented one")
			}
			inMessage, msg = true, payload
		case wsContinuation:
			if !inMessage {
				return nil, errors.New("websocket: continuation without a message")
			}
			msg = append(msg, payload...)
		default:
			return nil, fmt.Errorf("websocket: unknown opcode %#x", op)
		}
		if fin {
			return msg, nil
		}
	}
}
