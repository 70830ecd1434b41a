package io.streembit.protocol.jose;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;

/**
 * Encrypt-then-sign for stored and relayed objects: a JWS signed by the author whose payload is
 * the bytes of a JWE compact token for the recipient, with the author's node id as the JWE's
 * {@code iss}. The signature lets any storing node check authorship without the key; the
 * {@code iss} inside the authenticated JWE header binds the ciphertext to that author, so a
 * ciphertext lifted out of its envelope and re-signed by someone else is refused
 * (AUTHOR_MISMATCH) instead of being read as theirs.
 */
public final class SignedEnvelope {
    private final Jws jws;
    private final Jwe jwe;

    public SignedEnvelope(Jws jws, Jwe jwe) {
        this.jws = jws;
        this.jwe = jwe;
    }

    /** On the process-wide JWS and JWE instances (preferred backend, system randomness). */
    public static SignedEnvelope standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final SignedEnvelope STANDARD = new SignedEnvelope(Jws.standard(), Jwe.standard());
    }

    /** Encrypts {@code plaintext} for {@code recipient}, then signs the JWE as {@code author}. */
    public String seal(Identity author, PublicKey recipient, String typ, byte[] plaintext) {
        String encrypted = jwe.encrypt(recipient, plaintext, author.nodeId().hex());
        return jws.sign(author, typ, encrypted.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Verifies the outer signature (typ {@code expectedTyp}; signer {@code expectedAuthor}, or
     * whoever the kid names when null), then decrypts with {@code recipient}'s key and checks
     * the JWE's {@code iss} is the signer's node id. Nothing is decrypted before the signature
     * holds, so unsigned input never reaches the cipher.
     */
    public OpenedEnvelope open(String token, Identity recipient, String expectedTyp, PublicKey expectedAuthor)
            throws ProtocolException {
        if (expectedTyp == null) {
            throw new IllegalArgumentException("an envelope is always opened as a known typ");
        }
        VerifiedJws signed = expectedAuthor == null
                ? jws.verifySelfSigned(token, expectedTyp)
                : jws.verify(token, expectedAuthor, expectedTyp);
        byte[] payload = signed.payload();
        for (byte b : payload) {
            // A JWE compact token is printable ASCII; anything else was never one of ours.
            if (b < 0x21 || b > 0x7e) {
                throw new ProtocolException(ErrorCode.MALFORMED, "envelope payload is not a JWE compact token");
            }
        }
        String encrypted = new String(payload, StandardCharsets.US_ASCII);
        DecryptedJwe decrypted = jwe.decryptFrom(encrypted, recipient, signed.signer());
        return new OpenedEnvelope(signed.signer(), signed.typ(), decrypted.plaintext());
    }
}
