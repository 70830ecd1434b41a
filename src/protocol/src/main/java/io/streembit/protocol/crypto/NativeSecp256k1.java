package io.streembit.protocol.crypto;

import java.util.Arrays;

/**
 * libsecp256k1 through the ACINQ JNI binding: 3-4x Bouncy Castle's speed. Only constructed
 * through {@link #load()}, which fails when the native library does not load on this platform.
 */
public final class NativeSecp256k1 implements Secp256k1 {
    private final fr.acinq.secp256k1.Secp256k1 lib;

    private NativeSecp256k1(fr.acinq.secp256k1.Secp256k1 lib) {
        this.lib = lib;
    }

    /** Loads the native library and runs a self-test; throws when either fails. */
    public static NativeSecp256k1 load() {
        NativeSecp256k1 backend = new NativeSecp256k1(fr.acinq.secp256k1.Secp256k1.get());
        byte[] key = new byte[32];
        key[31] = 1;
        byte[] expected = new BouncyCastleSecp256k1().publicKey(key);
        if (!Arrays.equals(expected, backend.publicKey(key))
                || !Arrays.equals(
                        new BouncyCastleSecp256k1().uncompressedPublicKey(key), backend.uncompressedPublicKey(key))) {
            throw new IllegalStateException("native secp256k1 failed its self-test");
        }
        return backend;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public byte[] publicKey(byte[] privateKey) {
        return lib.pubKeyCompress(lib.pubkeyCreate(privateKey));
    }

    @Override
    public byte[] uncompressedPublicKey(byte[] privateKey) {
        return lib.pubkeyCreate(privateKey); // libsecp256k1 serialises it uncompressed
    }

    @Override
    public byte[] sign(byte[] digest, byte[] privateKey) {
        // libsecp256k1 signs with RFC 6979 nonces and always returns the low-S form.
        return lib.sign(digest, privateKey);
    }

    @Override
    public boolean verify(byte[] digest, byte[] signature, byte[] publicKey) {
        // The binding normalises S before verifying, so malleable signatures are refused here.
        if (signature.length != 64 || CurveParams.isHighS(signature)) {
            return false;
        }
        try {
            return lib.verify(signature, digest, publicKey);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public byte[] sharedSecret(byte[] privateKey, byte[] publicKey) {
        // lib.ecdh hashes the point (libsecp256k1's default); JOSE needs the raw x coordinate.
        // pubKeyTweakMul parses either SEC1 form itself and serialises the product uncompressed.
        byte[] point = lib.pubKeyTweakMul(publicKey, privateKey);
        return Arrays.copyOfRange(point, 1, 33);
    }
}
