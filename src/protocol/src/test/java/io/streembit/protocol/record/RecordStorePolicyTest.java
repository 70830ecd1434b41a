package io.streembit.protocol.record;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.NodeId;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static io.streembit.protocol.record.RecordFixtures.ALICE;
import static io.streembit.protocol.record.RecordFixtures.NOW;
import static io.streembit.protocol.record.RecordFixtures.json;
import static io.streembit.protocol.record.RecordFixtures.logEntry;
import static io.streembit.protocol.record.RecordFixtures.slot;
import static io.streembit.protocol.record.RecordFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordStorePolicyTest {
    private static final NodeId TD = RecordKey.of(ALICE.publicKey(), "td");
    private static final NodeId FEED = RecordKey.of(ALICE.publicKey(), "feed");

    private static VerifiedRecord slotRecord(long seq, String val) throws ProtocolException {
        return verify(TD, slot(seq, val));
    }

    private static VerifiedRecord logRecord(long seq, String val) throws ProtocolException {
        return verify(FEED, logEntry(seq, val));
    }

    private static void refused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(code);
    }

    @Test
    void aSlotTakesItsFirstValueAndThenOnlyGreaterSeqs() throws Exception {
        VerifiedRecord stored = slotRecord(5, "\"v5\"");
        assertThat(RecordStorePolicy.checkSlotReplace(null, stored)).isEqualTo(StoreDecision.STORE);
        assertThat(RecordStorePolicy.checkSlotReplace(stored, slotRecord(6, "\"v6\"")))
                .isEqualTo(StoreDecision.STORE);
        assertThat(RecordStorePolicy.checkSlotReplace(stored, slotRecord(Long.MAX_VALUE, "1")))
                .isEqualTo(StoreDecision.STORE);
        refused(() -> RecordStorePolicy.checkSlotReplace(stored, slotRecord(4, "\"v4\"")), ErrorCode.SEQ_TOO_LOW);
        refused(() -> RecordStorePolicy.checkSlotReplace(stored, slotRecord(0, "\"v5\"")), ErrorCode.SEQ_TOO_LOW);
    }

    @Test
    void aSlotReStoreOfTheSameBytesIsIdempotentButTheSameSeqWithOtherBytesIsTooLow() throws Exception {
        VerifiedRecord stored = slotRecord(5, "\"v5\"");
        assertThat(RecordStorePolicy.checkSlotReplace(stored, slotRecord(5, "\"v5\"")))
                .isEqualTo(StoreDecision.IDEMPOTENT);
        refused(() -> RecordStorePolicy.checkSlotReplace(stored, slotRecord(5, "\"other\"")), ErrorCode.SEQ_TOO_LOW);
        // Same value, later expiry: different bytes, so it needs a greater seq.
        VerifiedRecord later = verify(TD, Records.sign(ALICE, "td", 5, NOW, NOW + 7200, false, json("\"v5\"")));
        refused(() -> RecordStorePolicy.checkSlotReplace(stored, later), ErrorCode.SEQ_TOO_LOW);
    }

    @Test
    void aLogKeepsEveryEntryInAnyOrderAndRefusesADifferentEntryAtATakenSeq() throws Exception {
        VerifiedRecord head = logRecord(10, "\"e10\"");
        assertThat(RecordStorePolicy.checkLogAppend(null, null, head)).isEqualTo(StoreDecision.STORE);
        assertThat(RecordStorePolicy.checkLogAppend(head, null, logRecord(11, "\"e11\"")))
                .isEqualTo(StoreDecision.STORE);
        // An older entry (a republish, or a replica catching up) is still stored.
        assertThat(RecordStorePolicy.checkLogAppend(head, null, logRecord(3, "\"e3\"")))
                .isEqualTo(StoreDecision.STORE);
        assertThat(RecordStorePolicy.checkLogAppend(head, head, logRecord(10, "\"e10\"")))
                .isEqualTo(StoreDecision.IDEMPOTENT);
        refused(() -> RecordStorePolicy.checkLogAppend(head, head, logRecord(10, "\"forked\"")), ErrorCode.FORK);
    }

    @Test
    void oneKeyHoldsOneKindAndMixingThemIsAFork() throws Exception {
        String salt = "both";
        NodeId key = RecordKey.of(ALICE.publicKey(), salt);
        VerifiedRecord slot = verify(key, Records.sign(ALICE, salt, 1, NOW, NOW + 60, false, json("1")));
        VerifiedRecord log = verify(key, Records.sign(ALICE, salt, 2, NOW, NOW + 60, true, json("2")));
        refused(() -> RecordStorePolicy.checkSlotReplace(log, slot), ErrorCode.FORK);
        refused(() -> RecordStorePolicy.checkLogAppend(slot, null, log), ErrorCode.FORK);
    }

    @Test
    void checkingARecordAgainstAnotherKeyOrTheWrongKindIsABugInTheCaller() throws Exception {
        VerifiedRecord slot = slotRecord(1, "1");
        VerifiedRecord log = logRecord(1, "1");
        assertThatThrownBy(() -> RecordStorePolicy.checkSlotReplace(null, log))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordStorePolicy.checkLogAppend(null, null, slot))
                .isInstanceOf(IllegalArgumentException.class);
        VerifiedRecord otherKey = verify(
                RecordKey.of(ALICE.publicKey(), "other"),
                Records.sign(ALICE, "other", 9, NOW, NOW + 60, false, json("1")));
        assertThatThrownBy(() -> RecordStorePolicy.checkSlotReplace(otherKey, slot))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordStorePolicy.checkLogAppend(log, logRecord(2, "2"), logRecord(3, "3")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
