package io.streembit.protocol;

/**
 * Every reason the protocol layer refuses an input. The wire form ({@link #code()}) is what a
 * storing node answers and what metrics are tagged with, so it never changes once published.
 */
public enum ErrorCode {
    /** Not parseable at all: wrong number of parts, not JSON, wrong JSON types. */
    MALFORMED("malformed"),
    /** Base64url or hex that is not in canonical form (padding, stray bits, upper case...). */
    BAD_ENCODING("bad-encoding"),
    /** A JOSE header that is missing a member, has an unexpected one, or a wrong value. */
    BAD_HEADER("bad-header"),
    /** An algorithm other than the one this protocol allows (including {@code none}). */
    UNSUPPORTED_ALG("unsupported-alg"),
    /** The header's {@code kid} does not name the key the token must be verified with. */
    KID_MISMATCH("kid-mismatch"),
    /** The header's {@code typ} is not the type the caller expects. */
    TYP_MISMATCH("typ-mismatch"),
    /** The signature does not verify. */
    BAD_SIGNATURE("bad-signature"),
    /** A signature in high-S form: valid ECDSA, but malleable, so refused. */
    HIGH_S("high-s"),
    /** A public key that is not a valid secp256k1 point, or a key that does not match its id. */
    BAD_KEY("bad-key"),
    /** Authenticated decryption failed: wrong key, modified ciphertext, tag or header. */
    DECRYPT_FAILED("decrypt-failed"),
    /** The signer of an envelope is not the author named inside the encrypted header. */
    AUTHOR_MISMATCH("author-mismatch"),
    /** A record or command whose expiry has passed, or a timestamp outside the window. */
    EXPIRED("expired"),
    /** A record whose expiry lies beyond the network's maximum TTL. */
    TTL_TOO_LONG("ttl-too-long"),
    /** Larger than the configured maximum. */
    TOO_LARGE("too-large"),
    /** A slot STORE whose seq is not greater than the stored one. */
    SEQ_TOO_LOW("seq-too-low"),
    /** A log entry whose seq is taken by different bytes, or a broken hash chain. */
    FORK("fork"),
    /** A publisher not on a private network's allow-list, or a signer not authorised. */
    NOT_ALLOWED("not-allowed"),
    /** A value that does not satisfy its JSON Schema / Thing Description data schema. */
    SCHEMA_VIOLATION("schema-violation"),
    /** A passcode that does not meet the policy. */
    WEAK_PASSCODE("weak-passcode"),
    /** A key file that cannot be opened with the given passcode (or was modified). */
    WRONG_PASSCODE("wrong-passcode"),
    /** A key file or PEM that is not in a supported format. */
    BAD_KEY_FILE("bad-key-file");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The stable wire / metric name of this error. */
    public String code() {
        return code;
    }
}
