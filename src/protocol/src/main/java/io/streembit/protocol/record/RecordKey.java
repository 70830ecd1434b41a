package io.streembit.protocol.record;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;

/**
 * Where a record lives in the DHT: {@code SHA-1(pub (33 bytes) || 0x00 || UTF-8(salt))}. The
 * key is a function of the publisher's key, so nobody else can publish under it; the fixed
 * 33-byte key and the separator make the preimage unambiguous.
 */
public final class RecordKey {
    /** The wire limit on a salt; a network may configure a lower one ({@link RecordLimits}). */
    public static final int MAX_SALT_BYTES = 64;

    private RecordKey() {}

    /** The key of the record {@code pub} publishes under {@code salt}. */
    public static NodeId of(PublicKey pub, String salt) {
        try {
            return NodeId.sha1Of(pub.compressed(), new byte[] {0}, saltBytes(salt));
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The UTF-8 bytes of a salt, refusing salts that are not well-formed Unicode or longer
     * than {@link #MAX_SALT_BYTES} bytes (MALFORMED).
     */
    public static byte[] saltBytes(String salt) throws ProtocolException {
        if (salt == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, "salt is missing");
        }
        StrictObject.wellFormed(salt, "salt");
        byte[] bytes = salt.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SALT_BYTES) {
            throw new ProtocolException(
                    ErrorCode.MALFORMED,
                    "salt is " + bytes.length + " UTF-8 bytes, at most " + MAX_SALT_BYTES + " allowed");
        }
        return bytes;
    }
}
