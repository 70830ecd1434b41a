package io.streembit.dht.sim;

import java.util.Random;

/**
 * How long simulated RPCs take. Each RPC draws a round trip uniformly from
 * [{@code minRttMillis}, {@code maxRttMillis}]; the request reaches the peer after half of it.
 * A new connection first costs {@code setupRoundTrips} round trips (TCP connect, then the
 * hello exchange: 2 with the real transport; 0 models a network whose connections are all
 * warm). An RPC to a failed node fails after {@code timeoutMillis} (the node's request
 * timeout: the host is gone, nothing answers). CPU time (signatures, AEAD, JSON) is not modelled.
 */
record LatencyModel(
        int minRttMillis,
        int maxRttMillis,
        int setupRoundTrips,
        long timeoutMillis,
        int maxConnections,
        long idleTimeoutMillis) {

    /** 10-60 ms round trips, TCP + hello before the first request, the node's default limits. */
    static LatencyModel wideArea() {
        return new LatencyModel(10, 60, 2, 5_000, 256, 120_000);
    }

    LatencyModel withSetupRoundTrips(int value) {
        return new LatencyModel(minRttMillis, maxRttMillis, value, timeoutMillis, maxConnections, idleTimeoutMillis);
    }

    long roundTripMicros(Random random) {
        return 1000L * minRttMillis + (long) (random.nextDouble() * 1000L * (maxRttMillis - minRttMillis));
    }

    String describe() {
        return String.format(
                "round trip uniform %d-%d ms per RPC; a new connection costs %d extra round trips "
                        + "(TCP + signed hello); connections pooled per node (LRU, max %d, idle close %d s); "
                        + "RPC to a failed node times out after %d ms; CPU time not modelled",
                minRttMillis, maxRttMillis, setupRoundTrips, maxConnections, idleTimeoutMillis / 1000, timeoutMillis);
    }
}
