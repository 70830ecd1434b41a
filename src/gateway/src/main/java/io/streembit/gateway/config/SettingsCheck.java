package io.streembit.gateway.config;

import io.streembit.protocol.record.RecordLimits;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ranges of the {@code streembit.*} settings, checked in one place before anything uses them:
 * a bad setting stops the start with one line that names the key, the value and what it must be
 * ({@code streembit.ingest.max-in-flight=0: must be at least 1}). SmallRye Config has already
 * refused what does not parse (a duration of {@code 10 s}, a port of {@code x}), naming the key too;
 * this is what parses but cannot work. The API keys are checked where they are read
 * ({@code security.AuthSettings}), the key file when it is opened.
 */
public final class SettingsCheck {
    private final List<String> problems = new ArrayList<>();

    private SettingsCheck() {}

    /** Throws {@link InvalidSettings} naming every bad setting; returns when there is none. */
    public static void require(GatewayConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new InvalidSettings(problems);
        }
    }

    /** One line per bad setting, in the order of docs/configuration.md; empty when all are good. */
    public static List<String> problems(GatewayConfig config) {
        SettingsCheck check = new SettingsCheck();
        check.dht(config.dht());
        check.ingest(config.ingest());
        check.sinks(config.sinks());
        check.commands(config.commands());
        check.notBlank("streembit.routes.dir", config.routes().dir());
        check.cluster(config);
        return List.copyOf(check.problems);
    }

    private void cluster(GatewayConfig config) {
        GatewayConfig.Cluster cluster = config.cluster();
        notBlank("streembit.cluster.group-id", cluster.groupId());
        atLeast("streembit.cluster.shards", cluster.shards(), 1);
        notBlank("streembit.cluster.topic", cluster.topic());
        positive("streembit.cluster.session-timeout", cluster.sessionTimeout());
        positive("streembit.cluster.heartbeat-interval", cluster.heartbeatInterval());
        if (cluster.heartbeatInterval().compareTo(cluster.sessionTimeout()) >= 0) {
            problem(
                    "streembit.cluster.heartbeat-interval",
                    text(cluster.heartbeatInterval()),
                    "must be shorter than streembit.cluster.session-timeout (" + text(cluster.sessionTimeout())
                            + "), a third of it or less");
        }
        positive("streembit.cluster.rescan-interval", cluster.rescanInterval());
        notNegative("streembit.cluster.handover-timeout", cluster.handoverTimeout());
        boolean kafka = cluster.bootstrapServers()
                .or(() -> config.sinks().kafka().bootstrapServers())
                .filter(b -> !b.isBlank())
                .isPresent();
        if (cluster.enabled() && !kafka) {
            problem(
                    "streembit.cluster.enabled",
                    true,
                    "cluster mode needs Kafka: set streembit.cluster.bootstrap-servers or"
                            + " streembit.sinks.kafka.bootstrap-servers");
        }
    }

    private void dht(GatewayConfig.Dht dht) {
        if (dht.port() < 0 || dht.port() > 65_535) {
            problem("streembit.dht.port", dht.port(), "must be a TCP port, 0 to 65535 (0 picks a free one)");
        }
        notBlank("streembit.dht.network-id", dht.networkId());
        atLeast("streembit.dht.peer-requests-per-second", dht.peerRequestsPerSecond(), 1);
        positive("streembit.dht.join-retry", dht.joinRetry());
    }

    private void ingest(GatewayConfig.Ingest ingest) {
        atLeast("streembit.ingest.max-in-flight", ingest.maxInFlight(), 1);
        positive("streembit.ingest.poll-interval", ingest.pollInterval());
        positive("streembit.ingest.retry-initial", ingest.retryInitial());
        notShorter(
                "streembit.ingest.retry-max",
                ingest.retryMax(),
                "streembit.ingest.retry-initial",
                ingest.retryInitial());
        notNegative("streembit.ingest.ack-interval", ingest.ackInterval());
        positive("streembit.ingest.gap-alert-after", ingest.gapAlertAfter());
    }

    private void sinks(GatewayConfig.Sinks sinks) {
        GatewayConfig.Postgres postgres = sinks.postgres();
        atLeast("streembit.sinks.postgres.max-batches-per-transaction", postgres.maxBatchesPerTransaction(), 1);
        atLeast("streembit.sinks.postgres.writers", postgres.writers(), 1);
        notNegative("streembit.sinks.postgres.commit-linger", postgres.commitLinger());
        notBlank("streembit.sinks.kafka.topic", sinks.kafka().topic());
        GatewayConfig.Portal portal = sinks.portal();
        portal.url().ifPresent(url -> httpUrl("streembit.sinks.portal.url", url));
        atLeast("streembit.sinks.portal.max-retries", portal.maxRetries(), 0);
        notNegative("streembit.sinks.portal.retry-delay", portal.retryDelay());
        atLeastOneMillisecond("streembit.sinks.portal.timeout", portal.timeout());
    }

    private void commands(GatewayConfig.Commands commands) {
        Duration lifetime = Duration.ofSeconds(RecordLimits.DEFAULTS.maxTtlSeconds());
        positive("streembit.commands.default-timeout", commands.defaultTimeout());
        positive("streembit.commands.max-timeout", commands.maxTimeout());
        if (commands.maxTimeout().compareTo(lifetime) > 0) {
            problem(
                    "streembit.commands.max-timeout",
                    text(commands.maxTimeout()),
                    "must be at most " + text(lifetime) + ", the lifetime of a command record in the DHT");
        }
        if (commands.defaultTimeout().compareTo(commands.maxTimeout()) > 0) {
            problem(
                    "streembit.commands.default-timeout",
                    text(commands.defaultTimeout()),
                    "must not be longer than streembit.commands.max-timeout (" + text(commands.maxTimeout()) + ")");
        }
        atLeast("streembit.commands.max-input-bytes", commands.maxInputBytes(), 1);
        positive("streembit.commands.retry-initial", commands.retryInitial());
        notShorter(
                "streembit.commands.retry-max",
                commands.retryMax(),
                "streembit.commands.retry-initial",
                commands.retryInitial());
        positive("streembit.commands.expiry-interval", commands.expiryInterval());
        positive("streembit.commands.dispatch-retry", commands.dispatchRetry());
        atLeast("streembit.commands.callback-max-retries", commands.callbackMaxRetries(), 0);
        notNegative("streembit.commands.callback-retry-delay", commands.callbackRetryDelay());
        atLeastOneMillisecond("streembit.commands.callback-timeout", commands.callbackTimeout());
        GatewayConfig.CommandsKafka kafka = commands.kafka();
        notBlank("streembit.commands.kafka.topic", kafka.topic());
        notBlank("streembit.commands.kafka.dead-letter-topic", kafka.deadLetterTopic());
        notBlank("streembit.commands.kafka.results-topic", kafka.resultsTopic());
        notBlank("streembit.commands.kafka.group-id", kafka.groupId());
    }

    private void atLeast(String key, int value, int min) {
        if (value < min) {
            problem(key, value, "must be at least " + min);
        }
    }

    private void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problem(key, text(value), "must be longer than 0");
        }
    }

    private void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            problem(key, text(value), "must not be negative");
        }
    }

    /** The routes take these in whole milliseconds, and to an HTTP client 0 means "no timeout". */
    private void atLeastOneMillisecond(String key, Duration value) {
        if (value.toMillis() < 1) {
            problem(key, text(value), "must be at least 1ms");
        }
    }

    private void notShorter(String key, Duration value, String otherKey, Duration other) {
        if (value.compareTo(other) < 0) {
            problem(key, text(value), "must not be shorter than " + otherKey + " (" + text(other) + ")");
        }
    }

    private void notBlank(String key, String value) {
        if (value.isBlank()) {
            problem(key, "'" + value + "'", "must not be blank");
        }
    }

    private void httpUrl(String key, String url) {
        Optional<String> why;
        try {
            URI uri = new URI(url.strip());
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
            why = !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")
                    ? Optional.of("must be an http:// or https:// URL")
                    : uri.getHost() == null ? Optional.of("names no host") : Optional.empty();
        } catch (URISyntaxException e) {
            why = Optional.of("is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        why.ifPresent(w -> problem(key, url, w));
    }

    private void problem(String key, Object value, String why) {
        problems.add(key + "=" + value + ": " + why);
    }

    /** A duration as it would be written in the configuration: {@code 500ms}, {@code 30s}, {@code 24h}. */
    static String text(Duration d) {
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** A bad setting: its message is one line that names each bad key and its value. */
    public static final class InvalidSettings extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSettings(List<String> problems) {
            super((problems.size() == 1 ? "bad setting: " : "bad settings: ") + String.join("; ", problems));
        }
    }
}
