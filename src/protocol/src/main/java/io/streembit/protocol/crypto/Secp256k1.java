package io.streembit.protocol.crypto;

/**
 * The secp256k1 operations the protocol needs, behind one small interface so that a native
 * libsecp256k1 can stand in for Bouncy Castle. Implementations must give byte-identical
 * results: RFC 6979 deterministic nonces and low-S signatures. Inputs are assumed already
 * validated by the callers ({@code PrivateKey}, {@code PublicKey}); a failure here is a bug
 * or a bad point and surfaces as {@link IllegalArgumentException}.
 */
public interface Secp256k1 {
    /** A short name for logs and benchmark reports ("bouncycastle", "native"). */
    String name();

    /** The 33-byte compressed public key of a 32-byte private scalar. */
    byte[] publicKey(byte[] privateKey);

    /**
     * The same key uncompressed, 65 bytes (04 || x || y): what a JWE's {@code epk} carries. Computed
     * with the key, where decompressing {@link #publicKey}'s result would cost a square root.
     */
    byte[] uncompressedPublicKey(byte[] privateKey);

    /** Signs a 32-byte digest: 64 bytes R||S, deterministic (RFC 6979), S in the low half. */
    byte[] sign(byte[] digest, byte[] privateKey);

    /**
     * Verifies R||S over a 32-byte digest against a 33-byte compressed key. High-S
     * signatures are refused, as are R or S outside [1, n-1].
     */
    boolean verify(byte[] digest, byte[] signature, byte[] publicKey);

    /** The 32-byte x coordinate of privateKey * publicKey (the raw ECDH shared secret Z); publicKey in either SEC1 form. */
    byte[] sharedSecret(byte[] privateKey, byte[] publicKey);
}
