package eventbus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/proto"

	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// DefaultPrefix prefixes every key the bus uses.
const DefaultPrefix = "hirfa:"

// Bus is a connection to the Redis (or embedded Redis-protocol) server that
// carries the streams.
type Bus struct {
	// Client is the Redis client; safe for concurrent use.
	Client *redis.Client
	// Prefix is prepended to every key (streams, dead letters, markers).
	Prefix   string
	embedded *miniredis.Miniredis
}

// Options configure Open.
type Options struct {
	// URL is a redis:// or rediss:// URL. Empty starts the embedded server.
	URL string
	// EmbeddedAddr is where the embedded server listens ("127.0.0.1:0" when
	// empty: a free port). Use a fixed loopback address when other local
	// processes must reach it.
	EmbeddedAddr string
	// Prefix defaults to DefaultPrefix.
	Prefix string
}

// Open connects to the server at o.URL, or starts the embedded server when
// o.URL is empty. It does not wait for a remote server to answer: the relay
// and consumers retry until it does.
func Open(o Options) (*Bus, error) {
	prefix := o.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if o.URL != "" {
		opt, err := redis.ParseURL(o.URL)
		if err != nil {
			return nil, fmt.Errorf("event bus: redis URL: %w", err)
		}
		return &Bus{Client: redis.NewClient(opt), Prefix: prefix}, nil
	}
	addr := o.EmbeddedAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr(addr); err != nil {
		return nil, fmt.Errorf("event bus: start embedded server on %s: %w", addr, err)
	}
	return &Bus{Client: redis.NewClient(&redis.Options{Addr: m.Addr()}), Prefix: prefix, embedded: m}, nil
}

// Embedded reports whether the bus runs on the in-process server.
func (b *Bus) Embedded() bool { return b.embedded != nil }

// Addr is the server's address (host:port).
func (b *Bus) Addr() string { return b.Client.Options().Addr }

// Close closes the client and stops the embedded server, if any.
func (b *Bus) Close() error {
	err := b.Client.Close()
	if b.embedded != nil {
		b.embedded.Close()
	}
	return err
}

// Stream is the stream of one source service's events.
func (b *Bus) Stream(source string) string { return b.Prefix + "events:" + source }

// DeadLetterStream is the dead-letter stream of a consumer group.
func (b *Bus) DeadLetterStream(group string) string { return b.Prefix + "deadletter:" + group }

func (b *Bus) markerKey(source string) string { return b.Prefix + "relay:" + source }

// Stream entry fields.
const (
	fieldID       = "id"
	fieldType     = "type"
	fieldSubject  = "subject"
	fieldEnvelope = "envelope"
)

func entryValues(env *eventv1.Envelope) ([]any, error) {
	b, err := proto.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("encode envelope %s: %w", env.GetId(), err)
	}
	return []any{fieldID, env.GetId(), fieldType, env.GetType(), fieldSubject, env.GetSubject(), fieldEnvelope, b}, nil
}

func decodeEntry(m redis.XMessage) (*eventv1.Envelope, error) {
	raw, ok := m.Values[fieldEnvelope].(string)
	if !ok {
		return nil, errors.New("entry has no envelope field")
	}
	env := &eventv1.Envelope{}
	if err := proto.Unmarshal([]byte(raw), env); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	if env.GetId() == "" || env.GetType() == "" {
		return nil, errors.New("envelope without id or type")
	}
	return env, nil
}

// idTime is the time Redis added an entry, from its id ("<ms>-<seq>").
func idTime(id string) (time.Time, bool) {
	ms, _, ok := strings.Cut(id, "-")
	if !ok {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(n), true
}

// isNoGroup reports a Redis NOGROUP error (the group or stream is gone:
// Redis lost its data), however wrapped.
func isNoGroup(err error) bool { return err != nil && strings.Contains(err.Error(), "NOGROUP") }

// sleep waits d or until ctx ends, reporting whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
