package io.streembit.protocol.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;
import java.util.Arrays;

/** The portable backend: Bouncy Castle's lightweight API, available everywhere. */
public final class BouncyCastleSecp256k1 implements Secp256k1 {
    private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

    @Override
    public String name() {
        return "bouncycastle";
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        BigInteger d = new BigInteger(1, privateKey);
        return BASE_MULTIPLIER
                .multiply(CurveParams.DOMAIN.getG(), d)
                .normalize()
                .getEncoded(true);
    }

    @Override
    public byte[] uncompressedPublicKey(byte[] privateKey) {
        BigInteger d = new BigInteger(1, privateKey);
        return BASE_MULTIPLIER
                .multiply(CurveParams.DOMAIN.getG(), d)
                .normalize()
                .getEncoded(false);
    }

    @Override
    public byte[] sign(byte[] digest, byte[] privateKey) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, privateKey), CurveParams.DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger s = rs[1].compareTo(CurveParams.HALF_N) > 0 ? CurveParams.N.subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        System.arraycopy(CurveParams.to32(rs[0]), 0, out, 0, 32);
        System.arraycopy(CurveParams.to32(s), 0, out, 32, 32);
        return out;
    }

    @Override
    public boolean verify(byte[] digest, byte[] signature, byte[] publicKey) {
        if (signature.length != 64 || CurveParams.isHighS(signature)) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(CurveParams.decodePoint(publicKey), CurveParams.DOMAIN));
        // ECDSASigner itself refuses r or s outside [1, n-1].
        return verifier.verifySignature(digest, r, s);
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        ECPoint shared = CurveParams.decodePoint(publicKey)
                .multiply(new BigInteger(1, privateKey))
                .normalize();
        if (shared.isInfinity()) {
            throw new IllegalArgumentException("ECDH produced the point at infinity");
        }
        return shared.getAffineXCoord().getEncoded();
    }
}
