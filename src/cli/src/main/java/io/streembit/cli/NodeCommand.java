package io.streembit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.DhtNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.HostPort;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code streembit node}: runs one DHT node (a seed, or any long-lived member) on its own
 * Vert.x until the process is told to stop. SIGTERM and SIGINT stop the node, close Vert.x and
 * exit 0; a shutdown hook does the same for any other way out (SIGHUP, System.exit).
 */
@Command(
        name = "node",
        description = {
            "Run a DHT node until stopped (SIGTERM or Ctrl-C: the node stops cleanly, exit 0).",
            "Once listening (and, with --seed, joined) it prints one JSON line: {\"node_id\", \"public_key\", \"host\","
                    + " \"port\"}.",
            "Without --key the node has a new identity each run (a warning says so); a seed whose address others keep,"
                    + " or a node with --data, should have a --key. Passcode for --key: STREEMBIT_PASSCODE, the prompt,"
                    + " or one line of standard input."
        })
public final class NodeCommand implements Callable<Integer> {
    /** How the process asks the node to stop; tests call the registered action themselves. */
    @FunctionalInterface
    interface StopSignal {
        void onStop(Runnable stop);
    }

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(8);
    static final long REJOIN_MILLIS = 10_000;
    /** An allow-list larger than this is not a list of keys someone maintains by hand. */
    static final long MAX_ALLOW_FILE_BYTES = 4 * 1024 * 1024;

    private final Terminal terminal;
    private final KeyFiles keyFiles;
    private final StopSignal stopSignal;

    @Option(
            names = "--port",
            required = true,
            paramLabel = "P",
            description = "TCP port to listen on; 0 picks a free one (printed)")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            paramLabel = "H",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--advertise",
            paramLabel = "H",
            description =
                    "address other nodes reach this one at (default: --host; required when --host is 0.0.0.0 or ::)")
    String advertise;

    @Option(names = "--seed", paramLabel = "HOST:PORT", description = "a node to join the network through (repeatable)")
    List<String> seeds = new ArrayList<>();

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "keep records on disk in DIR (created if missing); default: memory only")
    Path data;

    @Option(
            names = "--network",
            paramLabel = "ID",
            description = "network id; nodes of other networks are refused (default: ${DEFAULT-VALUE})")
    String network = DhtOptions.defaults().networkId();

    @Option(
            names = "--allow",
            paramLabel = "FILE",
            description =
                    "private network: only the public keys in FILE (hex, one per line, # comments) may connect and store")
    Path allow;

    @Option(names = "--key", paramLabel = "FILE", description = "key file giving the node a stable identity (node id)")
    Path key;

    public NodeCommand(Terminal terminal) {
        this(terminal, NodeCommand::onProcessSignals);
    }

    NodeCommand(Terminal terminal, StopSignal stopSignal) {
        this.terminal = terminal;
        this.keyFiles = new KeyFiles(terminal);
        this.stopSignal = stopSignal;
    }

    @Override
    public Integer call() throws Exception {
        DhtOptions options = options();
        List<HostPort> seedAddresses = DhtRuntime.seeds(seeds);
        if (data != null) {
            Files.createDirectories(data);
        }
        Identity identity = identity();
        try (StopRequest stop = new StopRequest(stopSignal, "streembit-node-shutdown", STOP_TIMEOUT)) {
            return run(identity, options, seedAddresses, stop);
        }
    }

    private int run(Identity identity, DhtOptions options, List<HostPort> seedAddresses, StopRequest stop)
            throws Exception {
        Vertx vertx = DhtRuntime.vertx();
        try {
            if (options.privateNetwork() && !options.allowList().contains(identity.publicKey())) {
                warn("this node's key is not on the --allow list: nodes using the same list will refuse it");
            }
            DhtNode node = DhtRuntime.await(
                    DhtNode.start(vertx, identity, options), START_TIMEOUT, "cannot listen on " + host + ":" + port);
            join(vertx, node, seedAddresses);
            stop.await();
            try {
                DhtRuntime.await(node.stop(), STOP_TIMEOUT, "stopping the node");
            } catch (CliException | ProtocolException e) {
                warn(e.getMessage());
            }
            return StreembitCli.EXIT_OK;
        } finally {
            DhtRuntime.close(vertx, STOP_TIMEOUT);
            identity.privateKey().destroy();
        }
    }

    /**
     * Bootstraps through the seeds without blocking the main thread (a stop request must be
     * honoured at once), then announces the node. A node whose seeds are all down still
     * serves; it says so and tries again every {@value #REJOIN_MILLIS} ms until it knows a peer.
     */
    private void join(Vertx vertx, DhtNode node, List<HostPort> seedAddresses) {
        if (seedAddresses.isEmpty()) {
            announce(node);
            return;
        }
        node.bootstrap(seedAddresses).onComplete(ar -> {
            if (ar.failed() || node.knownPeers() == 0) {
                warn("no seed answered (" + DhtRuntime.joined(seedAddresses) + "); serving anyway, retrying every "
                        + REJOIN_MILLIS / 1000 + " s");
                vertx.setPeriodic(REJOIN_MILLIS, timer -> {
                    if (node.knownPeers() > 0) {
                        vertx.cancelTimer(timer);
                    } else {
                        node.bootstrap(seedAddresses);
                    }
                });
            }
            announce(node);
        });
    }

    private void announce(DhtNode node) {
        ObjectNode line = Json.object();
        line.put("node_id", node.id().hex());
        line.put("public_key", node.identity().publicKey().hex());
        line.put("host", node.contact().host());
        line.put("port", node.port());
        terminal.out().println(Json.text(line));
        terminal.out().flush();
    }

    /** The node's options from the command line, checked (DeploymentArgsTest checks k8s/ with it). */
    DhtOptions options() throws IOException, CliException {
        if (port < 0 || port > 65535) {
            throw new CliException("--port must be from 0 to 65535");
        }
        if (network == null || network.isEmpty()) {
            throw new CliException("--network must not be empty");
        }
        boolean wildcard = "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
        if (wildcard && advertise == null) {
            throw new CliException("--host " + host + " listens on every address; say which one other nodes reach"
                    + " this node at with --advertise HOST");
        }
        DhtOptions options = DhtOptions.defaults().withHost(host).withPort(port).withNetworkId(network);
        if (allow != null) {
            options = options.withAllowList(readAllowList(allow));
        }
        if (data != null) {
            options = options.withDataDir(data);
        }
        return advertise == null ? options : options.withAdvertisedHost(advertise);
    }

    private Identity identity() throws Exception {
        if (key != null) {
            return keyFiles.open(key, false);
        }
        warn("no --key: this node has a new identity (node id) each run"
                + (data != null
                        ? "; the records in " + data + " are kept, but the node's place in the network moves"
                        : ""));
        return Identity.generate(terminal.random());
    }

    /** One compressed public key in hex per line; blank lines and {@code #} comments ignored. */
    static Set<PublicKey> readAllowList(Path file) throws IOException, CliException {
        if (Files.size(file) > MAX_ALLOW_FILE_BYTES) {
            throw new CliException(file + " is too large for an allow-list");
        }
        Set<PublicKey> keys = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                continue;
            }
            try {
                keys.add(PublicKey.fromHex(text));
            } catch (ProtocolException e) {
                throw new CliException(
                        file + " line " + (i + 1) + " is not a compressed public key in hex: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new CliException(file + " lists no public key; a private network needs at least one"
                    + " (leave out --allow for a public network)");
        }
        return keys;
    }

    private void warn(String message) {
        terminal.err().println("streembit: warning: " + message);
        terminal.err().flush();
    }

    /**
     * SIGTERM and SIGINT request the stop; the node then closes cleanly and the command returns
     * 0. (With only a shutdown hook the JVM would exit 143 after SIGTERM, which service
     * managers count as a failure.) If a handler cannot be installed, e.g. under -Xrs, the
     * shutdown hook still stops the node.
     */
    @SuppressWarnings("removal")
    static void onProcessSignals(Runnable stop) {
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException e) {
                // Signal reserved by the VM: the shutdown hook covers it.
            }
        }
    }
}
