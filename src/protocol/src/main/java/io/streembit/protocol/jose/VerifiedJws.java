package io.streembit.protocol.jose;

import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;

/**
 * A JWS whose signature has been checked. Only {@link Jws} constructs it, so holding one is
 * proof that {@link #payload()} was signed by {@link #signer()}.
 */
public final class VerifiedJws {
    private final String token;
    private final JwsHeader header;
    private final byte[] payload;

    VerifiedJws(String token, JwsHeader header, byte[] payload) {
        this.token = token;
        this.header = header;
        this.payload = payload;
    }

    /** The compact serialisation exactly as verified. */
    public String token() {
        return token;
    }

    public JwsHeader header() {
        return header;
    }

    public PublicKey signer() {
        return header.kid();
    }

    public String typ() {
        return header.typ();
    }

    public byte[] payload() {
        return payload.clone();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "VerifiedJws[typ=" + header.typ() + ", signer=" + header.kid().nodeId() + "]";
    }
}
