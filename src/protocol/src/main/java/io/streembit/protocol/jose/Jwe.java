package io.streembit.protocol.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.AesGcm;
import io.streembit.protocol.crypto.ConcatKdf;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.identity.PublicKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * JWE compact serialisation with ECDH-ES (direct key agreement, ephemeral secp256k1 key) and
 * A256GCM (RFC 7516, RFC 7518 sections 4.6 and 5.3). The content key is the Concat KDF of the
 * ECDH x coordinate; the AAD is the ASCII of the encoded protected header, so the header
 * (including the author's {@code iss}) cannot be changed without failing decryption.
 */
public final class Jwe {
    public static final String ALG = "ECDH-ES";
    public static final String ENC = "A256GCM";
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "enc", "epk", "iss", "apu", "apv", "typ", "cty");
    private static final Set<String> EPK_MEMBERS = Set.of("kty", "crv", "x", "y");

    private final Secp256k1 backend;
    private final SecureRandom random;

    public Jwe(Secp256k1 backend, SecureRandom random) {
        this.backend = backend;
        this.random = random;
    }

    public static Jwe standard() {
        return Holder.STANDARD;
    }

    private static final class Holder {
        static final Jwe STANDARD = new Jwe(Secp256k1Backends.get(), new SecureRandom());
    }

    /**
     * Encrypts for {@code recipient}. {@code iss} (the author's node id, may be null) goes into
     * the protected header, where the AAD covers it.
     */
    public String encrypt(PublicKey recipient, byte[] plaintext, String iss) {
        PrivateKey ephemeral = PrivateKey.generate(random);
        byte[] ephemeralSecret = ephemeral.exportSecret();
        try {
            // straight from the scalar: PublicKey.fromSec1 + uncompressed() decompressed the point twice
            // with Bouncy Castle (a third of a gateway's CPU per command it sealed)
            byte[] point = backend.uncompressedPublicKey(ephemeralSecret);
            ObjectNode jwk = Json.object();
            jwk.put("kty", "EC");
            jwk.put("crv", "secp256k1");
            jwk.put("x", Base64Url.encode(Arrays.copyOfRange(point, 1, 33)));
            jwk.put("y", Base64Url.encode(Arrays.copyOfRange(point, 33, 65)));
            ObjectNode header = Json.object();
            header.put("alg", ALG);
            header.put("enc", ENC);
            header.set("epk", jwk);
            if (iss != null) {
                header.put("iss", iss);
            }
            String encodedHeader = Base64Url.encode(Json.bytes(header));
            byte[] z = backend.sharedSecret(ephemeralSecret, recipient.sec1());
            byte[] cek = ConcatKdf.derive(z, 256, ENC, new byte[0], new byte[0]);
            byte[] iv = new byte[AesGcm.IV_BYTES];
            random.nextBytes(iv);
            AesGcm.Sealed sealed = AesGcm.seal(cek, iv, plaintext, encodedHeader.getBytes(StandardCharsets.US_ASCII));
            Arrays.fill(z, (byte) 0);
            Arrays.fill(cek, (byte) 0);
            return encodedHeader + ".." + Base64Url.encode(iv) + "." + Base64Url.encode(sealed.ciphertext()) + "."
                    + Base64Url.encode(sealed.tag());
        } finally {
            Arrays.fill(ephemeralSecret, (byte) 0);
            ephemeral.destroy();
        }
    }

    /** Decrypts with the recipient's key; fails with DECRYPT_FAILED on any authentication failure. */
    public DecryptedJwe decrypt(String token, Identity recipient) throws ProtocolException {
        if (token == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, "JWE is missing");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5) {
            throw new ProtocolException(ErrorCode.MALFORMED, "a JWE compact token has exactly five parts");
        }
        ObjectNode header = Json.parseObject(Base64Url.decode(parts[0], "JWE header"), "JWE header");
        checkHeader(header);
        if (!parts[1].isEmpty()) {
            throw new ProtocolException(ErrorCode.MALFORMED, "ECDH-ES direct has an empty encrypted key");
        }
        PublicKey epk = readEpk(header.get("epk"));
        byte[] apu = optionalBase64(header, "apu");
        byte[] apv = optionalBase64(header, "apv");
        byte[] iv = Base64Url.decode(parts[2], "JWE IV");
        byte[] ciphertext = Base64Url.decode(parts[3], "JWE ciphertext");
        byte[] tag = Base64Url.decode(parts[4], "JWE tag");
        if (iv.length != AesGcm.IV_BYTES || tag.length != AesGcm.TAG_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED, "A256GCM needs a 96-bit IV and a 128-bit tag");
        }
        byte[] z = recipient.sharedSecret(epk, backend);
        byte[] cek = ConcatKdf.derive(z, 256, ENC, apu, apv);
        try {
            byte[] plaintext = AesGcm.open(cek, iv, ciphertext, tag, parts[0].getBytes(StandardCharsets.US_ASCII));
            JsonNode iss = header.get("iss");
            return new DecryptedJwe(plaintext, iss == null ? null : iss.textValue());
        } catch (AesGcm.TagMismatchException e) {
            throw new ProtocolException(
                    ErrorCode.DECRYPT_FAILED, "JWE does not decrypt with this key (wrong recipient or modified token)");
        } finally {
            Arrays.fill(z, (byte) 0);
            Arrays.fill(cek, (byte) 0);
        }
    }

    /**
     * Decrypts a JWE that sits inside a payload signed by {@code signer}, and checks that the
     * author id bound in the encrypted header is that signer's: a ciphertext stripped from its
     * original signature and re-signed by someone else is refused with AUTHOR_MISMATCH.
     */
    public DecryptedJwe decryptFrom(String token, Identity recipient, PublicKey signer) throws ProtocolException {
        DecryptedJwe decrypted = decrypt(token, recipient);
        if (decrypted.iss() == null) {
            throw new ProtocolException(ErrorCode.AUTHOR_MISMATCH, "JWE header names no author (iss)");
        }
        if (!decrypted.iss().equals(signer.nodeId().hex())) {
            throw new ProtocolException(
                    ErrorCode.AUTHOR_MISMATCH,
                    "JWE author " + Jws.truncate(decrypted.iss()) + " is not the signer " + signer.nodeId());
        }
        return decrypted;
    }

    private static void checkHeader(ObjectNode header) throws ProtocolException {
        // Algorithms first, as in Jws: "not our algorithm" is the most telling reason.
        for (String name : new String[] {"alg", "enc"}) {
            JsonNode value = header.get(name);
            if (value == null || !value.isTextual()) {
                throw new ProtocolException(ErrorCode.BAD_HEADER, "JWE header has no " + name);
            }
        }
        if (!textEquals(header, "alg", ALG)) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_ALG, "JWE alg must be ECDH-ES");
        }
        if (!textEquals(header, "enc", ENC)) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_ALG, "JWE enc must be A256GCM");
        }
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!HEADER_MEMBERS.contains(name)) {
                throw new ProtocolException(
                        ErrorCode.BAD_HEADER, "unexpected JWE header member '" + Jws.truncate(name) + "'");
            }
        }
        for (String name : new String[] {"iss", "typ", "cty"}) {
            JsonNode value = header.get(name);
            if (value != null && !value.isTextual()) {
                throw new ProtocolException(ErrorCode.BAD_HEADER, "JWE " + name + " must be a string");
            }
        }
    }

    private static PublicKey readEpk(JsonNode epk) throws ProtocolException {
        if (!(epk instanceof ObjectNode jwk)) {
            throw new ProtocolException(ErrorCode.BAD_HEADER, "JWE header has no epk object");
        }
        for (Iterator<String> it = jwk.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!EPK_MEMBERS.contains(name)) {
                throw new ProtocolException(ErrorCode.BAD_HEADER, "unexpected epk member '" + Jws.truncate(name) + "'");
            }
        }
        if (!textEquals(jwk, "kty", "EC") || !textEquals(jwk, "crv", "secp256k1")) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "epk must be an EC key on secp256k1");
        }
        JsonNode x = jwk.get("x");
        JsonNode y = jwk.get("y");
        if (x == null || !x.isTextual() || y == null || !y.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "epk needs x and y");
        }
        return PublicKey.fromAffine(Base64Url.decode(x.textValue(), "epk x"), Base64Url.decode(y.textValue(), "epk y"));
    }

    private static byte[] optionalBase64(ObjectNode header, String name) throws ProtocolException {
        JsonNode value = header.get(name);
        if (value == null) {
            return new byte[0];
        }
        if (!value.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_HEADER, "JWE " + name + " must be a base64url string");
        }
        return Base64Url.decode(value.textValue(), "JWE " + name);
    }

    private static boolean textEquals(ObjectNode node, String name, String expected) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() && expected.equals(value.textValue());
    }
}
