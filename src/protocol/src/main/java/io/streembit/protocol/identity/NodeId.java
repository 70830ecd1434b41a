package io.streembit.protocol.identity;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Hashes;

import java.util.Arrays;

/**
 * A 160-bit Kademlia id: a node id, an account id (both SHA-1 of a public key) or a record key.
 * Written as 40 lowercase hex characters.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 20;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    static NodeId of(byte[] twentyBytes) {
        return new NodeId(twentyBytes);
    }

    public static NodeId fromBytes(byte[] bytes) throws ProtocolException {
        if (bytes.length != BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "an id is 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId fromHex(String hex) throws ProtocolException {
        return new NodeId(Hex.decode(hex, BYTES, "id"));
    }

    /** SHA-1 of arbitrary bytes, as used for record keys. */
    public static NodeId sha1Of(byte[]... parts) {
        return new NodeId(Hashes.sha1(parts));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    /** XOR distance to another id, as 20 big-endian bytes. */
    public byte[] distance(NodeId other) {
        byte[] d = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return d;
    }

    /**
     * Index of the highest differing bit (0..159), i.e. the k-bucket another id falls into
     * relative to this one; -1 when equal.
     */
    public int bucketIndex(NodeId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return (BYTES - 1 - i) * 8 + (31 - Integer.numberOfLeadingZeros(x));
            }
        }
        return -1;
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
