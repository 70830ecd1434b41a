package io.streembit.protocol.record;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.jose.Jws;
import io.streembit.protocol.jose.VerifiedJws;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a storing node checks before it stores a record (and a reader before it believes one),
 * in this order, each failure with its own code:
 * <ol>
 *   <li>size of the token: {@code too-large}, before any parsing;</li>
 *   <li>the JWS: format, header, {@code typ} = {@value Records#TYP}, signature, low-S
 *       ({@code malformed}, {@code bad-encoding}, {@code bad-header}, {@code unsupported-alg},
 *       {@code typ-mismatch}, {@code bad-key}, {@code bad-signature}, {@code high-s});</li>
 *   <li>the payload's members and types ({@code malformed}, {@code bad-key} for {@code pub});</li>
 *   <li>{@code pub} equals the JWS signer: {@code bad-key};</li>
 *   <li>the publisher is allowed on this network: {@code not-allowed};</li>
 *   <li>the key: the expected key equals {@code SHA-1(pub || 0x00 || salt)}: {@code bad-key};</li>
 *   <li>the salt within the network's salt limit: {@code too-large};</li>
 *   <li>{@code exp} after now: {@code expired};</li>
 *   <li>{@code exp - now} at most the maximum TTL: {@code ttl-too-long};</li>
 *   <li>{@code iat} at most the allowed clock skew in the future: {@code expired}.</li>
 * </ol>
 * The allow-list comes right after the signer is proven, so that on a private network an
 * outsider's record is refused as not allowed whatever else is wrong with it. The seq rules
 * depend on what is already stored and live in {@link RecordStorePolicy}.
 */
public final class RecordValidator {
    private final RecordLimits limits;
    private final Predicate<PublicKey> allowed;
    private final Jws jws;

    /** A validator for an open network: every publisher is allowed. */
    public RecordValidator(RecordLimits limits) {
        this(limits, publisher -> true);
    }

    /** A validator for a private network: {@code allowed} says which publishers may store. */
    public RecordValidator(RecordLimits limits, Predicate<PublicKey> allowed) {
        this(limits, allowed, Jws.standard());
    }

    public RecordValidator(RecordLimits limits, Predicate<PublicKey> allowed, Jws jws) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.jws = Objects.requireNonNull(jws, "jws");
    }

    public RecordLimits limits() {
        return limits;
    }

    /** Validates {@code token} as the record stored under {@code expectedKey} at time {@code now}. */
    public VerifiedRecord validate(NodeId expectedKey, String token, Instant now) throws ProtocolException {
        Objects.requireNonNull(expectedKey, "expectedKey");
        Objects.requireNonNull(now, "now");
        if (token == null) {
            throw new ProtocolException(ErrorCode.MALFORMED, "record is missing");
        }
        if (token.length() > limits.maxRecordBytes()) {
            throw new ProtocolException(
                    ErrorCode.TOO_LARGE,
                    "record is " + token.length() + " bytes, at most " + limits.maxRecordBytes() + " allowed");
        }
        VerifiedJws signed = jws.verifySelfSigned(token, Records.TYP);
        RecordPayload payload = RecordPayload.parse(signed.payload());
        if (!payload.pub().equals(signed.signer())) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY,
                    "record pub " + payload.pub().nodeId() + " is not its signer "
                            + signed.signer().nodeId());
        }
        if (!allowed.test(payload.pub())) {
            throw new ProtocolException(
                    ErrorCode.NOT_ALLOWED, "publisher " + payload.pub().nodeId() + " is not allowed on this network");
        }
        NodeId key = RecordKey.of(payload.pub(), payload.salt());
        if (!key.equals(expectedKey)) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY,
                    "record derives key " + key + ", not the key " + expectedKey + " it is stored under");
        }
        int saltBytes = RecordKey.saltBytes(payload.salt()).length;
        if (saltBytes > limits.maxSaltBytes()) {
            throw new ProtocolException(
                    ErrorCode.TOO_LARGE,
                    "salt is " + saltBytes + " bytes, at most " + limits.maxSaltBytes() + " allowed");
        }
        // Whole seconds: exp and iat are integers, so comparing with floor(now) is exact.
        long nowSeconds = now.getEpochSecond();
        if (payload.exp() <= nowSeconds) {
            throw new ProtocolException(ErrorCode.EXPIRED, "record expired at " + payload.exp());
        }
        long ttl = secondsFrom(nowSeconds, payload.exp());
        if (ttl > limits.maxTtlSeconds()) {
            throw new ProtocolException(
                    ErrorCode.TTL_TOO_LONG,
                    "record lives " + ttl + " s, at most " + limits.maxTtlSeconds() + " s allowed");
        }
        long ahead = secondsFrom(nowSeconds, payload.iat());
        if (ahead > limits.maxClockSkewSeconds()) {
            throw new ProtocolException(
                    ErrorCode.EXPIRED,
                    "record is issued " + ahead + " s in the future, at most " + limits.maxClockSkewSeconds()
                            + " s of clock skew allowed");
        }
        return new VerifiedRecord(key, payload, token);
    }

    /** {@code t - now}, saturating instead of overflowing for a clock before 1970. */
    private static long secondsFrom(long now, long t) {
        try {
            return Math.subtractExact(t, now);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
