package io.streembit.dht.transport;

import io.streembit.dht.DhtOptions;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.FrameDecoder;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Secp256k1;
import io.streembit.protocol.crypto.Secp256k1Backends;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.jose.Jws;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The byte-exact transport vectors published in docs/dht.md section 12: both hellos, the ECDH
 * secret, the two session keys and the first four sealed frames of a session. The literals are
 * not our output replayed: the signatures are recomputed with Bouncy Castle's own RFC 6979
 * signer, the ECDH secret with BC's {@link ECDHBasicAgreement}, HKDF by hand on
 * {@link Mac}, and the frames with the JDK's AES-GCM cipher; none of them goes through
 * {@link SessionKeys} or {@link SecureChannel}. (The ECDH secret, the first signature and the
 * first frame were also checked once with OpenSSL through pyca/cryptography.)
 */
class WireVectorsTest {
    // static keys A (initiator) and B (responder): the keys of docs/protocol.md section 1
    static final String STATIC_I = "1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a";
    static final String STATIC_I_PUB = "02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8";
    static final String STATIC_R = "00000000000000000000000000000000000000000000000000000000000000aa";
    static final String STATIC_R_PUB = "02f9502d540ca7d5ab09ea89e83889fa4bcd0b27f7eec5752f4fa07b1b19160f3b";
    static final String EPH_I = "1111111111111111111111111111111111111111111111111111111111111111";
    static final String EPH_I_PUB = "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";
    static final String EPH_R = "2222222222222222222222222222222222222222222222222222222222222222";
    static final String EPH_R_PUB = "02466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f27";
    static final String NONCE_I = "000102030405060708090a0b0c0d0e0f";
    static final String NONCE_R = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    static final long TS_I = 1764000000L;
    static final long TS_R = 1764000001L;
    static final int PORT_I = 4001;
    static final int PORT_R = 4002;

    static final String HEADER_I = "{\"alg\":\"ES256K\",\"kid\":\"" + STATIC_I_PUB + "\",\"typ\":\"streembit.hello\"}";
    static final String HEADER_R = "{\"alg\":\"ES256K\",\"kid\":\"" + STATIC_R_PUB + "\",\"typ\":\"streembit.hello\"}";
    static final String PAYLOAD_I = "{\"v\":1,\"net\":\"streembit\","
            + "\"pub\":\"02605136fb2ec39f4a032cf0e759c8f6a0fa88f463ae68126c9d6d62f5fd0737c8\","
            + "\"eph\":\"034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa\","
            + "\"nonce\":\"AAECAwQFBgcICQoLDA0ODw\",\"ts\":1764000000,\"port\":4001}";
    static final String PAYLOAD_R = "{\"v\":1,\"net\":\"streembit\","
            + "\"pub\":\"02f9502d540ca7d5ab09ea89e83889fa4bcd0b27f7eec5752f4fa07b1b19160f3b\","
            + "\"eph\":\"02466d7fcae563e5cb09a0d1870bb580344804617879a14949cf22285f1bae3f27\","
            + "\"nonce\":\"8PHy8_T19vf4-fr7_P3-_w\",\"ts\":1764000001,\"port\":4002,"
            + "\"peer_nonce\":\"AAECAwQFBgcICQoLDA0ODw\"}";
    static final String HELLO_I =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJ0eXAiOiJzdHJlZW1iaXQuaGVsbG8ifQ."
                    + "eyJ2IjoxLCJuZXQiOiJzdHJlZW1iaXQiLCJwdWIiOiIwMjYwNTEzNmZiMmVjMzlmNGEwMzJjZjBlNzU5YzhmNmEwZmE4OGY0NjNhZTY4MTI2YzlkNmQ2MmY1ZmQwNzM3YzgiLCJlcGgiOiIwMzRmMzU1YmRjYjdjYzBhZjcyOGVmM2NjZWI5NjE1ZDkwNjg0YmI1YjJjYTVmODU5YWIwZjBiNzA0MDc1ODcxYWEiLCJub25jZSI6IkFBRUNBd1FGQmdjSUNRb0xEQTBPRHciLCJ0cyI6MTc2NDAwMDAwMCwicG9ydCI6NDAwMX0."
                    + "OhtPXLG8Q0bsyIhjNqjJY8env7LJpYkqsQZZ3I2tUlkzRQPiXJr32OY3_qr36eQdsXYyvXgMx7qsH3r0x5BlCw";
    static final String HELLO_R =
            "eyJhbGciOiJFUzI1NksiLCJraWQiOiIwMmY5NTAyZDU0MGNhN2Q1YWIwOWVhODllODM4ODlmYTRiY2QwYjI3ZjdlZWM1NzUyZjRmYTA3YjFiMTkxNjBmM2IiLCJ0eXAiOiJzdHJlZW1iaXQuaGVsbG8ifQ."
                    + "eyJ2IjoxLCJuZXQiOiJzdHJlZW1iaXQiLCJwdWIiOiIwMmY5NTAyZDU0MGNhN2Q1YWIwOWVhODllODM4ODlmYTRiY2QwYjI3ZjdlZWM1NzUyZjRmYTA3YjFiMTkxNjBmM2IiLCJlcGgiOiIwMjQ2NmQ3ZmNhZTU2M2U1Y2IwOWEwZDE4NzBiYjU4MDM0NDgwNDYxNzg3OWExNDk0OWNmMjIyODVmMWJhZTNmMjciLCJub25jZSI6IjhQSHk4X1QxOXZmNC1mcjdfUDMtX3ciLCJ0cyI6MTc2NDAwMDAwMSwicG9ydCI6NDAwMiwicGVlcl9ub25jZSI6IkFBRUNBd1FGQmdjSUNRb0xEQTBPRHcifQ."
                    + "A9bWzNEBCpeAMjcXFTl2w5jSS2lg5378e50G3Mi0eMh5AFjJkIIHjOiYL3zxjQQBHM4WKonYhWxq-DJ3ysLYuQ";
    /** The 4-byte length prefixes of the two hello frames (557 and 608 bytes). */
    static final String HELLO_I_PREFIX = "0000022d";

    static final String HELLO_R_PREFIX = "00000260";

    static final String ECDH_X = "77e0510d5042e2f5e9e59c977b81eeed590cf7d20c1c51da451a8eaa9fdc45ff";
    static final String PRK = "322476474ebcf7e030966024e270b9f3c1d1b2bf98c7e8b0d13f13b69cae9549";
    static final String KEY_I2R = "57b53177004d37109bbab6704c58c22ada795dd48897a00f48213a284cf1a18a";
    static final String KEY_R2I = "712e7fb511d7287203a9b7a8cadb4d89c2b76b57c3f3115adeb6d54d38ed7080";

    static final String PING = "{\"t\":\"req\",\"id\":1,\"op\":\"PING\"}";
    static final String PONG = "{\"t\":\"res\",\"id\":1,\"ok\":true}";
    /** Whole frames (length prefix included): initiator's PING, its answer, responder's PING, its answer. */
    static final String FRAME_I2R_0 =
            "0000002efba78aadc6f2b061e6ca82b4b2cbda3dc43b65c6104809ef6bdd72ae0a43fe5ad89fbcf7add97b1af0061ad7551f";

    static final String FRAME_R2I_0 =
            "0000002c9997397f04ae86410efa20ab7232cd46360bd3f755f8436faaafc16eb0e7306dbcc06867270449e2b03a3b4f";
    static final String FRAME_R2I_1 =
            "0000002e7cea08d507b1d61861b8b6a436b6d5b5d2becda1580684b5a9dbcad7158147bba28d746a880a5a13ee806bac61fe";
    static final String FRAME_I2R_1 =
            "0000002ce47a3444ee470ce16f846f6e80fafea5be47fa004e87bb93285e0cb44701b764f5d13008e2728fdc1da33e5e";

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    static List<Secp256k1> backends() {
        List<Secp256k1> all = new ArrayList<>();
        all.add(Secp256k1Backends.bouncyCastle());
        Secp256k1 nativeBackend = Secp256k1Backends.nativeOrNull();
        if (nativeBackend != null) {
            all.add(nativeBackend);
        }
        return all;
    }

    private static Identity identity(String secretHex) throws ProtocolException {
        return Identity.of(PrivateKey.fromBytes(Hex.decode(secretHex, 32, "key")));
    }

    private static byte[] hex(String value) throws ProtocolException {
        return Hex.decode(value, value.length() / 2, "vector");
    }

    private static Hello initiatorHello() throws ProtocolException {
        return new Hello(
                1,
                "streembit",
                identity(STATIC_I).publicKey(),
                identity(EPH_I).publicKey(),
                hex(NONCE_I),
                TS_I,
                PORT_I,
                null);
    }

    private static Hello responderHello() throws ProtocolException {
        return new Hello(
                1,
                "streembit",
                identity(STATIC_R).publicKey(),
                identity(EPH_R).publicKey(),
                hex(NONCE_R),
                TS_R,
                PORT_R,
                hex(NONCE_I));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void bothHellosAreExactOnEveryBackend(Secp256k1 backend) throws Exception {
        assertThat(identity(STATIC_I).publicKey().hex()).isEqualTo(STATIC_I_PUB);
        assertThat(identity(STATIC_R).publicKey().hex()).isEqualTo(STATIC_R_PUB);
        assertThat(identity(EPH_I).publicKey().hex()).isEqualTo(EPH_I_PUB);
        assertThat(identity(EPH_R).publicKey().hex()).isEqualTo(EPH_R_PUB);
        assertThat(initiatorHello().sign(identity(STATIC_I), new Jws(backend))).isEqualTo(HELLO_I);
        assertThat(responderHello().sign(identity(STATIC_R), new Jws(backend))).isEqualTo(HELLO_R);
    }

    @Test
    void eachHelloIsItsHeaderItsPayloadAndAnIndependentRfc6979Signature() throws Exception {
        checkToken(HELLO_I, HEADER_I, PAYLOAD_I, STATIC_I);
        checkToken(HELLO_R, HEADER_R, PAYLOAD_R, STATIC_R);
        assertThat(Base64Url.decode("AAECAwQFBgcICQoLDA0ODw", "n")).isEqualTo(hex(NONCE_I));
        assertThat(Base64Url.decode("8PHy8_T19vf4-fr7_P3-_w", "n")).isEqualTo(hex(NONCE_R));
        // the frame is the 4-byte big-endian length, then the ASCII token
        assertThat(Hex.encode(FrameDecoder.encode(HELLO_I.getBytes(StandardCharsets.US_ASCII))
                        .getBytes(0, 4)))
                .isEqualTo(HELLO_I_PREFIX)
                .isEqualTo(String.format("%08x", HELLO_I.length()));
        assertThat(String.format("%08x", HELLO_R.length())).isEqualTo(HELLO_R_PREFIX);
    }

    private static void checkToken(String token, String header, String payload, String secretHex) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(new String(Base64Url.decode(parts[0], "h"), StandardCharsets.UTF_8))
                .isEqualTo(header);
        assertThat(new String(Base64Url.decode(parts[1], "p"), StandardCharsets.UTF_8))
                .isEqualTo(payload);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(new BigInteger(secretHex, 16), DOMAIN));
        BigInteger[] rs = signer.generateSignature(MessageDigest.getInstance("SHA-256")
                .digest((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        BigInteger s =
                rs[1].compareTo(CURVE.getN().shiftRight(1)) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
        byte[] expected = new byte[64];
        System.arraycopy(fixed32(rs[0]), 0, expected, 0, 32);
        System.arraycopy(fixed32(s), 0, expected, 32, 32);
        assertThat(Base64Url.decode(parts[2], "s")).isEqualTo(expected);
    }

    @Test
    void theVectorHellosPassTheHandshakeChecksOnlyInsideTheClockWindow() throws Exception {
        Clock at = Clock.fixed(Instant.ofEpochSecond(TS_I), ZoneOffset.UTC);
        Hello fromInitiator = Hello.verify(HELLO_I, Jws.standard());
        Hello fromResponder = Hello.verify(HELLO_R, Jws.standard());
        // the responder checks the initiator's hello (no peer_nonce), the initiator the echo of its nonce
        new HandshakePolicy(DhtOptions.defaults(), at, identity(STATIC_R).publicKey()).check(fromInitiator, null, null);
        new HandshakePolicy(DhtOptions.defaults(), at, identity(STATIC_I).publicKey())
                .check(fromResponder, hex(NONCE_I), identity(STATIC_R).nodeId());
        // a responder hello replayed into another handshake does not echo that handshake's nonce
        assertThatThrownBy(() -> new HandshakePolicy(
                                DhtOptions.defaults(), at, identity(STATIC_I).publicKey())
                        .check(fromResponder, hex(NONCE_R), null))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED));
        Clock late = Clock.fixed(Instant.ofEpochSecond(TS_I + 121), ZoneOffset.UTC);
        new HandshakePolicy(
                        DhtOptions.defaults(),
                        Clock.fixed(Instant.ofEpochSecond(TS_I + 120), ZoneOffset.UTC),
                        identity(STATIC_R).publicKey())
                .check(fromInitiator, null, null);
        assertThatThrownBy(() -> new HandshakePolicy(
                                DhtOptions.defaults(), late, identity(STATIC_R).publicKey())
                        .check(fromInitiator, null, null))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPIRED));
    }

    @Test
    void theSessionKeysFollowFromBcEcdhAndHkdfComputedByHand() throws Exception {
        byte[] zI = ecdh(EPH_I, EPH_R_PUB);
        byte[] zR = ecdh(EPH_R, EPH_I_PUB);
        assertThat(Hex.encode(zI)).isEqualTo(ECDH_X);
        assertThat(zR).isEqualTo(zI);

        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes("streembit/1 session".getBytes(StandardCharsets.US_ASCII));
        info.writeBytes(hex(STATIC_I_PUB));
        info.writeBytes(hex(STATIC_R_PUB));
        info.writeBytes(hex(EPH_I_PUB));
        info.writeBytes(hex(EPH_R_PUB));
        assertThat(info.size()).isEqualTo(19 + 4 * 33);
        byte[] prk = hmac(hex(NONCE_I + NONCE_R), zI);
        assertThat(Hex.encode(prk)).isEqualTo(PRK);
        byte[] t1 = hmac(prk, concat(info.toByteArray(), new byte[] {1}));
        byte[] t2 = hmac(prk, concat(t1, info.toByteArray(), new byte[] {2}));
        assertThat(Hex.encode(t1)).isEqualTo(KEY_I2R);
        assertThat(Hex.encode(t2)).isEqualTo(KEY_R2I);
    }

    @Test
    void theFirstFramesOfTheSessionAreExactAndOpenOnTheOtherSide() throws Exception {
        // independently: JDK AES-GCM with the keys above and nonce = 4 zero bytes || counter
        assertThat(frame(KEY_I2R, 0, PING)).isEqualTo(FRAME_I2R_0);
        assertThat(frame(KEY_R2I, 0, PONG)).isEqualTo(FRAME_R2I_0);
        assertThat(frame(KEY_R2I, 1, PING)).isEqualTo(FRAME_R2I_1);
        assertThat(frame(KEY_I2R, 1, PONG)).isEqualTo(FRAME_I2R_1);

        // the implementation: SessionKeys + SecureChannel + Envelope on both sides
        Hello hi = initiatorHello();
        Hello hr = responderHello();
        SecureChannel initiator = SessionKeys.derive(identity(EPH_I).privateKey(), hi, hr, true);
        SecureChannel responder = SessionKeys.derive(identity(EPH_R).privateKey(), hi, hr, false);
        byte[] ping = Envelope.encode(new Envelope.Request(1, Op.PING, Json.object()));
        byte[] pong = Envelope.encode(Envelope.Response.ok(1, Json.object()));
        assertThat(new String(ping, StandardCharsets.UTF_8)).isEqualTo(PING);
        assertThat(new String(pong, StandardCharsets.UTF_8)).isEqualTo(PONG);

        byte[] f1 = initiator.seal(ping);
        assertThat(Hex.encode(FrameDecoder.encode(f1).getBytes())).isEqualTo(FRAME_I2R_0);
        assertThat(responder.open(f1)).isEqualTo(ping);
        byte[] f2 = responder.seal(pong);
        assertThat(Hex.encode(FrameDecoder.encode(f2).getBytes())).isEqualTo(FRAME_R2I_0);
        assertThat(initiator.open(f2)).isEqualTo(pong);
        byte[] f3 = responder.seal(ping);
        assertThat(Hex.encode(FrameDecoder.encode(f3).getBytes())).isEqualTo(FRAME_R2I_1);
        assertThat(initiator.open(f3)).isEqualTo(ping);
        byte[] f4 = initiator.seal(pong);
        assertThat(Hex.encode(FrameDecoder.encode(f4).getBytes())).isEqualTo(FRAME_I2R_1);

        // strict counters: the replay of frame 1 (counter 0) where counter 1 is due fails
        assertThatThrownBy(() -> responder.open(f1))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPT_FAILED));
    }

    @Test
    void theSpecificationPublishesExactlyTheseVectors() throws Exception {
        String doc = Files.readString(findDoc());
        for (String value : List.of(
                STATIC_I,
                STATIC_I_PUB,
                STATIC_R,
                STATIC_R_PUB,
                EPH_I,
                EPH_I_PUB,
                EPH_R,
                EPH_R_PUB,
                NONCE_I,
                NONCE_R,
                "AAECAwQFBgcICQoLDA0ODw",
                "8PHy8_T19vf4-fr7_P3-_w",
                PAYLOAD_I,
                PAYLOAD_R,
                HELLO_I,
                HELLO_R,
                HELLO_I_PREFIX,
                HELLO_R_PREFIX,
                ECDH_X,
                PRK,
                KEY_I2R,
                KEY_R2I,
                PING,
                PONG,
                FRAME_I2R_0,
                FRAME_R2I_0,
                FRAME_R2I_1,
                FRAME_I2R_1)) {
            assertThat(doc).as("docs/dht.md carries the vector value").contains(value);
        }
    }

    private static byte[] ecdh(String secretHex, String peerPublicHex) throws ProtocolException {
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init(new ECPrivateKeyParameters(new BigInteger(secretHex, 16), DOMAIN));
        BigInteger x = agreement.calculateAgreement(
                new ECPublicKeyParameters(CURVE.getCurve().decodePoint(hex(peerPublicHex)), DOMAIN));
        return fixed32(x);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static String frame(String keyHex, long counter, String plaintext) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(counter).array();
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hex(keyHex), "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", sealed.length) + Hex.encode(sealed);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] fixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static Path findDoc() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("dht.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException(
                "docs/dht.md not found above " + Paths.get("").toAbsolutePath());
    }
}
