package io.streembit.protocol.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** HKDF-SHA256 (RFC 5869) on the JDK's HMAC. */
public final class Hkdf {
    private static final int HASH_BYTES = 32;

    private Hkdf() {}

    public static byte[] derive(byte[] inputKeyMaterial, byte[] salt, byte[] info, int length) {
        if (length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 yields at most 8160 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_BYTES] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(inputKeyMaterial);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int offset = 0;
            for (int i = 1; offset < length; i++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(HASH_BYTES, length - offset);
                System.arraycopy(block, 0, out, offset, n);
                offset += n;
            }
            java.util.Arrays.fill(prk, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
