package io.streembit.gateway.commands;

import io.streembit.gateway.ingest.VerifiedBatch;
import io.streembit.gateway.store.CommitStep;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.feed.CommandResult;
import io.streembit.protocol.feed.Reading;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Closes commands with the {@code $command-result} readings of committed batches, in the same
 * transaction as the readings and the cursor: a result is applied exactly once, when the feed
 * entry that carries it is committed, and never lost to a crash in between. Once committed the
 * dispatcher is woken to send the results on.
 */
public final class CommandResults implements CommitStep {
    private static final Logger LOG = Logger.getLogger(CommandResults.class);

    private final CommandStore store;
    private final Consumer<List<String>> closed;

    public CommandResults(CommandStore store, Consumer<List<String>> closed) {
        this.store = store;
        this.closed = closed;
    }

    @Override
    public Runnable apply(Connection c, List<VerifiedBatch> batches) throws SQLException {
        List<CommandStore.Result> results = null;
        for (VerifiedBatch batch : batches) {
            List<Reading> readings = batch.readings();
            for (int i = 0; i < readings.size(); i++) {
                Reading reading = readings.get(i);
                if (!CommandResult.READING_NAME.equals(reading.name())) {
                    continue;
                }
                if (results == null) {
                    results = new ArrayList<>();
                }
                try {
                    results.add(toResult(batch, CommandResult.fromReading(reading)));
                } catch (ProtocolException e) {
                    // the TD check let it through, so this is a bug, not a hostile device: keep the reading, say so
                    LOG.warnf("unreadable command result in %s reading %d: %s", batch, i, e.getMessage());
                }
            }
        }
        if (results == null) {
            return () -> {};
        }
        List<String> ids = store.applyResults(c, results);
        return ids.isEmpty() ? () -> {} : () -> closed.accept(ids);
    }

    private static CommandStore.Result toResult(VerifiedBatch batch, CommandResult result) {
        CommandStatus status = switch (result.status()) {
            case OK -> CommandStatus.SUCCEEDED;
            case ERROR -> CommandStatus.FAILED;
            case REJECTED -> CommandStatus.REJECTED;
        };
        return new CommandStore.Result(
                result.id(),
                batch.deviceId(),
                status,
                result.output(),
                result.error(),
                batch.seq(),
                batch.tokenHash(),
                batch.receivedAt());
    }
}
