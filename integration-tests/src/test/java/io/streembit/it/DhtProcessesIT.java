package io.streembit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small Streembit network of separate OS processes, run as an operator runs it: five
 * `streembit node` JVMs (the first is the seed, with a key and a data directory), and one
 * `streembit dht put` / `dht get` JVM per operation, through different nodes. Then two nodes,
 * the seed among them, are killed with SIGKILL and every record must still be found; the seed
 * comes back with the same node id; the rest stop on SIGTERM with exit 0.
 */
class DhtProcessesIT {
    static final Path JAR = Path.of(System.getProperty("streembit.cli.jar", "../src/cli/target/streembit-cli.jar"))
            .toAbsolutePath()
            .normalize();
    static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Small, quick JVMs: five nodes and a client share a 2-core machine with the build. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m");

    static final String PASSCODE = "Blue-Kettle-2049";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path dir;
    static final List<Process> PROCESSES = new ArrayList<>();

    /** A running `streembit node`: its process and what it printed when it started. */
    record Node(Process process, JsonNode started, Path stderr) {
        String seed() {
            return "127.0.0.1:" + started.get("port").asInt();
        }
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            assertThat(exit).as(toString()).isZero();
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        assertThat(JAR).as("the shaded jar (built by src/cli's package phase)").isRegularFile();
        dir = Files.createTempDirectory("streembit-it-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        for (Process p : PROCESSES) {
            p.destroyForcibly();
        }
        for (Process p : PROCESSES) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void fiveNodeProcessesServeEveryRecordAndSurviveLosingTheSeed() throws Exception {
        long t0 = System.nanoTime();
        List<JsonNode> keys = parallel(List.of(() -> newKey("seed.key"), () -> newKey("publisher.key")));
        Path seedKey = dir.resolve("seed.key");
        Path publisherKey = dir.resolve("publisher.key");
        String pub = keys.get(1).get("public_key").asText();

        // The network: a seed with a stable identity and durable records, four nodes joining through it.
        Path seedData = dir.resolve("seed-data");
        Node seed = startNode("seed", "--key", seedKey.toString(), "--data", seedData.toString());
        List<Callable<Node>> joining = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String name = "node" + i;
            joining.add(() -> startNode(name, "--seed", seed.seed()));
        }
        List<Node> nodes = new ArrayList<>(List.of(seed));
        nodes.addAll(parallel(joining));
        long started = System.nanoTime();
        System.out.printf("5 node processes up in %d ms (2 key files made first)%n", (started - t0) / 1_000_000);

        // Two slots and a log of three entries, each put through another node (concurrently,
        // as independent publishers would), then each read back through yet another node.
        int slots = 2;
        List<Callable<Run>> puts = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int n = i;
            puts.add(() -> run(
                    env(),
                    "{\"reading\":" + n + "}",
                    "dht",
                    "put",
                    "--seed",
                    nodes.get(n).seed(),
                    "--key",
                    publisherKey.toString(),
                    "--salt",
                    "slot/" + n,
                    "--seq",
                    "7"));
        }
        for (int seq = 1; seq <= 3; seq++) {
            int n = seq;
            puts.add(() -> run(
                    env(),
                    "{\"n\":" + n + "}",
                    "dht",
                    "put",
                    "--seed",
                    nodes.get(n + 1).seed(),
                    "--key",
                    publisherKey.toString(),
                    "--salt",
                    "feed",
                    "--log",
                    "--seq",
                    String.valueOf(n)));
        }
        for (Run put : parallel(puts)) {
            assertThat(put.json().get("stored").asInt()).as(put.toString()).isPositive();
        }
        List<Callable<Run>> gets = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int n = i;
            gets.add(() -> run(
                    Map.of(),
                    "",
                    "dht",
                    "get",
                    "--seed",
                    nodes.get(n + 2).seed(),
                    "--pub",
                    pub,
                    "--salt",
                    "slot/" + n));
        }
        gets.add(() -> run(Map.of(), "", "dht", "get", "--seed", nodes.get(0).seed(), "--pub", pub, "--salt", "feed"));
        gets.add(() -> run(
                Map.of(),
                "",
                "dht",
                "get",
                "--seed",
                nodes.get(1).seed(),
                "--pub",
                pub,
                "--salt",
                "feed",
                "--from",
                "2"));
        List<Run> got = parallel(gets);
        for (int i = 0; i < slots; i++) {
            assertThat(got.get(i).json().get("seq").asLong()).isEqualTo(7);
            assertThat(got.get(i).json().get("val").get("reading").asInt()).isEqualTo(i);
        }
        assertThat(got.get(slots).json().get("seq").asLong())
                .as("the log's latest entry")
                .isEqualTo(3);
        assertThat(got.get(slots + 1).json().findValuesAsText("seq")).containsExactly("2", "3");
        long operated = System.nanoTime();
        System.out.printf(
                "%d put/get processes, 100%% success, in %d ms%n",
                puts.size() + gets.size(), (operated - started) / 1_000_000);

        // SIGKILL the seed and one more node: everything is still found through the survivors.
        seed.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        nodes.get(2).process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        List<Node> survivors = List.of(nodes.get(1), nodes.get(3), nodes.get(4));
        List<Callable<Run>> after = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            int n = i;
            after.add(() -> run(
                    Map.of(),
                    "",
                    "dht",
                    "get",
                    "--seed",
                    survivors.get(n).seed(),
                    "--pub",
                    pub,
                    "--salt",
                    "slot/" + n));
        }
        after.add(() -> run(
                Map.of(),
                "",
                "dht",
                "get",
                "--seed",
                survivors.get(0).seed(),
                "--pub",
                pub,
                "--salt",
                "feed",
                "--from",
                "1"));
        // Meanwhile the seed comes back with its key and data: same node id, joining through a survivor.
        CompletableFuture<Node> back = CompletableFuture.supplyAsync(() -> {
            try {
                return startNode(
                        "seed-again",
                        "--key",
                        seedKey.toString(),
                        "--data",
                        seedData.toString(),
                        "--seed",
                        survivors.get(0).seed());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Run> found = parallel(after);
        for (int i = 0; i < slots; i++) {
            assertThat(found.get(i).json().get("val").get("reading").asInt())
                    .as("slot %d after the kills", i)
                    .isEqualTo(i);
        }
        assertThat(found.get(slots).json().findValuesAsText("seq")).containsExactly("1", "2", "3");
        Node seedAgain = back.get(60, TimeUnit.SECONDS);
        assertThat(seedAgain.started().get("node_id")).isEqualTo(seed.started().get("node_id"));
        assertThat(run(Map.of(), "", "dht", "get", "--seed", seedAgain.seed(), "--pub", pub, "--salt", "slot/0")
                        .json()
                        .get("seq")
                        .asLong())
                .isEqualTo(7);
        long churned = System.nanoTime();
        System.out.printf(
                "after kill -9 of 2 of 5 nodes (the seed included): every record found; seed back with"
                        + " the same id; %d ms%n",
                (churned - operated) / 1_000_000);

        // SIGTERM: each node stops cleanly, exit 0, within 10 s.
        List<Node> running = new ArrayList<>(survivors);
        running.add(seedAgain);
        running.forEach(n -> n.process().destroy());
        for (Node n : running) {
            assertThat(n.process().waitFor(10, TimeUnit.SECONDS))
                    .as("node stopped within 10 s after SIGTERM")
                    .isTrue();
            assertThat(n.process().exitValue())
                    .as("exit status after SIGTERM; stderr: %s", Files.readString(n.stderr()))
                    .isZero();
        }
        System.out.printf(
                "SIGTERM: 4 nodes exited 0 in %d ms; whole test %d ms%n",
                (System.nanoTime() - churned) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Runs the tasks (each an OS process) three at a time: independent publishers and readers
     * overlap, without a crowd of JVMs starting at once on a 2-core machine.
     */
    static <T> List<T> parallel(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(3, tasks.size()));
        try {
            List<Future<T>> futures = pool.invokeAll(tasks, 120, TimeUnit.SECONDS);
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Environment for commands that open the publisher's key. */
    static Map<String, String> env() {
        return Map.of("STREEMBIT_PASSCODE", PASSCODE);
    }

    /** `key new` in the test directory; returns its {"account","public_key"}. */
    static JsonNode newKey(String name) throws Exception {
        // insecure-test: cheap Argon2id, so that opening the key costs the child JVMs (128 MiB heap) nothing.
        return run(
                        Map.of("STREEMBIT_PASSCODE", PASSCODE, "STREEMBIT_KDF", "insecure-test"),
                        "",
                        "key",
                        "new",
                        "--out",
                        dir.resolve(name).toString())
                .json();
    }

    static ProcessBuilder streembit(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("STREEMBIT_"));
        builder.environment().putAll(env);
        return builder;
    }

    /** Starts `streembit node --port 0 ...` and waits for its JSON line. */
    static Node startNode(String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("node", "--port", "0"));
        all.addAll(List.of(args));
        Path stderr = dir.resolve(name + ".stderr");
        Process process = streembit(env(), all.toArray(String[]::new))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(stderr.toFile())
                .start();
        synchronized (PROCESSES) {
            PROCESSES.add(process);
        }
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        assertThat(line)
                .as("%s's first line; stderr: %s", name, Files.readString(stderr))
                .isNotNull();
        return new Node(process, JSON.readTree(line), stderr);
    }

    /** Runs one short command to completion (at most 60 s). */
    static Run run(Map<String, String> env, String stdin, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = streembit(env, args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        synchronized (PROCESSES) {
            PROCESSES.add(process);
        }
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("streembit " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
