package io.streembit.dht.store;

import com.fasterxml.jackson.databind.node.TextNode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The record store's budgets (issue 16, item 1): per publisher, in all, and on journal replay. */
class StoreBudgetTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RecordValidator VALIDATOR = new RecordValidator(RecordLimits.DEFAULTS, pub -> true);
    private static final TextNode KB = new TextNode("y".repeat(1000));

    private static VerifiedRecord record(Identity publisher, String salt) throws ProtocolException {
        long now = System.currentTimeMillis() / 1000;
        String token = Records.sign(publisher, salt, 1, now, now + 3600, false, KB);
        return VALIDATOR.validate(
                RecordKey.of(publisher.publicKey(), salt),
                token,
                Clock.systemUTC().instant());
    }

    @Test
    void aPublisherPastItsKeysOrBytesIsRefusedTooLarge() throws Exception {
        MemoryRecordStore store =
                new MemoryRecordStore(RetentionLimits.defaults().withPerSigner(100_000, 3));
        Identity publisher = Identity.generate(RANDOM);
        for (int i = 0; i < 3; i++) {
            store.put(record(publisher, "k" + i));
        }
        assertThatThrownBy(() -> store.put(record(publisher, "k3")))
                .hasMessageContaining("keys are at this node's limit");
        // another publisher is not affected
        store.put(record(Identity.generate(RANDOM), "k0"));

        MemoryRecordStore bytes =
                new MemoryRecordStore(RetentionLimits.defaults().withPerSigner(4_000, 100));
        bytes.put(record(publisher, "a"));
        bytes.put(record(publisher, "b"));
        assertThatThrownBy(() -> bytes.put(record(publisher, "c")))
                .hasMessageContaining("records are at this node's limit");
        assertThat(bytes.bytesOf(publisher.publicKey())).isLessThanOrEqualTo(4_000);
    }

    @Test
    void aFullStoreDropsTheKeysFarthestFromTheNodeForACloserOne() throws Exception {
        NodeId self = NodeId.sha1Of(new byte[] {9});
        MemoryRecordStore store =
                new MemoryRecordStore(RetentionLimits.defaults().withMaxBytes(20_000), self);
        List<VerifiedRecord> stored = new ArrayList<>();
        while (true) {
            VerifiedRecord r = record(Identity.generate(RANDOM), "x");
            try {
                store.put(r);
                stored.add(r);
            } catch (ProtocolException e) {
                break; // full, and this key was farther than everything held
            }
            if (stored.size() > 100) {
                break;
            }
        }
        assertThat(store.totalBytes()).isLessThanOrEqualTo(20_000);
        NodeId farthest = store.keys().stream()
                .max((a, b) -> Arrays.compareUnsigned(a.distance(self), b.distance(self)))
                .orElseThrow();
        // a record under a key closer than the farthest held replaces it
        VerifiedRecord closer;
        do {
            closer = record(Identity.generate(RANDOM), "x");
        } while (Arrays.compareUnsigned(closer.key().distance(self), farthest.distance(self)) >= 0);
        store.put(closer);
        assertThat(store.latest(closer.key())).isPresent();
        assertThat(store.totalBytes()).isLessThanOrEqualTo(20_000);
        assertThat(store.keys()).doesNotContain(farthest);
    }

    @Test
    void aJournalReplaysIntoTheBudgetItIsOpenedWith(@TempDir Path dir) throws Exception {
        NodeId self = NodeId.sha1Of(new byte[] {3});
        List<VerifiedRecord> written = new ArrayList<>();
        try (DiskRecordStore store =
                DiskRecordStore.open(dir, RetentionLimits.defaults(), self, VALIDATOR, Clock.systemUTC())) {
            for (int i = 0; i < 200; i++) {
                VerifiedRecord r = record(Identity.generate(RANDOM), "j");
                store.put(r);
                written.add(r);
            }
        }
        try (DiskRecordStore store = DiskRecordStore.open(
                dir, RetentionLimits.defaults().withMaxBytes(50_000), self, VALIDATOR, Clock.systemUTC())) {
            assertThat(store.totalBytes()).isLessThanOrEqualTo(50_000);
            // what was kept is the part of the journal closest to the node
            written.sort((a, b) ->
                    Arrays.compareUnsigned(a.key().distance(self), b.key().distance(self)));
            assertThat(store.keys()).contains(written.get(0).key());
            assertThat(store.keys())
                    .doesNotContain(written.get(written.size() - 1).key());
            assertThat(DiskRecordStore.readJournal(dir)).hasSize(store.keys().size());
        }
    }
}
