package io.streembit.protocol.feed;

import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Where a feed's hash chain stands: the last linked entry's {@code n} and the hash of its
 * record token. Immutable; {@link #append} returns the next state. The same object serves the
 * device (which builds entries with {@link #nextEntry}) and the gateway (which checks them).
 */
public final class FeedChain {
    /** The {@code prev} of entry 1: base64url SHA-256 of the empty byte string. */
    public static final String GENESIS_PREV = hashOf("");

    private final long lastN;
    private final String lastHash;

    private FeedChain(long lastN, String lastHash) {
        this.lastN = lastN;
        this.lastHash = lastHash;
    }

    /** A chain with no entries yet: the next entry is 1, with prev {@link #GENESIS_PREV}. */
    public static FeedChain genesis() {
        return new FeedChain(0, GENESIS_PREV);
    }

    /** Resumes after entry {@code n}, whose record token was {@code token} (a persisted cursor). */
    public static FeedChain after(long n, String token) {
        if (n < 1) {
            throw new IllegalArgumentException("a chain resumes after an entry n >= 1; use genesis()");
        }
        return new FeedChain(n, hashOf(Objects.requireNonNull(token, "token")));
    }

    /**
     * Resumes after entry {@code n} from the link alone ({@link #hashOf} of its token): what a
     * cursor stores, so a reader need not keep whole tokens.
     */
    public static FeedChain resume(long n, String tokenHash) {
        if (n < 1) {
            throw new IllegalArgumentException("a chain resumes after an entry n >= 1; use genesis()");
        }
        try {
            if (Base64Url.decode(Objects.requireNonNull(tokenHash, "tokenHash"), "token hash").length != 32) {
                throw new IllegalArgumentException("a token hash is a SHA-256 (32 bytes)");
            }
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new FeedChain(n, tokenHash);
    }

    /** The base64url SHA-256 of a record token's ASCII bytes: the next entry's {@code prev}. */
    public static String hashOf(String token) {
        return Base64Url.encode(Hashes.sha256(token.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The n of the last linked entry, 0 for a new chain. */
    public long lastN() {
        return lastN;
    }

    /** The prev the next entry must carry. */
    public String lastHash() {
        return lastHash;
    }

    /** The entry that extends this chain with {@code readings}. */
    public FeedEntry nextEntry(List<Reading> readings) {
        return new FeedEntry(lastN + 1, lastHash, readings);
    }

    /**
     * Offers entry {@code entry}, whose record token is {@code token} (the entry is that token's
     * decrypted value, see {@link FeedEntries#open}).
     * <ul>
     *   <li>{@code n == last + 1} and {@code prev} is the last hash: {@link ChainStep.Linked};</li>
     *   <li>{@code n == last + 1} and another {@code prev}: FORK (the device wrote two histories);</li>
     *   <li>{@code n == last} with a token other than the last one: FORK (two entries for one n);</li>
     *   <li>{@code n > last + 1}: {@link ChainStep.Gap} (entries missing, not yet checkable);</li>
     *   <li>otherwise (the last entry again, or older): {@link ChainStep.Stale}.</li>
     * </ul>
     */
    public ChainStep append(FeedEntry entry, String token) throws ProtocolException {
        long n = entry.n();
        if (n == lastN + 1) {
            if (!entry.prev().equals(lastHash)) {
                throw new ProtocolException(
                        ErrorCode.FORK,
                        "feed entry " + n + " does not link to entry " + lastN + ": prev " + entry.prev()
                                + ", expected " + lastHash);
            }
            return new ChainStep.Linked(new FeedChain(n, hashOf(token)));
        }
        if (n > lastN + 1) {
            return new ChainStep.Gap(lastN + 1, n);
        }
        if (n == lastN && lastN > 0 && !hashOf(token).equals(lastHash)) {
            throw new ProtocolException(
                    ErrorCode.FORK, "feed entry " + n + " differs from the entry " + n + " already linked");
        }
        return new ChainStep.Stale(lastN, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeedChain other && lastN == other.lastN && lastHash.equals(other.lastHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastN) * 31 + lastHash.hashCode();
    }

    @Override
    public String toString() {
        return "FeedChain[lastN=" + lastN + ", lastHash=" + lastHash + "]";
    }
}
