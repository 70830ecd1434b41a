package io.streembit.protocol.record;

import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;

/**
 * A record that passed every check of {@link RecordValidator}: signed by its {@code pub}, stored
 * under the key derived from {@code pub} and {@code salt}, within the limits, at the time of
 * validation. Only the validator constructs it.
 */
public final class VerifiedRecord {
    private final NodeId key;
    private final RecordPayload payload;
    private final String token;

    VerifiedRecord(NodeId key, RecordPayload payload, String token) {
        this.key = key;
        this.payload = payload;
        this.token = token;
    }

    public NodeId key() {
        return key;
    }

    public RecordPayload payload() {
        return payload;
    }

    /** The compact JWS exactly as validated: what a node stores and serves. */
    public String token() {
        return token;
    }

    /** The token's size in bytes (it is ASCII), the figure the size limit applies to. */
    public int encodedSize() {
        return token.length();
    }

    public PublicKey publisher() {
        return payload.pub();
    }

    public long seq() {
        return payload.seq();
    }

    public boolean isLog() {
        return payload.log();
    }

    @Override
    public String toString() {
        return "VerifiedRecord[key=" + key + ", publisher=" + payload.pub().nodeId() + ", salt=" + payload.salt()
                + ", seq=" + payload.seq() + ", log=" + payload.log() + "]";
    }
}
