package io.streembit.protocol.keyfile;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/** Hands out the given byte strings in order, one per nextBytes call: fixed salts and IVs. */
final class FixedRandom extends SecureRandom {
    private final Deque<byte[]> values = new ArrayDeque<>();

    FixedRandom(byte[]... values) {
        for (byte[] v : values) {
            this.values.add(v.clone());
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = values.poll();
        if (next == null || next.length != bytes.length) {
            throw new IllegalStateException("FixedRandom: unexpected request for " + bytes.length + " bytes");
        }
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
}
