package io.streembit.protocol.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;

/** The secp256k1 domain, shared by key parsing and the Bouncy Castle backend. */
public final class CurveParams {
    public static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256k1");
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH());
    public static final BigInteger N = X9.getN();
    public static final BigInteger HALF_N = N.shiftRight(1);

    private CurveParams() {}

    /** Decodes a SEC1 point (compressed or uncompressed); throws IllegalArgumentException when off-curve. */
    public static ECPoint decodePoint(byte[] encoded) {
        ECPoint point = X9.getCurve().decodePoint(encoded);
        if (point.isInfinity() || !point.isValid()) {
            throw new IllegalArgumentException("point is not on secp256k1");
        }
        return point;
    }

    /** Unsigned big-endian, left-padded to 32 bytes. */
    public static byte[] to32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    /** Whether S lies in the upper half of the group order (malleable form). */
    public static boolean isHighS(byte[] signature) {
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        return s.compareTo(HALF_N) > 0;
    }
}
