package io.streembit.protocol.record;

import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jws;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.BOB;
import static io.streembit.protocol.record.RecordFixtures.NOW;
import static io.streembit.protocol.record.RecordFixtures.NOW_INSTANT;
import static io.streembit.protocol.record.RecordFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

class RecordValidatorTest {
    private static final NodeId TD_KEY = RecordKey.of(ALICE.publicKey(), "td");
    private static final RecordValidator OPEN = new RecordValidator(RecordLimits.DEFAULTS);

    private static String record(long iat, long exp) {
        return Records.sign(ALICE, "td", 1, iat, exp, false, json("{\"title\":\"lamp\"}"));
    }

    private static ErrorCode refusal(RecordValidator validator, NodeId key, String token, Instant now) {
        try {
            validator.validate(key, token, now);
            throw new AssertionError("accepted");
        } catch (ProtocolException e) {
            return e.code();
        }
    }

    private static ErrorCode refusal(NodeId key, String token) {
        return refusal(OPEN, key, token, NOW_INSTANT);
    }

    @Test
    void aValidRecordComesBackVerifiedWithItsKeyPayloadAndSize() throws Exception {
        String token = record(NOW, NOW + 3600);
        VerifiedRecord record = OPEN.validate(TD_KEY, token, NOW_INSTANT);
        assertThat(record.key()).isEqualTo(TD_KEY);
        assertThat(record.token()).isEqualTo(token);
        assertThat(record.encodedSize()).isEqualTo(token.getBytes(StandardCharsets.US_ASCII).length);
        assertThat(record.publisher()).isEqualTo(ALICE.publicKey());
        assertThat(record.payload().val()).isEqualTo(json("{\"title\":\"lamp\"}"));
        assertThat(record.seq()).isEqualTo(1);
        assertThat(record.isLog()).isFalse();
        assertThat(record.toString()).contains(TD_KEY.hex()).doesNotContain("lamp");
    }

    @Test
    void sizeIsCheckedFirstAndExactlyAtTheLimit() throws Exception {
        String token = record(NOW, NOW + 3600);
        RecordLimits exact = new RecordLimits(token.length(), 86400, 64, 120);
        new RecordValidator(exact).validate(TD_KEY, token, NOW_INSTANT);
        RecordLimits smaller = new RecordLimits(token.length() - 1, 86400, 64, 120);
        assertThat(refusal(new RecordValidator(smaller), TD_KEY, token, NOW_INSTANT))
                .isEqualTo(ErrorCode.TOO_LARGE);
        // Before any parsing: garbage past the limit is too large, not malformed.
        assertThat(refusal(TD_KEY, "x".repeat(RecordLimits.DEFAULT_MAX_RECORD_BYTES + 1)))
                .isEqualTo(ErrorCode.TOO_LARGE);
        String big = Records.sign(ALICE, "td", 1, NOW, NOW + 60, false, TextNode.valueOf("v".repeat(16 * 1024)));
        assertThat(refusal(TD_KEY, big)).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void theJwsMustBeASignedRecord() {
        String token = record(NOW, NOW + 3600);
        String[] parts = token.split("\\.");
        assertThat(refusal(TD_KEY, null)).isEqualTo(ErrorCode.MALFORMED);
        assertThat(refusal(TD_KEY, parts[0] + "." + parts[1])).isEqualTo(ErrorCode.MALFORMED);
        assertThat(refusal(TD_KEY, token + "=")).isEqualTo(ErrorCode.BAD_ENCODING);
        char last = parts[2].charAt(10);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        assertThat(refusal(TD_KEY, flipped)).isEqualTo(ErrorCode.BAD_SIGNATURE);
        byte[] payload = new RecordPayload(ALICE.publicKey(), "td", 1, NOW, NOW + 60, false, json("1")).toBytes();
        assertThat(refusal(TD_KEY, Jws.standard().sign(ALICE, "JWT", payload))).isEqualTo(ErrorCode.TYP_MISMATCH);
        String none = Base64Url.encode(
                "{\"alg\":\"none\",\"kid\":\"x\",\"typ\":\"streembit.record\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(TD_KEY, none + "." + parts[1] + ".")).isEqualTo(ErrorCode.UNSUPPORTED_ALG);
    }

    @Test
    void theSameSignatureInHighSFormIsRefused() {
        String token = record(NOW, NOW + 3600);
        int dot = token.lastIndexOf('.');
        byte[] sig = decode(token.substring(dot + 1));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        System.arraycopy(CurveParams.to32(CurveParams.N.subtract(s)), 0, sig, 32, 32);
        assertThat(refusal(TD_KEY, token.substring(0, dot + 1) + Base64Url.encode(sig)))
                .isEqualTo(ErrorCode.HIGH_S);
    }

    @Test
    void aPayloadThatIsNotARecordIsMalformed() {
        String token = Jws.standard().sign(ALICE, Records.TYP, "{\"pub\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(TD_KEY, token)).isEqualTo(ErrorCode.MALFORMED);
    }

    @Test
    void aRecordSignedByAnyoneButItsPubIsABadKey() {
        byte[] alices = new RecordPayload(ALICE.publicKey(), "td", 1, NOW, NOW + 60, false, json("1")).toBytes();
        String signedByBob = Jws.standard().sign(BOB, Records.TYP, alices);
        assertThat(refusal(TD_KEY, signedByBob)).isEqualTo(ErrorCode.BAD_KEY);
    }

    @Test
    void aRecordOfferedUnderAnotherKeyIsABadKey() {
        String token = record(NOW, NOW + 3600);
        assertThat(refusal(RecordKey.of(ALICE.publicKey(), "feed"), token)).isEqualTo(ErrorCode.BAD_KEY);
        assertThat(refusal(RecordKey.of(BOB.publicKey(), "td"), token)).isEqualTo(ErrorCode.BAD_KEY);
    }

    @Test
    void onAPrivateNetworkOnlyAllowListedPublishersStoreAndThatIsCheckedBeforeTheKey() throws Exception {
        Predicate<PublicKey> onlyBob = Set.of(BOB.publicKey())::contains;
        RecordValidator privateNet = new RecordValidator(RecordLimits.DEFAULTS, onlyBob);
        String alices = record(NOW, NOW + 3600);
        assertThat(refusal(privateNet, TD_KEY, alices, NOW_INSTANT)).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(refusal(privateNet, RecordKey.of(BOB.publicKey(), "td"), alices, NOW_INSTANT))
                .isEqualTo(ErrorCode.NOT_ALLOWED);
        String bobs = Records.sign(BOB, "td", 1, NOW, NOW + 60, false, json("1"));
        assertThat(privateNet
                        .validate(RecordKey.of(BOB.publicKey(), "td"), bobs, NOW_INSTANT)
                        .publisher())
                .isEqualTo(BOB.publicKey());
    }

    @Test
    void aNetworkMayLimitSaltsFurther() {
        RecordLimits shortSalts = new RecordLimits(16384, 86400, 8, 120);
        String salt = "cmd/" + BOB.account();
        String token = Records.sign(ALICE, salt, 1, NOW, NOW + 60, true, json("1"));
        assertThat(refusal(new RecordValidator(shortSalts), RecordKey.of(ALICE.publicKey(), salt), token, NOW_INSTANT))
                .isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void aRecordExpiresAtItsExpSecond() throws Exception {
        assertThat(refusal(TD_KEY, record(NOW - 10, NOW))).isEqualTo(ErrorCode.EXPIRED);
        assertThat(refusal(TD_KEY, record(NOW - 10, NOW - 1))).isEqualTo(ErrorCode.EXPIRED);
        OPEN.validate(TD_KEY, record(NOW - 10, NOW + 1), NOW_INSTANT);
        // Within the last second before exp the record is still alive; at exp it is not.
        OPEN.validate(TD_KEY, record(NOW - 10, NOW + 1), NOW_INSTANT.plusMillis(999));
        assertThat(refusal(OPEN, TD_KEY, record(NOW - 10, NOW + 1), NOW_INSTANT.plusSeconds(1)))
                .isEqualTo(ErrorCode.EXPIRED);
    }

    @Test
    void aRecordMayLiveAtMostTheMaximumTtl() throws Exception {
        OPEN.validate(TD_KEY, record(NOW, NOW + 86400), NOW_INSTANT);
        assertThat(refusal(TD_KEY, record(NOW, NOW + 86401))).isEqualTo(ErrorCode.TTL_TOO_LONG);
        assertThat(refusal(TD_KEY, record(NOW, Long.MAX_VALUE))).isEqualTo(ErrorCode.TTL_TOO_LONG);
        RecordValidator hourly = new RecordValidator(new RecordLimits(16384, 3600, 64, 120));
        assertThat(refusal(hourly, TD_KEY, record(NOW, NOW + 3601), NOW_INSTANT))
                .isEqualTo(ErrorCode.TTL_TOO_LONG);
    }

    @Test
    void aRecordIssuedFurtherInTheFutureThanTheClockSkewIsRefused() throws Exception {
        OPEN.validate(TD_KEY, record(NOW + 120, NOW + 600), NOW_INSTANT);
        assertThat(refusal(TD_KEY, record(NOW + 121, NOW + 600))).isEqualTo(ErrorCode.EXPIRED);
    }

    @Test
    void whenSeveralRulesFailTheEarliestInTheDocumentedOrderWins() {
        // too large and badly signed: too-large
        String big = Records.sign(ALICE, "td", 1, NOW - 10, NOW - 5, false, TextNode.valueOf("v".repeat(16 * 1024)));
        assertThat(refusal(RecordKey.of(BOB.publicKey(), "x"), big)).isEqualTo(ErrorCode.TOO_LARGE);
        // an outsider's expired record under a wrong key: not-allowed
        RecordValidator onlyBob = new RecordValidator(RecordLimits.DEFAULTS, BOB.publicKey()::equals);
        assertThat(refusal(onlyBob, RecordKey.of(BOB.publicKey(), "x"), record(NOW - 10, NOW - 5), NOW_INSTANT))
                .isEqualTo(ErrorCode.NOT_ALLOWED);
        // wrong key and expired: bad-key
        assertThat(refusal(RecordKey.of(BOB.publicKey(), "x"), record(NOW - 10, NOW - 5)))
                .isEqualTo(ErrorCode.BAD_KEY);
        // expired and too long a ttl cannot both hold; expired and iat in the future cannot either:
        // an expired record issued far in the future is malformed (exp before iat).
        assertThat(refusal(
                        TD_KEY,
                        Jws.standard()
                                .sign(
                                        ALICE,
                                        Records.TYP,
                                        ("{\"pub\":\"" + ALICE.publicKey().hex()
                                                        + "\",\"salt\":\"td\",\"seq\":1,\"iat\":" + (NOW + 999)
                                                        + ",\"exp\":" + (NOW - 1) + ",\"log\":false,\"val\":1}")
                                                .getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(ErrorCode.MALFORMED);
    }

    private static byte[] decode(String b64u) {
        try {
            return Base64Url.decode(b64u, "test");
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
