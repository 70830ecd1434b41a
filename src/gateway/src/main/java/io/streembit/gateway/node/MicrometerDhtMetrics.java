package io.streembit.gateway.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streembit.dht.DhtMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The DHT node's hooks as Micrometer meters ({@code streembit_dht_*}). */
final class MicrometerDhtMetrics implements DhtMetrics {
    private final MeterRegistry registry;
    // Every RPC records one of these: a registry look-up each time builds and sorts the tags.
    // Ops and outcomes are few (the protocol's ops, ok, timeout and its error codes).
    private final Map<String, Counter> served = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Timer>> sent = new ConcurrentHashMap<>();

    MicrometerDhtMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void rpcServed(String op) {
        served.computeIfAbsent(op, o -> registry.counter("streembit.dht.rpc.served", "op", o))
                .increment();
    }

    @Override
    public void rpcSent(String op, String outcome, long nanos) {
        sent.computeIfAbsent(op, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, out -> registry.timer("streembit.dht.rpc.sent", "op", op, "outcome", out))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(String reason) {
        // bad-signature, fork, not-allowed... dropped at the DHT layer before any gateway code sees them
        registry.counter("streembit.dht.rejected", "reason", reason).increment();
    }

    @Override
    public void connectionOpened(boolean inbound) {
        registry.counter("streembit.dht.connections.opened", "direction", inbound ? "in" : "out")
                .increment();
    }

    @Override
    public void connectionClosed() {
        registry.counter("streembit.dht.connections.closed").increment();
    }

    @Override
    public void lookup(String kind, int hops, long nanos, boolean found) {
        registry.timer("streembit.dht.lookup", "kind", kind, "found", Boolean.toString(found))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
