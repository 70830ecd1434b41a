package io.streembit.protocol.feed;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.streembit.protocol.feed.FeedFixtures.DEVICE;
import static io.streembit.protocol.feed.FeedFixtures.GATEWAY;
import static io.streembit.protocol.feed.FeedFixtures.NOW;
import static io.streembit.protocol.feed.FeedFixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedChainTest {
    private static final FeedEntries FEED = FeedEntries.standard();

    /** Entries 1..count as a device writes them, with their tokens. */
    private static List<Object[]> feed(int count) throws ProtocolException {
        List<Object[]> out = new ArrayList<>();
        FeedChain chain = FeedChain.genesis();
        for (int i = 0; i < count; i++) {
            FeedEntry entry = chain.nextEntry(readings(i));
            String token = FEED.seal(DEVICE, GATEWAY.publicKey(), entry, NOW, NOW + 60);
            out.add(new Object[] {entry, token});
            chain = ((ChainStep.Linked) chain.append(entry, token)).chain();
        }
        return out;
    }

    private static FeedEntry entry(List<Object[]> feed, int n) {
        return (FeedEntry) feed.get(n - 1)[0];
    }

    private static String token(List<Object[]> feed, int n) {
        return (String) feed.get(n - 1)[1];
    }

    private static String sha256b64u(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    @Test
    void genesisIsTheHashOfNoBytesAndEachPrevIsTheHashOfThePreviousToken() throws Exception {
        assertThat(FeedChain.GENESIS_PREV)
                .isEqualTo(sha256b64u(""))
                .isEqualTo("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
        List<Object[]> feed = feed(3);
        assertThat(entry(feed, 1).prev()).isEqualTo(FeedChain.GENESIS_PREV);
        assertThat(entry(feed, 2).prev()).isEqualTo(sha256b64u(token(feed, 1)));
        assertThat(entry(feed, 3).prev()).isEqualTo(sha256b64u(token(feed, 2)));
    }

    @Test
    void aChainResumedFromACursorContinuesLikeTheOriginal() throws Exception {
        List<Object[]> feed = feed(3);
        FeedChain resumed = FeedChain.after(2, token(feed, 2));
        ChainStep step = resumed.append(entry(feed, 3), token(feed, 3));
        assertThat(((ChainStep.Linked) step).chain().lastHash()).isEqualTo(sha256b64u(token(feed, 3)));
    }

    @Test
    void aChainResumedFromAStoredLinkEqualsOneResumedFromTheToken() throws Exception {
        List<Object[]> feed = feed(3);
        FeedChain fromLink = FeedChain.resume(2, FeedChain.hashOf(token(feed, 2)));
        assertThat(fromLink).isEqualTo(FeedChain.after(2, token(feed, 2)));
        assertThat(fromLink.append(entry(feed, 3), token(feed, 3))).isInstanceOf(ChainStep.Linked.class);
        assertThatThrownBy(() -> FeedChain.resume(2, "AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeedChain.resume(0, FeedChain.GENESIS_PREV))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryThatDoesNotLinkToItsPredecessorIsAFork() throws Exception {
        List<Object[]> feed = feed(3);
        FeedChain afterOne = FeedChain.after(1, token(feed, 1));
        // Entry 3's prev (hash of 2) offered where entry 2 should link to entry 1.
        FeedEntry forged = new FeedEntry(2, entry(feed, 3).prev(), readings(9));
        assertThatThrownBy(() -> afterOne.append(forged, "any"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not link")
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.FORK);
        // A second history from the same device: a new entry 2 after a different entry 1.
        List<Object[]> other = feed(2);
        assertThatThrownBy(() -> afterOne.append(entry(other, 2), token(other, 2)))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.FORK);
    }

    @Test
    void aGapIsReportedAsAGapNotAForkAndTheChainWaitsForTheMissingEntries() throws Exception {
        List<Object[]> feed = feed(4);
        FeedChain afterTwo = FeedChain.after(2, token(feed, 2));
        ChainStep step = afterTwo.append(entry(feed, 4), token(feed, 4));
        assertThat(step).isEqualTo(new ChainStep.Gap(3, 4));
        FeedChain afterThree = ((ChainStep.Linked) afterTwo.append(entry(feed, 3), token(feed, 3))).chain();
        assertThat(afterThree.append(entry(feed, 4), token(feed, 4))).isInstanceOf(ChainStep.Linked.class);
        assertThat(FeedChain.genesis().append(entry(feed, 2), token(feed, 2))).isEqualTo(new ChainStep.Gap(1, 2));
    }

    @Test
    void anEntryAlreadyLinkedIsStaleButADifferentTokenForTheLastNIsAFork() throws Exception {
        List<Object[]> feed = feed(2);
        FeedChain afterTwo = FeedChain.after(2, token(feed, 2));
        assertThat(afterTwo.append(entry(feed, 2), token(feed, 2))).isEqualTo(new ChainStep.Stale(2, 2));
        assertThat(afterTwo.append(entry(feed, 1), token(feed, 1))).isEqualTo(new ChainStep.Stale(2, 1));
        // The same entry sealed again is a different token (fresh JWE), so a second entry 2.
        String resealed = FEED.seal(DEVICE, GATEWAY.publicKey(), entry(feed, 2), NOW, NOW + 60);
        assertThatThrownBy(() -> afterTwo.append(entry(feed, 2), resealed))
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(ErrorCode.FORK);
    }
}
