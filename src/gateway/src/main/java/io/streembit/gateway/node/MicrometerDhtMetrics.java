package io.streembit.gateway.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.streembit.dht.DhtMetrics;

import java.util.concurrent.TimeUnit;

/** The DHT node's hooks as Micrometer meters ({@code streembit_dht_*}). */
final class MicrometerDhtMetrics implements DhtMetrics {
    private final MeterRegistry registry;

    MicrometerDhtMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void rpcServed(String op) {
        registry.counter("streembit.dht.rpc.served", "op", op).increment();
    }

    @Override
    public void rpcSent(String op, String outcome, long nanos) {
        registry.timer("streembit.dht.rpc.sent", "op", op, "outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(String reason) {
        // bad-signature, fork, not-allowed... dropped at the DHT layer before any gateway code sees them
        registry.counter("streembit.dht.rejected", "reason", reason).increment();
    }

    @Override
    public void connectionOpened(boolean inbound) {
        registry.counter("streembit.dht.connections.opened", "direction", inbound ? "in" : "out").increment();
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
