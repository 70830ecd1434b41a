package io.streembit.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 and SHA-256 from the JDK (every JDK ships both). */
public final class Hashes {
    private Hashes() {}

    public static byte[] sha256(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    public static byte[] sha1(byte[]... parts) {
        return digest("SHA-1", parts);
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
