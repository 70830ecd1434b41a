package io.streembit.device.sim;

import java.util.List;

/**
 * The fleet's totals, summed over its devices.
 *
 * @param devices          devices running
 * @param readings         readings sealed into feed entries
 * @param batches          feed entries sealed (batches published)
 * @param sent             entries stored on at least one other node at their first sending
 * @param acknowledged     entries the gateway acknowledged during this run
 * @param buffered         entries waiting for an ack
 * @param commandsOk       commands executed successfully
 * @param commandsFailed   commands executed with an error (exception, timeout)
 * @param commandsRejected commands refused (expired, duplicate, invalid)
 * @param commandsIgnored  command records not answered (not a controller, unreadable, forged)
 * @param sendFailures     sendings that reached no other node (retried)
 * @param publishFailures  readings refused by the agents (buffer full)
 * @param dropped          entries dropped unacknowledged (buffer full, drop-oldest) or expired
 */
public record FleetStats(
        int devices,
        long readings,
        long batches,
        long sent,
        long acknowledged,
        long buffered,
        long commandsOk,
        long commandsFailed,
        long commandsRejected,
        long commandsIgnored,
        long sendFailures,
        long publishFailures,
        long dropped) {

    static FleetStats of(List<SimulatedDevice> fleet) {
        long readings = 0, batches = 0, sent = 0, acked = 0, buffered = 0, ok = 0, failed = 0, rejected = 0;
        long ignored = 0, sendFailures = 0, publishFailures = 0, dropped = 0;
        for (SimulatedDevice d : fleet) {
            var s = d.stats();
            readings += s.readingsPublished();
            batches += s.entriesSealed();
            sent += s.entriesSent();
            acked += d.acknowledgedThisRun();
            buffered += s.bufferedEntries();
            ok += s.commandsOk();
            failed += s.commandsFailed();
            rejected += s.commandsRejected();
            ignored += s.commandsIgnoredTotal();
            sendFailures += s.sendFailures();
            publishFailures += d.publishFailures();
            dropped += s.droppedEntries() + s.expiredEntries();
        }
        return new FleetStats(
                fleet.size(),
                readings,
                batches,
                sent,
                acked,
                buffered,
                ok,
                failed,
                rejected,
                ignored,
                sendFailures,
                publishFailures,
                dropped);
    }

    /** Commands executed, successfully or not. */
    public long commandsExecuted() {
        return commandsOk + commandsFailed;
    }
}
