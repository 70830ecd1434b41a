package io.streembit.protocol.jose;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A "random" source that hands out fixed byte strings in order (JWE: the ephemeral scalar,
 * then the IV), so that an encryption is reproducible and its token can be a published vector.
 * It refuses a request of an unexpected size rather than silently changing the vector.
 */
final class FixedRandom extends SecureRandom {
    private final Deque<byte[]> queue = new ArrayDeque<>();

    FixedRandom(byte[]... values) {
        for (byte[] value : values) {
            queue.add(value.clone());
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = queue.poll();
        if (next == null || next.length != bytes.length) {
            throw new IllegalStateException("FixedRandom: unexpected request for " + bytes.length + " bytes");
        }
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
}
