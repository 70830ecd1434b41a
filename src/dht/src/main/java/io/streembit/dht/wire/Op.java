package io.streembit.dht.wire;

/** The RPCs of the Streembit DHT. */
public enum Op {
    PING,
    FIND_NODE,
    FIND_VALUE,
    STORE,
    SUBSCRIBE,
    NOTIFY
}
