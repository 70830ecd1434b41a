package io.streembit.gateway.ingest;

import io.streembit.dht.PutResult;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordValidator;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's acks of one device: the latest committed entry, at most one put per ack
 * interval and one in flight, a failed put tried again, nothing after stop. On a virtual clock:
 * "not yet" means the clock has not reached the interval, never a real wait.
 */
class AckPublisherTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Identity GATEWAY = Identity.generate(RANDOM);
    private static final String DEVICE = Identity.generate(RANDOM).account();
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final PutResult STORED = new PutResult(3, Map.of(), List.of());

    private final VirtualTimers timers = new VirtualTimers();

    /** The ack slot as a test sees it: every put, answered as the test says (stored by default). */
    private static final class FakeSlot implements AckPublisher.AckSlot {
        final List<String> puts = new ArrayList<>();
        final List<Promise<PutResult>> answers = new ArrayList<>();
        boolean hold;

        @Override
        public synchronized Future<PutResult> put(String token) {
            puts.add(token);
            if (hold) {
                Promise<PutResult> answer = Promise.promise();
                answers.add(answer);
                return answer.future();
            }
            return Future.succeededFuture(STORED);
        }

        synchronized Promise<PutResult> lastAnswer() {
            return answers.get(answers.size() - 1);
        }
    }

    private final FakeSlot slot = new FakeSlot();

    private AckPublisher publisher(String deviceId, long cursor) {
        return new AckPublisher(slot, timers, GATEWAY, deviceId, cursor, INTERVAL, timers.clock());
    }

    /** The n of each put so far, each checked as a storing node checks the record. */
    private List<Long> ackedSeqs() throws ProtocolException {
        List<Long> seqs = new ArrayList<>();
        for (String token : slot.puts) {
            seqs.add(seqOf(token, DEVICE));
        }
        return seqs;
    }

    /** The n an ack record of {@code deviceId}'s slot carries, checked as a storing node checks it. */
    private long seqOf(String token, String deviceId) throws ProtocolException {
        VerifiedRecord record = new RecordValidator(RecordLimits.DEFAULTS)
                .validate(
                        RecordKey.of(GATEWAY.publicKey(), "ack/" + deviceId),
                        token,
                        timers.clock().instant());
        assertThat(record.publisher()).isEqualTo(GATEWAY.publicKey());
        assertThat(record.isLog()).isFalse();
        assertThat(record.payload().val().get("n").asLong()).isEqualTo(record.seq());
        assertThat(record.payload().exp() - record.payload().iat()).isEqualTo(AckPublisher.TTL.toSeconds());
        return record.seq();
    }

    @Test
    void theFirstCommittedEntryIsAcknowledgedAtOnceInTheDevicesAckSlot() throws Exception {
        AckPublisher acks = publisher(DEVICE, 0);
        acks.start();
        assertThat(slot.puts).as("nothing committed yet").isEmpty();

        acks.committed(1);

        assertThat(ackedSeqs()).containsExactly(1L);
    }

    @Test
    void entriesCommittedWithinTheIntervalBecomeOneAckOfTheLatest() throws Exception {
        AckPublisher acks = publisher(DEVICE, 0);
        acks.start();
        acks.committed(1);
        acks.committed(2);
        acks.committed(3);
        acks.committed(4);
        timers.advance(INTERVAL.minusMillis(1));
        assertThat(ackedSeqs()).containsExactly(1L);

        timers.advance(Duration.ofMillis(1));
        assertThat(ackedSeqs()).containsExactly(1L, 4L);

        timers.advance(INTERVAL.multipliedBy(10));
        assertThat(ackedSeqs()).as("nothing new committed").containsExactly(1L, 4L);
    }

    @Test
    void anOlderOrRepeatedCommitDoesNotMoveTheAckBack() throws Exception {
        AckPublisher acks = publisher(DEVICE, 0);
        acks.committed(5);
        acks.committed(3);
        acks.committed(5);
        timers.advance(INTERVAL.multipliedBy(3));

        assertThat(ackedSeqs()).containsExactly(5L);
    }

    @Test
    void atMostOneAckIsInFlight() throws Exception {
        slot.hold = true;
        AckPublisher acks = publisher(DEVICE, 0);
        acks.committed(1);
        acks.committed(2);
        timers.advance(INTERVAL.multipliedBy(5));
        assertThat(ackedSeqs()).as("while the put of 1 has no answer").containsExactly(1L);

        slot.lastAnswer().complete(STORED);
        // the interval since the last put has long passed: the next one goes at once
        assertThat(ackedSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void aFailedPutIsTriedAgainAfterTheIntervalWithTheLatestEntry() throws Exception {
        slot.hold = true;
        AckPublisher acks = publisher(DEVICE, 0);
        acks.committed(1);
        timers.advance(Duration.ofMillis(300));
        slot.lastAnswer().fail(new IllegalStateException("no storing node answered"));
        acks.committed(2);
        timers.advance(INTERVAL.minusMillis(1));
        assertThat(ackedSeqs()).as("the interval counts from the failure").containsExactly(1L);

        timers.advance(Duration.ofMillis(1));
        assertThat(ackedSeqs()).containsExactly(1L, 2L);
    }

    @Test
    void anAckNoNodeStoredIsTriedAgain() throws Exception {
        slot.hold = true;
        AckPublisher acks = publisher(DEVICE, 0);
        acks.committed(1);
        slot.lastAnswer().complete(new PutResult(0, Map.of("bad-signature", 3), List.of()));
        timers.advance(INTERVAL);

        assertThat(ackedSeqs()).containsExactly(1L, 1L);
        slot.lastAnswer().complete(STORED);
        timers.advance(INTERVAL.multipliedBy(10));
        assertThat(ackedSeqs()).containsExactly(1L, 1L);
    }

    @Test
    void aNodeHoldingThisAckOrALaterOneCountsAsAcknowledged() throws Exception {
        slot.hold = true;
        AckPublisher acks = publisher(DEVICE, 7);
        acks.start();
        // a restart acknowledges the cursor again; the nodes already hold that ack
        slot.lastAnswer().complete(new PutResult(0, Map.of("seq-too-low", 3), List.of()));
        timers.advance(INTERVAL.multipliedBy(10));

        assertThat(ackedSeqs()).containsExactly(7L);
    }

    @Test
    void startAcknowledgesTheCursorAgainBecauseTheLastAckMayNotHaveGoneOut() throws Exception {
        publisher(DEVICE, 7).start();

        assertThat(ackedSeqs()).containsExactly(7L);
    }

    @Test
    void nothingIsPutAfterStop() throws Exception {
        AckPublisher acks = publisher(DEVICE, 0);
        acks.committed(1);
        acks.committed(2); // waits for the interval
        acks.stop();
        acks.committed(3);
        timers.advance(INTERVAL.multipliedBy(10));

        assertThat(ackedSeqs()).containsExactly(1L);
        assertThat(timers.pending()).as("the interval's timer is cancelled").isZero();
    }

    @Test
    void eachDeviceHasItsOwnSlotAndInterval() throws Exception {
        String other = Identity.generate(RANDOM).account();
        publisher(DEVICE, 0).committed(1);
        publisher(other, 0).committed(9);

        // both go at once: the interval is per device, not per gateway
        assertThat(slot.puts).hasSize(2);
        assertThat(seqOf(slot.puts.get(0), DEVICE)).isEqualTo(1);
        assertThat(seqOf(slot.puts.get(1), other)).isEqualTo(9);
    }
}
