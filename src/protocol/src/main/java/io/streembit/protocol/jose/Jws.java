package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.crypto.Hashes;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * JWS compact serialisation with ES256K (RFC 7515, RFC 8812). Signing is deterministic
 * (RFC 6979) and always low-S; verification refuses anything but exactly
 * {@code {"alg":"ES256K","kid":<signer key hex>,"typ":<type>}}, high-S signatures, non-canonical
 * base64url and trailing data. The signature covers the whole signing input, never a prefix.
 */
public final class Jws {
    public static final String ALG = "ES256K";
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "kid", "typ");

    private final Secp256k1 backend;

    public Jws(Secp256k1 backend) {
        this.backend = backend;
    }

    /** The process-wide instance on the preferred backend. */
    public static Jws standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final Jws STANDARD = new Jws(Secp256k1Backends.get());
    }

    public Secp256k1 backend() {
        return backend;
    }

    /** Signs {@code payload} as {@code signer}; the header names the signer's key as kid. */
    public String sign(Identity signer, String typ, byte[] payload) {
        if (typ == null || typ.isEmpty()) {
            // A token without typ could never verify: fail at the signer, not at every reader.
            throw new IllegalArgumentException("a JWS needs a typ");
        }
        ObjectNode header = Json.object();
        header.put("alg", ALG);
        header.put("kid", signer.publicKey().hex());
        header.put("typ", typ);
        String signingInput = Base64Url.encode(Json.bytes(header)) + "." + Base64Url.encode(payload);
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII), backend);
        return signingInput + "." + Base64Url.encode(signature);
    }

    /** Signs a JSON payload. */
    public String sign(Identity signer, String typ, JsonNode payload) {
        return sign(signer, typ, Json.bytes(payload));
    }

    /**
     * Verifies a token that must be signed by {@code expectedSigner}; {@code expectedTyp}
     * null accepts any type.
     */
    public VerifiedJws verify(String token, PublicKey expectedSigner, String expectedTyp) throws ProtocolException {
        if (expectedSigner == null) {
            throw new IllegalArgumentException("expectedSigner is required; use verifySelfSigned to accept any kid");
        }
        return check(token, expectedSigner, expectedTyp);
    }

    /**
     * Verifies a token against the key its own kid names. The caller decides whether that
     * signer is acceptable (records check it equals the publisher, offers the named key).
     */
    public VerifiedJws verifySelfSigned(String token, String expectedTyp) throws ProtocolException {
        return check(token, null, expectedTyp);
    }

    /**
     * The one verification path, in the order docs/protocol.md specifies: structure, header
     * (alg, members, kid, typ), the expected signer, then the signature. Cheap checks that
     * need no curve arithmetic come first, so a wrong or hostile token costs no verification.
     */
    private VerifiedJws check(String token, PublicKey expectedSigner, String expectedTyp) throws ProtocolException {
        Compact parts = Compact.split(token);
        JwsHeader header = parseHeader(Base64Url.decode(parts.header(), "JWS header"));
        if (expectedSigner != null && !header.kid().equals(expectedSigner)) {
            throw new ProtocolException(
                    ErrorCode.KID_MISMATCH,
                    "token names signer " + header.kid().nodeId() + ", expected " + expectedSigner.nodeId());
        }
        if (expectedTyp != null && !expectedTyp.equals(header.typ())) {
            throw new ProtocolException(
                    ErrorCode.TYP_MISMATCH,
                    "expected typ " + truncate(expectedTyp) + ", got " + truncate(header.typ()));
        }
        byte[] payload = Base64Url.decode(parts.payload(), "JWS payload");
        byte[] signature = Base64Url.decode(parts.signature(), "JWS signature");
        if (signature.length != 64) {
            throw new ProtocolException(
                    ErrorCode.BAD_SIGNATURE, "an ES256K signature is 64 bytes R||S, got " + signature.length);
        }
        if (CurveParams.isHighS(signature)) {
            throw new ProtocolException(ErrorCode.HIGH_S, "signature is in high-S (malleable) form");
        }
        // The signing input is the whole "header.payload" text, never a prefix of it.
        byte[] digest = Hashes.sha256(parts.signingInput().getBytes(StandardCharsets.US_ASCII));
        if (!backend.verify(digest, signature, header.kid().sec1())) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, "signature does not verify");
        }
        return new VerifiedJws(token, header, payload);
    }

    /**
     * Reads the header without verifying anything, for routing decisions only (which key to
     * look up). Never act on the payload of a token read this way.
     */
    public static JwsHeader peekHeader(String token) throws ProtocolException {
        int first = token == null ? -1 : token.indexOf('.');
        if (first < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, "not a JWS compact token");
        }
        return parseHeader(Base64Url.decode(token.substring(0, first), "JWS header"));
    }

    /**
     * Reads the payload without verifying anything, for routing decisions only (which key a
     * record claims, so that it can be checked against that key). Never believe a payload read
     * this way: verify the token before acting on what it says. MALFORMED unless the token has
     * exactly three parts, BAD_ENCODING for a payload that is not canonical base64url.
     */
    public static byte[] peekPayload(String token) throws ProtocolException {
        return Base64Url.decode(Compact.split(token).payload(), "JWS payload");
    }

    /** The three parts of a compact token, split in one place for verification and peeking. */
    private record Compact(String header, String payload, String signature) {
        static Compact split(String token) throws ProtocolException {
            if (token == null) {
                throw new ProtocolException(ErrorCode.MALFORMED, "token is missing");
            }
            int first = token.indexOf('.');
            int second = first < 0 ? -1 : token.indexOf('.', first + 1);
            if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
                throw new ProtocolException(ErrorCode.MALFORMED, "a JWS compact token has exactly three parts");
            }
            return new Compact(
                    token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1));
        }

        /** What the signature covers. */
        String signingInput() {
            return header + "." + payload;
        }
    }

    private static JwsHeader parseHeader(byte[] bytes) throws ProtocolException {
        ObjectNode header = Json.parseObject(bytes, "JWS header");
        // alg first: "not our algorithm" (none, HS256, ES256...) is the most telling reason.
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_HEADER, "JWS header has no alg");
        }
        if (!ALG.equals(alg.textValue())) {
            throw new ProtocolException(
                    ErrorCode.UNSUPPORTED_ALG, "alg must be ES256K, got '" + truncate(alg.textValue()) + "'");
        }
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!HEADER_MEMBERS.contains(name)) {
                // crit, jwk, jku, x5u, b64...: each would change how the token must be read.
                throw new ProtocolException(
                        ErrorCode.BAD_HEADER, "unexpected JWS header member '" + truncate(name) + "'");
            }
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_HEADER, "JWS header has no kid");
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual() || typ.textValue().isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_HEADER, "JWS header has no typ");
        }
        return new JwsHeader(ALG, PublicKey.fromHex(kid.textValue()), typ.textValue());
    }

    static String truncate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}
