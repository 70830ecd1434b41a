package io.streembit.protocol.identity;

import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;

import java.security.SecureRandom;

/**
 * A key pair with its derived ids: what a node, device, person or gateway is on the network.
 * The account id and the node id are the same value, SHA-1 of the compressed public key.
 */
public final class Identity {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private Identity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static Identity generate(SecureRandom random) {
        return of(PrivateKey.generate(random));
    }

    public static Identity of(PrivateKey privateKey) {
        byte[] secret = privateKey.exportSecret();
        byte[] pub = Secp256k1Backends.get().publicKey(secret);
        java.util.Arrays.fill(secret, (byte) 0);
        return new Identity(privateKey, PublicKey.trusted(pub));
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public NodeId nodeId() {
        return publicKey.nodeId();
    }

    /** The account id, 40 lowercase hex characters. */
    public String account() {
        return publicKey.nodeId().hex();
    }

    /** ECDSA over SHA-256 of {@code message}: 64 bytes R||S, low-S, deterministic. */
    public byte[] sign(byte[] message) {
        return sign(message, Secp256k1Backends.get());
    }

    /** As {@link #sign(byte[])}, on a chosen backend (tests and benchmarks compare them). */
    public byte[] sign(byte[] message, Secp256k1 backend) {
        byte[] secret = privateKey.exportSecret();
        try {
            return backend.sign(Hashes.sha256(message), secret);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    /** The raw ECDH shared secret (x coordinate) with another party's public key. */
    public byte[] sharedSecret(PublicKey other) {
        return sharedSecret(other, Secp256k1Backends.get());
    }

    /** As {@link #sharedSecret(PublicKey)}, on a chosen backend. */
    public byte[] sharedSecret(PublicKey other, Secp256k1 backend) {
        byte[] secret = privateKey.exportSecret();
        try {
            return backend.sharedSecret(secret, other.sec1());
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "Identity[" + account() + "]";
    }
}
