package io.streembit.protocol.identity;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private scalar in [1, n-1]. Final, with no accessor that a log statement would
 * reach by accident: the secret is only read through {@link #exportSecret()}, whose callers
 * are the signing, ECDH and key-file code. {@link #toString()} never shows it.
 */
public final class PrivateKey {
    private final byte[] scalar;

    private PrivateKey(byte[] scalar) {
        this.scalar = scalar;
    }

    public static PrivateKey generate(SecureRandom random) {
        byte[] candidate = new byte[32];
        while (true) {
            random.nextBytes(candidate);
            BigInteger d = new BigInteger(1, candidate);
            if (d.signum() > 0 && d.compareTo(CurveParams.N) < 0) {
                return new PrivateKey(candidate.clone());
            }
        }
    }

    /** Accepts a 32-byte big-endian scalar in [1, n-1]. */
    public static PrivateKey fromBytes(byte[] scalar) throws ProtocolException {
        if (scalar.length != 32) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "private key must be 32 bytes, got " + scalar.length);
        }
        BigInteger d = new BigInteger(1, scalar);
        if (d.signum() == 0 || d.compareTo(CurveParams.N) >= 0) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "private key is outside [1, n-1]");
        }
        return new PrivateKey(scalar.clone());
    }

    /** A copy of the 32 secret bytes. Callers must not log or persist it unencrypted. */
    public byte[] exportSecret() {
        return scalar.clone();
    }

    /** Overwrites the secret in memory; the key is unusable afterwards. */
    public void destroy() {
        Arrays.fill(scalar, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrivateKey other && java.security.MessageDigest.isEqual(scalar, other.scalar);
    }

    @Override
    public int hashCode() {
        return 0x5ec2e7;
    }

    @Override
    public String toString() {
        return "PrivateKey[secret]";
    }
}
