package io.streembit.gateway.ingest;

import java.time.Duration;

/**
 * How followers behave (the gateway maps {@code streembit.ingest.*} onto it).
 *
 * @param pollInterval   fallback poll of each feed, for lost notifications
 * @param retryInitial   first delay after a sink failed a batch; doubles up to {@code retryMax}
 * @param retryMax       longest delay between two tries of one batch
 * @param ackInterval    at most one ack record per device this often
 * @param gapAlertAfter  a missing entry (later ones present) is reported after this long
 */
public record IngestOptions(
        Duration pollInterval,
        Duration retryInitial,
        Duration retryMax,
        Duration ackInterval,
        Duration gapAlertAfter) {}
