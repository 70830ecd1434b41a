package io.streembit.device;

import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted command ids and queue positions outlive the process, until the commands expire. */
class CommandLedgerTest {
    private static final PublicKey GATEWAY =
            Identity.generate(TestNetwork.RANDOM).publicKey();
    private static final PublicKey OPERATOR =
            Identity.generate(TestNetwork.RANDOM).publicKey();

    @Test
    void seenIdsAndCursorsSurviveAReopenPerSigner(@TempDir Path dir) throws IOException {
        try (CommandLedger ledger = CommandLedger.open(dir, true, 1000)) {
            assertThat(ledger.cursor(GATEWAY)).isEqualTo(CommandLedger.FIRST_SEQ);
            ledger.markSeen(GATEWAY, "c-1", 2000);
            ledger.markSeen(GATEWAY, "id with spaces\nand a newline ✓", 2000);
            ledger.advance(GATEWAY, 3);
            ledger.advance(GATEWAY, 2); // never backwards
        }
        try (CommandLedger ledger = CommandLedger.open(dir, true, 1500)) {
            assertThat(ledger.seen(GATEWAY, "c-1")).isTrue();
            assertThat(ledger.seen(GATEWAY, "id with spaces\nand a newline ✓")).isTrue();
            assertThat(ledger.seen(OPERATOR, "c-1")).isFalse(); // ids are unique per controller, not globally
            assertThat(ledger.cursor(GATEWAY)).isEqualTo(3);
            assertThat(ledger.cursor(OPERATOR)).isEqualTo(CommandLedger.FIRST_SEQ);
        }
    }

    @Test
    void idsAreForgottenOnceTheirCommandExpired(@TempDir Path dir) throws IOException {
        try (CommandLedger ledger = CommandLedger.open(dir, false, 1000)) {
            ledger.markSeen(GATEWAY, "short", 1100);
            ledger.markSeen(GATEWAY, "long", 5000);
            ledger.prune(1200);
            assertThat(ledger.seen(GATEWAY, "short")).isFalse();
            assertThat(ledger.seen(GATEWAY, "long")).isTrue();
        }
        try (CommandLedger ledger = CommandLedger.open(dir, false, 1200)) {
            assertThat(ledger.seenCount()).isEqualTo(1);
        }
    }

    @Test
    void aTornLastLineIsIgnored(@TempDir Path dir) throws IOException {
        try (CommandLedger ledger = CommandLedger.open(dir, false, 1000)) {
            ledger.markSeen(GATEWAY, "c-1", 2000);
        }
        Files.writeString(
                dir.resolve(CommandLedger.SEEN),
                "2000 " + GATEWAY.nodeId().hex(),
                StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
        try (CommandLedger ledger = CommandLedger.open(dir, false, 1000)) {
            assertThat(ledger.seen(GATEWAY, "c-1")).isTrue();
            assertThat(ledger.seenCount()).isEqualTo(1);
        }
    }
}
