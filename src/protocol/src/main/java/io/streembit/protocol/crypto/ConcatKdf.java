package io.streembit.protocol.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Concat KDF of NIST SP 800-56A as profiled by RFC 7518 section 4.6 for ECDH-ES: SHA-256
 * rounds over {@code counter || Z || AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo},
 * each info field length-prefixed with a 32-bit big-endian length.
 */
public final class ConcatKdf {
    private ConcatKdf() {}

    public static byte[] derive(byte[] sharedSecret, int keyBits, String algorithmId, byte[] apu, byte[] apv) {
        byte[] alg = algorithmId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer otherInfo = ByteBuffer.allocate(4 + alg.length + 4 + apu.length + 4 + apv.length + 4);
        otherInfo.putInt(alg.length).put(alg);
        otherInfo.putInt(apu.length).put(apu);
        otherInfo.putInt(apv.length).put(apv);
        otherInfo.putInt(keyBits);
        byte[] info = otherInfo.array();

        int keyBytes = keyBits / 8;
        byte[] out = new byte[keyBytes];
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            int rounds = (keyBytes + 31) / 32;
            for (int i = 1; i <= rounds; i++) {
                sha256.update(ByteBuffer.allocate(4).putInt(i).array());
                sha256.update(sharedSecret);
                sha256.update(info);
                byte[] block = sha256.digest();
                System.arraycopy(block, 0, out, (i - 1) * 32, Math.min(32, keyBytes - (i - 1) * 32));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        return out;
    }
}
