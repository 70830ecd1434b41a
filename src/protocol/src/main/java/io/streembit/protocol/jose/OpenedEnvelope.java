package io.streembit.protocol.jose;

import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;

/**
 * The content of a {@link SignedEnvelope} whose signature verified, whose JWE decrypted for
 * this recipient and whose encrypted author id is the signer's. Only {@link SignedEnvelope}
 * constructs it, so holding one is proof that {@link #author()} wrote {@link #plaintext()}.
 */
public final class OpenedEnvelope {
    private final PublicKey author;
    private final String typ;
    private final byte[] plaintext;

    OpenedEnvelope(PublicKey author, String typ, byte[] plaintext) {
        this.author = author;
        this.typ = typ;
        this.plaintext = plaintext;
    }

    /** The key that signed the envelope and is named as author inside the JWE. */
    public PublicKey author() {
        return author;
    }

    public String typ() {
        return typ;
    }

    public byte[] plaintext() {
        return plaintext.clone();
    }

    public String plaintextText() {
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // Never the plaintext: it was encrypted for a reason.
        return "OpenedEnvelope[typ=" + typ + ", author=" + author.nodeId() + "]";
    }
}
