package io.streembit.dht;

/**
 * Hooks for the node's figures. The DHT stays framework-free: the gateway adapts these calls
 * to Micrometer, tests and the CLI use {@link CountingDhtMetrics}. Calls happen on event-loop
 * threads and must not block.
 */
public interface DhtMetrics {
    DhtMetrics NOOP = new DhtMetrics() {};

    /** An RPC this node answered. */
    default void rpcServed(String op) {}

    /** An RPC this node sent, with its outcome ("ok", an error code, or "timeout"). */
    default void rpcSent(String op, String outcome, long nanos) {}

    /** Something refused: a frame, a handshake, a record, a peer over its limits. */
    default void rejected(String reason) {}

    /** A finished lookup: how many rounds of queries it took, and how long. */
    default void lookup(String kind, int hops, long nanos, boolean found) {}

    default void connectionOpened(boolean inbound) {}

    default void connectionClosed() {}
}
