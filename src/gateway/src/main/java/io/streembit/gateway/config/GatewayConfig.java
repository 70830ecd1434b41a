package io.streembit.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code streembit.*} setting of the gateway, with its default (docs/configuration.md lists
 * them with their environment-variable names). The Quarkus layer maps these onto the plain
 * option records of the dht module and of the ingest package.
 */
@ConfigMapping(prefix = "streembit")
public interface GatewayConfig {
    Key key();

    Dht dht();

    Ingest ingest();

    Sinks sinks();

    Routes routes();

    Commands commands();

    Cluster cluster();

    /**
     * Several replicas sharing the devices by shard (docs/gateway.md, "Scaling out"). Off: one
     * replica serves every device, as always, and needs no Kafka.
     */
    interface Cluster {
        /** Cluster mode: ownership of shards from Kafka's consumer group, writes fenced in PostgreSQL. */
        @WithDefault("false")
        boolean enabled();

        /** The cluster's name: its Kafka consumer group, recorded in PostgreSQL (another group on the same database is refused). */
        @WithDefault("streembit-gateway-cluster")
        String groupId();

        /** S, the number of shards; fixed when the cluster is first created (a replica with another S refuses to start). */
        @WithDefault("64")
        int shards();

        /** The internal topic whose S partitions are the shards (created if missing; it carries no data). */
        @WithDefault("streembit.cluster")
        String topic();

        /** Kafka of the group; default: streembit.sinks.kafka.bootstrap-servers. */
        Optional<String> bootstrapServers();

        /** This replica's name in shard_owners and GET /api/cluster; default: host name and process id. */
        Optional<String> memberId();

        /** How long the group waits for a silent replica before moving its shards (the broker allows 6 s and more by default). */
        @WithDefault("6s")
        Duration sessionTimeout();

        /** How often a replica tells the group it lives; at most a third of the session timeout. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** How often an owner looks for devices registered or revoked, and commands queued, through other replicas. */
        @WithDefault("2s")
        Duration rescanInterval();

        /** Longest wait, when a shard is revoked, for its in-flight batches before it is handed over anyway (the fence covers the rest). */
        @WithDefault("10s")
        Duration handoverTimeout();
    }

    interface Commands {
        /** Timeout of a command whose request names none. */
        @WithDefault("300s")
        Duration defaultTimeout();

        /** Longest timeout a request may ask for (a command record lives at most 24 h in the DHT). */
        @WithDefault("24h")
        Duration maxTimeout();

        /** Largest command input accepted, in bytes of JSON. */
        @WithDefault("8192")
        int maxInputBytes();

        /** First wait before storing a command in the DHT again after a failed attempt; doubles each time. */
        @WithDefault("500ms")
        Duration retryInitial();

        /** Longest wait between two attempts to store a command. */
        @WithDefault("30s")
        Duration retryMax();

        /** How often open commands are checked against their timeout. */
        @WithDefault("1s")
        Duration expiryInterval();

        /** Wait before a result whose dispatch route failed (callback dead letter write, results topic) is sent again. */
        @WithDefault("5s")
        Duration dispatchRetry();

        CommandsKafka kafka();

        /** Callback POSTs: retries after the first try before the result goes to the dead letters. */
        @WithDefault("5")
        int callbackMaxRetries();

        /**
         * First callback retry delay; doubles each retry, at most 30 s. Route-only: the routes read
         * it in milliseconds as {@code streembit.commands.callback-retry-delay-ms} ({@link RouteProperties}).
         */
        @WithDefault("500ms")
        Duration callbackRetryDelay();

        /**
         * Connect and response timeout of one callback POST. Route-only: the routes read it in
         * milliseconds as {@code streembit.commands.callback-timeout-ms} ({@link RouteProperties}).
         */
        @WithDefault("10s")
        Duration callbackTimeout();
    }

    /** The Kafka side of commands: on when streembit.sinks.kafka.bootstrap-servers is set. */
    interface CommandsKafka {
        /** Topic of command requests (JSON like the REST body, plus deviceId). */
        @WithDefault("streembit.commands")
        String topic();

        /** Where refused command records go, with the reason in headers. */
        @WithDefault("streembit.commands.dead-letters")
        String deadLetterTopic();

        /** Where every finished command's result is published. */
        @WithDefault("streembit.command-results")
        String resultsTopic();

        /** Consumer group of the commands intake. */
        @WithDefault("streembit-gateway")
        String groupId();
    }

    Auth auth();

    /**
     * Who may call the REST API. API keys come from {@code api-keys.<name>.*} and from
     * {@code api-keys-file}; JWT bearer tokens are verified by SmallRye JWT with the standard
     * {@code mp.jwt.verify.*} keys (not part of this mapping).
     */
    interface Auth {
        /** Off: every request is an anonymous caller with the admin role (a laptop trial only; logged as a WARN). */
        @WithDefault("true")
        boolean enabled();

        /** API keys by name (the caller is {@code api-key:<name>}). */
        Map<String, ApiKey> apiKeys();

        /** A JSON file of more API keys (a Kubernetes Secret mount): an array of {name, sha256 or key, roles, devices, labels}. */
        Optional<Path> apiKeysFile();
    }

    interface ApiKey {
        /** Hex SHA-256 of the key (preferred: the configuration never holds the key itself). */
        Optional<String> sha256();

        /** The key itself (tests, development); exactly one of {@code sha256} and {@code key}. */
        Optional<String> key();

        /** {@code read}, {@code command}, {@code admin} (admin implies the others). */
        List<String> roles();

        /** Device ids this key may command; with {@code labels} empty too, every device. */
        Optional<List<String>> devices();

        /** Labels (key=value) of the devices this key may command, any one matching. */
        Map<String, String> labels();
    }

    interface Routes {
        /** Directory of the YAML route files loaded at start (camel.main.routes-include-pattern uses it). */
        @WithDefault("camel-routes")
        String dir();
    }

    interface Key {
        /**
         * The gateway key file (`streembit key new`); created on first start when {@code generate} is on.
         * Every replica shares it; the DHT node's own key is {@code streembit.dht.node-key-file}.
         */
        Path file();

        /** Its passcode (from a Secret / env STREEMBIT_KEY_PASSCODE; never logged). */
        String passcode();

        /** Create the key file when it does not exist (first run, tests); off in production. */
        @WithDefault("false")
        boolean generate();
    }

    interface Dht {
        @WithDefault("127.0.0.1")
        String host();

        /** TCP port of the gateway's DHT node; 0 picks a free one. */
        @WithDefault("4100")
        int port();

        /** Host put in the gateway's contact and offer (default: {@code host}). */
        Optional<String> advertisedHost();

        /** Seed nodes, HOST:PORT. Empty: the gateway is the first node of its network. */
        Optional<List<String>> seeds();

        @WithDefault("streembit")
        String networkId();

        /** A private network's admitted public keys (hex); empty means a public network. */
        Optional<List<String>> allowList();

        /** Durable record store of the gateway's node; empty keeps records in memory. */
        Optional<Path> dataDir();

        /**
         * This replica's DHT node key (its node id), created at first start, sealed with
         * {@code streembit.key.passcode}. Unset: a single replica's node uses the gateway key, as
         * it always has; in a cluster, where two nodes must never share a node id, each replica
         * uses {@code <data-dir>/node.key}, or without a data dir a fresh key each start.
         */
        Optional<Path> nodeKeyFile();

        /**
         * Check the signatures of incoming pages of records on worker threads, not the DHT node's
         * one event loop: a gateway takes thousands a second and has more cores than one. A single
         * record (a NOTIFY) is checked on the event loop either way: the hop cost more than the check.
         */
        @WithDefault("true")
        boolean verifyOnWorkers();

        /**
         * Requests per second a single peer may send the gateway's node before it is banned for a
         * minute (burst: twice that). A gateway hears from every storing node of every feed it
         * follows: each such node sends a NOTIFY per entry, and on a restart it hands over what it
         * holds in one burst, so the DHT's default of 500 would ban honest neighbours.
         */
        @WithDefault("5000")
        int peerRequestsPerSecond();

        /**
         * Take other nodes' records (a DHT member's share of everyone's data). Off by default: the
         * gateway's node keeps only its own records (acks, command logs) and refuses STOREs, so no
         * publisher can fill the gateway's heap and the gateway never holds data of devices it does
         * not serve; the seeds hold the network's data. On, it also counts feed records of devices
         * it does not serve ({@code streembit_ingest_rejected_total{reason="unregistered"}}).
         */
        @WithDefault("false")
        boolean storeForOthers();

        /**
         * Wait between two tries of the seeds while the node has not joined. Tries go on until a
         * seed answers, however long that takes; until then readiness is DOWN ({@code joined: false}).
         */
        @WithDefault("5s")
        Duration joinRetry();
    }

    interface Ingest {
        /** Batches in flight across all devices; when full, followers stop fetching. */
        @WithDefault("512")
        int maxInFlight();

        /** Fallback poll of each feed, for notifications that were lost. */
        @WithDefault("5s")
        Duration pollInterval();

        /** First retry delay after a sink failed a batch; doubles up to {@code retryMax}. */
        @WithDefault("500ms")
        Duration retryInitial();

        @WithDefault("30s")
        Duration retryMax();

        /**
         * At most one ack record per device this often (each is a signed put on 8 nodes). Devices
         * re-send unacknowledged entries after their republish interval (30 s by default), so a
         * few seconds cost nothing but a little device buffer.
         */
        @WithDefault("5s")
        Duration ackInterval();

        /** A missing entry that stays missing this long (later ones present) is reported as a gap. */
        @WithDefault("30s")
        Duration gapAlertAfter();
    }

    interface Sinks {
        Postgres postgres();

        Kafka kafka();

        Portal portal();
    }

    interface Postgres {
        /** Batches committed together in one transaction at most (group commit). */
        @WithDefault("256")
        int maxBatchesPerTransaction();

        /**
         * Group-commit transactions in flight at once, each on its own connection: while one is
         * in PostgreSQL the next group is gathered and sent. One by default: with PostgreSQL on the
         * gateway's own two cores a second one did not help (bin/bench-gateway).
         */
        @WithDefault("1")
        int writers();

        /**
         * Longest wait for more batches before a group is committed, while more are likely (more in
         * flight than the group holds, or several devices publishing): a transaction costs PostgreSQL
         * about as much as three to four batches' readings, so at moderate rates a short wait saves
         * most of its commits. One device catching up alone is never held. 0 never waits.
         */
        @WithDefault("5ms")
        Duration commitLinger();
    }

    interface Kafka {
        /** Bootstrap servers; the Kafka route is on only when this is set. */
        Optional<String> bootstrapServers();

        @WithDefault("streembit.telemetry")
        String topic();
    }

    interface Portal {
        /** URL the portal route POSTs each batch to; the route is on only when this is set. */
        Optional<String> url();

        /** Retries after the first try, before the message goes to the dead letters. */
        @WithDefault("5")
        int maxRetries();

        /**
         * First retry delay; doubles each retry, at most 30 s. Route-only: the routes read it in
         * milliseconds as {@code streembit.sinks.portal.retry-delay-ms} ({@link RouteProperties}).
         */
        @WithDefault("500ms")
        Duration retryDelay();

        /**
         * Connect and response timeout of one POST. Route-only: the routes read it in milliseconds
         * as {@code streembit.sinks.portal.timeout-ms} ({@link RouteProperties}).
         */
        @WithDefault("10s")
        Duration timeout();
    }
}
