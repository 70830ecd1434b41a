package io.streembit.device;

import com.fasterxml.jackson.databind.node.IntNode;
import io.streembit.protocol.feed.FeedChain;
import io.streembit.protocol.feed.FeedEntries;
import io.streembit.protocol.feed.FeedEntry;
import io.streembit.protocol.feed.Reading;
import io.streembit.protocol.identity.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The durable buffer restores exactly the chain state and unacknowledged entries it wrote. */
class FeedBufferTest {
    private static final Identity DEVICE = Identity.generate(TestNetwork.RANDOM);
    private static final Identity GATEWAY = Identity.generate(TestNetwork.RANDOM);
    private static final long EXP = 4_000_000_000L;

    /** Seals and appends {@code count} entries; returns their tokens. */
    private static List<String> append(FeedBuffer buffer, int count) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FeedEntry entry = buffer.chain().nextEntry(List.of(new Reading("t", i, IntNode.valueOf(i))));
            String token = FeedEntries.standard().seal(DEVICE, GATEWAY.publicKey(), entry, 1_764_000_000L, EXP);
            buffer.append(entry.n(), EXP, token);
            tokens.add(token);
        }
        return tokens;
    }

    @Test
    void aReopenedBufferContinuesTheChainAndKeepsUnacknowledgedEntries(@TempDir Path dir) throws IOException {
        List<String> tokens;
        try (FeedBuffer buffer = FeedBuffer.open(dir, true)) {
            tokens = append(buffer, 5);
            assertThat(buffer.ack(2)).isEqualTo(2);
        }
        try (FeedBuffer buffer = FeedBuffer.open(dir, true)) {
            assertThat(buffer.lastN()).isEqualTo(5);
            assertThat(buffer.chain()).isEqualTo(FeedChain.after(5, tokens.get(4)));
            assertThat(buffer.acked()).isEqualTo(2);
            assertThat(buffer.size()).isEqualTo(3);
            assertThat(buffer.token(2)).isNull();
            assertThat(buffer.token(3)).isEqualTo(tokens.get(2));
            assertThat(buffer.token(5)).isEqualTo(tokens.get(4));
            assertThat(buffer.chain().nextEntry(List.of()).prev()).isEqualTo(FeedChain.hashOf(tokens.get(4)));
        }
    }

    @Test
    void aTornLastLineIsCutOffAndTheChainContinuesFromTheLastWholeEntry(@TempDir Path dir) throws IOException {
        List<String> tokens;
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            tokens = append(buffer, 3);
        }
        Path file = dir.resolve(FeedBuffer.ENTRIES);
        long whole = Files.size(file);
        String partial = "4 " + EXP + " " + tokens.get(2).substring(0, 100);
        Files.writeString(file, partial, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            assertThat(buffer.lastN()).isEqualTo(3);
            assertThat(buffer.chain()).isEqualTo(FeedChain.after(3, tokens.get(2)));
            assertThat(Files.size(file)).isEqualTo(whole);
            append(buffer, 1);
            assertThat(buffer.lastN()).isEqualTo(4);
        }
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            assertThat(buffer.lastN()).isEqualTo(4);
            assertThat(buffer.size()).isEqualTo(4);
        }
    }

    @Test
    void damageBeforeTheLastLineRefusesToOpenRatherThanForkTheChain(@TempDir Path dir) throws IOException {
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            append(buffer, 3);
        }
        Path file = dir.resolve(FeedBuffer.ENTRIES);
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        lines.set(1, lines.get(1).substring(0, 50));
        Files.write(file, lines, StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> FeedBuffer.open(dir, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");

        lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        lines.remove(1);
        Files.write(file, lines, StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> FeedBuffer.open(dir, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("jumps from entry 1 to 3");
    }

    @Test
    void compactionKeepsLiveEntriesAndTheLastOne(@TempDir Path dir) throws IOException {
        List<String> tokens;
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            tokens = append(buffer, 1500);
            long before = Files.size(dir.resolve(FeedBuffer.ENTRIES));
            buffer.ack(1400);
            assertThat(Files.size(dir.resolve(FeedBuffer.ENTRIES))).isLessThan(before / 10);
            assertThat(buffer.token(1401)).isEqualTo(tokens.get(1400));
            append(buffer, 1);
            buffer.ack(1501);
            assertThat(buffer.size()).isZero();
        }
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            assertThat(buffer.size()).isZero();
            assertThat(buffer.lastN()).isEqualTo(1501);
            assertThat(buffer.acked()).isEqualTo(1501);
        }
    }

    @Test
    void expiredEntriesAreReleasedOldestFirstAndAnAckBeyondTheLastEntryIsCapped(@TempDir Path dir) throws IOException {
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            for (long exp : new long[] {100, 200, 300}) {
                FeedEntry entry = buffer.chain().nextEntry(List.of());
                buffer.append(entry.n(), exp, FeedEntries.standard().seal(DEVICE, GATEWAY.publicKey(), entry, 50, exp));
            }
            assertThat(buffer.expire(200)).isEqualTo(2);
            assertThat(buffer.size()).isEqualTo(1);
            assertThat(buffer.ack(1000)).isEqualTo(1);
            assertThat(buffer.acked()).isEqualTo(3);
        }
    }

    @Test
    void dropOldestReleasesOneEntryAtATime(@TempDir Path dir) throws IOException {
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            append(buffer, 3);
            assertThat(buffer.dropOldest()).isEqualTo(1);
            assertThat(buffer.dropOldest()).isEqualTo(2);
            assertThat(buffer.size()).isEqualTo(1);
            assertThat(buffer.acked()).isZero();
        }
        try (FeedBuffer buffer = FeedBuffer.open(dir, false)) {
            assertThat(buffer.size()).isEqualTo(1);
            assertThat(buffer.select(n -> true, 10))
                    .extracting(FeedBuffer.Slot::n)
                    .containsExactly(3L);
        }
    }

    @Test
    void oneAgentAtATimePerDirectory(@TempDir Path dir) throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThatThrownBy(() -> DirectoryLock.acquire(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
        DirectoryLock.acquire(dir).close();
    }
}
