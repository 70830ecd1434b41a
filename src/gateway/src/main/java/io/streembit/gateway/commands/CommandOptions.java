package io.streembit.gateway.commands;

import java.time.Duration;

/**
 * How commands are handled (configuration {@code streembit.commands.*}, docs/configuration.md).
 *
 * @param defaultTimeout  a command's timeout when the request names none
 * @param maxTimeout      the longest timeout accepted (at most the DHT's record lifetime)
 * @param maxInputBytes   the largest input accepted, as JSON
 * @param retryInitial    first wait before publishing again after the DHT refused or was unreachable
 * @param retryMax        longest wait between publishing attempts
 * @param expiryInterval  how often open commands are checked against their timeout
 * @param dispatchRetry   wait before a result whose dispatch route failed is tried again
 */
public record CommandOptions(
        Duration defaultTimeout,
        Duration maxTimeout,
        int maxInputBytes,
        Duration retryInitial,
        Duration retryMax,
        Duration expiryInterval,
        Duration dispatchRetry) {
    public CommandOptions {
        if (defaultTimeout.compareTo(maxTimeout) > 0 || defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "0 < default-timeout <= max-timeout, got " + defaultTimeout + " and " + maxTimeout);
        }
    }
}
