package io.streembit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.dht.PutResult;
import io.streembit.dht.store.LogPage;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PublicKey;
import io.streembit.protocol.record.RecordKey;
import io.streembit.protocol.record.RecordLimits;
import io.streembit.protocol.record.RecordPayload;
import io.streembit.protocol.record.Records;
import io.streembit.protocol.record.VerifiedRecord;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code streembit dht ...}: publish and read records. Each command runs a short-lived client
 * node on 127.0.0.1 (ephemeral port, own Vert.x), joins through a seed, does its one operation
 * and leaves.
 */
@Command(name = "dht", description = "Publish records to the DHT and read them back (through a seed node).")
public final class DhtCommands {
    static final long DEFAULT_TTL_SECONDS = 3600;
    /** Entries asked for per FIND_VALUE page (the protocol's maximum; the frame budget may give fewer). */
    static final int PAGE_LIMIT = 256;
    /** Joining, a lookup and the STOREs, each with 5 s RPC timeouts: generous, but never forever. */
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

    private final Terminal terminal;
    private final KeyFiles keyFiles;

    @Spec
    CommandSpec spec;

    public DhtCommands(Terminal terminal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
    }

    @Command(
            name = "put",
            description = {
                "Sign the JSON value on standard input as a record under (the key's public key, SALT) and store it.",
                "Prints {\"key\", \"seq\", \"stored\", \"errors\"}: the record key, its seq, how many nodes stored it"
                        + " and the error codes the others answered; exit 0 when at least one node stored it, else 1.",
                "A slot's seq defaults to the current time in epoch seconds, so a later put replaces an earlier one"
                        + " (two puts within one second need --seq). A log entry (--log) needs its --seq.",
                "Passcode: STREEMBIT_PASSCODE or the terminal prompt (standard input holds the value)."
            })
    int put(
            @Option(
                            names = "--seed",
                            required = true,
                            paramLabel = "HOST:PORT",
                            description = "a node to join through (repeatable)")
                    List<String> seeds,
            @Option(names = "--key", required = true, paramLabel = "FILE", description = "publisher's key file")
                    Path key,
            @Option(
                            names = "--salt",
                            required = true,
                            paramLabel = "S",
                            description = "the record's name among the publisher's records (at most 64 UTF-8 bytes)")
                    String salt,
            @Option(
                            names = "--seq",
                            paramLabel = "N",
                            description = "slot: version (default: now, epoch seconds); log: the entry's position")
                    Long seq,
            @Option(names = "--log", description = "an entry of the append-only log under this key, not the slot value")
                    boolean log,
            @Option(
                            names = "--ttl",
                            defaultValue = "3600",
                            paramLabel = "SEC",
                            description = "lifetime in seconds (default: ${DEFAULT-VALUE}, at most 86400)")
                    long ttl,
            @Option(names = "--network", paramLabel = "ID", description = "network id (default: streembit)")
                    String network,
            @Option(
                            names = "--node-key",
                            paramLabel = "FILE",
                            description = "private network: join as this key (on the allow-list); may be --key itself")
                    Path nodeKey)
            throws Exception {
        CommandLine command = spec.subcommands().get("put");
        if (log && seq == null) {
            throw new ParameterException(command, "--log needs --seq: a log entry's seq is its position");
        }
        if (seq != null && seq < 0) {
            throw new ParameterException(command, "--seq must be 0 or more");
        }
        long maxTtl = RecordLimits.DEFAULTS.maxTtlSeconds();
        if (ttl < 1 || ttl > maxTtl) {
            throw new ParameterException(command, "--ttl must be from 1 to " + maxTtl + " seconds");
        }
        RecordKey.saltBytes(salt);
        List<HostPort> seedAddresses = DhtRuntime.seeds(seeds);
        JsonNode value = Json.parse(Stdin.readJson(terminal, "value"), "value");

        Identity publisher = keyFiles.open(key, true);
        Identity joinAs = null;
        try {
            long now = System.currentTimeMillis() / 1000;
            long recordSeq = seq != null ? seq : now;
            String token = Records.sign(publisher, salt, recordSeq, now, now + ttl, log, value);
            joinAs = nodeKey == null ? null : sameFile(nodeKey, key) ? publisher : keyFiles.open(nodeKey, true);
            PutResult result = withClient(
                    seedAddresses,
                    network,
                    joinAs,
                    node -> DhtRuntime.await(node.put(token), OPERATION_TIMEOUT, "storing the record"));
            // The client node may have kept a copy itself (it is among the closest in a small
            // network); that copy leaves with it, so only the other nodes count.
            int failed = result.errors().values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            int stored = Math.max(0, result.nodes().size() - failed);
            ObjectNode out = Json.object();
            out.put("key", RecordKey.of(publisher.publicKey(), salt).hex());
            out.put("seq", recordSeq);
            out.put("stored", stored);
            ObjectNode errors = out.putObject("errors");
            result.errors().forEach(errors::put);
            terminal.out().println(Json.text(out));
            if (stored > 0) {
                return StreembitCli.EXIT_OK;
            }
            terminal.err()
                    .println("streembit: "
                            + noneStored(result.errors(), result.nodes().size()));
            return StreembitCli.EXIT_FAILED;
        } finally {
            publisher.privateKey().destroy();
            if (joinAs != null && joinAs != publisher) {
                joinAs.privateKey().destroy();
            }
        }
    }

    @Command(
            name = "get",
            description = {
                "Find the record (pub HEX, salt S), verify it and print it as JSON.",
                "Prints {\"key\", \"seq\", \"pub\", \"salt\", \"iat\", \"exp\", \"log\", \"val\"}; for a log, its latest"
                        + " entry, or with --from a JSON array of the entries from SEQ on. Exit 1 with 'not found' when"
                        + " there is no such record."
            })
    int get(
            @Option(
                            names = "--seed",
                            required = true,
                            paramLabel = "HOST:PORT",
                            description = "a node to join through (repeatable)")
                    List<String> seeds,
            @Option(
                            names = "--pub",
                            required = true,
                            paramLabel = "HEX",
                            description = "publisher's public key (compressed hex)")
                    String pub,
            @Option(names = "--salt", required = true, paramLabel = "S", description = "the record's salt") String salt,
            @Option(
                            names = "--from",
                            paramLabel = "SEQ",
                            description = "log: print the entries from SEQ on, as an array")
                    Long from,
            @Option(names = "--network", paramLabel = "ID", description = "network id (default: streembit)")
                    String network,
            @Option(
                            names = "--node-key",
                            paramLabel = "FILE",
                            description = "private network: join as this key (on the allow-list)")
                    Path nodeKey)
            throws Exception {
        if (from != null && from < 0) {
            throw new ParameterException(spec.subcommands().get("get"), "--from must be 0 or more");
        }
        PublicKey publisher = PublicKey.fromHex(pub);
        RecordKey.saltBytes(salt);
        NodeId key = RecordKey.of(publisher, salt);
        List<HostPort> seedAddresses = DhtRuntime.seeds(seeds);
        Identity joinAs = nodeKey == null ? null : keyFiles.open(nodeKey, false);
        try {
            String printed = withClient(
                    seedAddresses,
                    network,
                    joinAs,
                    node -> from == null ? latest(node, key) : entries(node, key, from));
            terminal.out().println(printed);
            return StreembitCli.EXIT_OK;
        } finally {
            if (joinAs != null) {
                joinAs.privateKey().destroy();
            }
        }
    }

    private static String latest(DhtNode node, NodeId key) throws ProtocolException, CliException {
        Optional<VerifiedRecord> found = DhtRuntime.await(node.get(key), OPERATION_TIMEOUT, "looking up the record");
        return Json.text(json(found.orElseThrow(() -> notFound(key))));
    }

    /** Every entry from {@code from} on, page by page, each page asked from where the last ended. */
    private static String entries(DhtNode node, NodeId key, long from) throws ProtocolException, CliException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        long next = from;
        while (true) {
            LogPage page = DhtRuntime.await(node.getLog(key, next, PAGE_LIMIT), OPERATION_TIMEOUT, "reading the log");
            if (page.entries().isEmpty()) {
                break;
            }
            page.entries().forEach(r -> out.add(json(r)));
            long last = page.entries().get(page.entries().size() - 1).seq();
            if (last >= page.head() || last == Long.MAX_VALUE) {
                break;
            }
            next = last + 1;
        }
        if (out.isEmpty()) {
            // Nothing from `from` on: either the log has not reached it yet (an empty array, so a
            // reader polling for new entries is not told "not found"), or there is no log at all.
            Optional<VerifiedRecord> head = DhtRuntime.await(node.get(key), OPERATION_TIMEOUT, "looking up the record");
            if (head.isEmpty()) {
                throw notFound(key);
            }
            if (!head.get().isLog()) {
                throw new CliException(
                        "the record under key " + key.hex() + " is a slot value, not a log: leave out --from");
            }
        }
        return Json.text(out);
    }

    /** {"key","seq","pub","salt","iat","exp","log","val"}: the verified payload, with its key and seq first. */
    static ObjectNode json(VerifiedRecord record) {
        RecordPayload payload = record.payload();
        ObjectNode out = Json.object();
        out.put("key", record.key().hex());
        out.put("seq", payload.seq());
        out.put("pub", payload.pub().hex());
        out.put("salt", payload.salt());
        out.put("iat", payload.iat());
        out.put("exp", payload.exp());
        out.put("log", payload.log());
        out.set("val", payload.val());
        return out;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static CliException notFound(NodeId key) {
        return new CliException("not found: no record under key " + key.hex());
    }

    private static String noneStored(Map<String, Integer> errors, int asked) {
        if (asked == 0) {
            return "no node to store the record on: the network has no other node";
        }
        String tally = errors.entrySet().stream()
                .map(e -> e.getKey() + " from " + e.getValue())
                .collect(Collectors.joining(", "));
        // One reason shared by every node leads the line, as protocol error codes do elsewhere.
        String lead = errors.size() == 1 ? errors.keySet().iterator().next() + ": " : "";
        return lead + "no node stored the record (" + tally + ")";
    }

    @FunctionalInterface
    private interface ClientWork<T> {
        T run(DhtNode node) throws Exception;
    }

    /**
     * Runs {@code work} on a client node that listens on an ephemeral port of 127.0.0.1 and has
     * joined through {@code seeds}; the node and its Vert.x are closed afterwards, whatever happens.
     */
    private <T> T withClient(List<HostPort> seeds, String network, Identity joinAs, ClientWork<T> work)
            throws Exception {
        DhtOptions options = DhtOptions.defaults().withHost("127.0.0.1").withPort(0);
        if (network != null) {
            if (network.isEmpty()) {
                throw new CliException("--network must not be empty");
            }
            options = options.withNetworkId(network);
        }
        Identity identity = joinAs != null ? joinAs : Identity.generate(terminal.random());
        Vertx vertx = DhtRuntime.vertx();
        try {
            DhtNode node = DhtRuntime.await(
                    DhtNode.start(vertx, identity, options), OPERATION_TIMEOUT, "starting the client node");
            try {
                try {
                    DhtRuntime.await(node.bootstrap(seeds), OPERATION_TIMEOUT, "joining the network");
                } catch (ProtocolException e) {
                    throw new CliException("cannot join the network: no seed answered (" + DhtRuntime.joined(seeds)
                            + "); is it running, on network '" + options.networkId()
                            + "', and does it admit this client?");
                }
                return work.run(node);
            } finally {
                try {
                    DhtRuntime.await(node.stop(), Duration.ofSeconds(10), "stopping the client node");
                } catch (CliException | ProtocolException e) {
                    // Leaving anyway; the result (or the failure being reported) is what matters.
                }
            }
        } finally {
            DhtRuntime.close(vertx, Duration.ofSeconds(10));
            if (joinAs == null) {
                identity.privateKey().destroy();
            }
        }
    }
}
