package io.streembit.dht;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of every metric hook, for tests, the CLI and simple deployments. */
public final class CountingDhtMetrics implements DhtMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    private void add(String name) {
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    @Override
    public void rpcServed(String op) {
        add("served." + op);
    }

    @Override
    public void rpcSent(String op, String outcome, long nanos) {
        add("sent." + op + "." + outcome);
    }

    @Override
    public void rejected(String reason) {
        add("rejected." + reason);
    }

    @Override
    public void lookup(String kind, int hops, long nanos, boolean found) {
        add("lookup." + kind + (found ? ".found" : ".missed"));
    }

    @Override
    public void connectionOpened(boolean inbound) {
        add(inbound ? "connections.inbound" : "connections.outbound");
    }

    @Override
    public void connectionClosed() {
        add("connections.closed");
    }

    public long count(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    public long rejections(String reason) {
        return count("rejected." + reason);
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
