package svckit

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/eventbus"
)

// Go runs fn in a goroutine until the kit closes: its context is cancelled
// and Close waits for fn to return before closing the resources added
// before the call (the database, the bus), so a background loop never
// outlives what it uses.
func (k *Kit) Go(name string, fn func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
			k.log.Error(name+" stopped", slog.String("error", err.Error()))
		}
	}()
	k.OnClose(func() error {
		cancel()
		<-done
		return nil
	})
}

// OpenBus connects to the configured event bus: HIRFA_REDIS_URL, else the
// embedded server at HIRFA_BUS_ADDR. With host set (the consumer that hosts
// the embedded default's server) and no URL, it starts the in-process
// Redis-protocol server on HIRFA_BUS_ADDR (a free loopback port when
// unset); without host it connects to HIRFA_BUS_ADDR as to a Redis. The bus
// closes with the kit.
func (k *Kit) OpenBus(host bool) (*eventbus.Bus, error) {
	o := eventbus.Options{URL: k.cfg.RedisURL, Prefix: k.cfg.BusPrefix}
	if o.URL == "" {
		if host {
			o.EmbeddedAddr = k.cfg.BusAddr
		} else {
			o.URL = "redis://" + k.cfg.BusAddr
		}
	}
	bus, err := eventbus.Open(o)
	if err != nil {
		return nil, err
	}
	k.OnClose(bus.Close)
	if bus.Embedded() {
		k.log.Info("event bus: embedded Redis-protocol server", slog.String("addr", bus.Addr()))
	}
	return bus, nil
}

// StartRelay runs the outbox relay of a producing service (source names its
// stream, e.g. "registry") in the background, when a bus is configured
// (HIRFA_REDIS_URL or HIRFA_BUS_ADDR). Without one it logs that the outbox
// is not relayed: the rows stay and go out once a bus is configured. An
// unreachable bus is retried by the relay, so a producer starts before the
// embedded default's host does.
func (k *Kit) StartRelay(source string) error {
	if !k.cfg.Bus.Configured() {
		k.log.Info("event relay off: neither HIRFA_REDIS_URL nor HIRFA_BUS_ADDR is set; the outbox keeps its rows")
		return nil
	}
	bus, err := k.OpenBus(false)
	if err != nil {
		return err
	}
	relay := &eventbus.Relay{DB: k.DB, Bus: bus, Source: source, Log: k.log}
	k.Go("event relay", relay.Run)
	return nil
}
