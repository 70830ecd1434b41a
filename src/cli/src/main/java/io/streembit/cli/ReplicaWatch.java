package io.streembit.cli;

import io.streembit.protocol.ProtocolException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Follows the demo's gateway replicas while it runs: prints which shards each owns, notices one
 * that died (say, {@code kill -9}) and says which replicas took its shards over. It only reads
 * {@code GET /api/cluster}; the replicas move the shards by themselves.
 */
final class ReplicaWatch {
    /** Far longer than a takeover takes (the session timeout, 6 s, and a rebalance). */
    static final Duration TAKEOVER_PATIENCE = Duration.ofSeconds(60);

    /** One line of the table. */
    record Row(String name, String url, long pid, boolean alive, Set<Integer> shards) {}

    private final GatewayReplicas replicas;
    private final PrintStream out;
    private final Map<String, Gone> gone = new LinkedHashMap<>();
    private ShardMap last;
    private boolean noneLeftSaid;

    /** A replica that died, the shards it owned then, and whether the demo has said who took them. */
    private static final class Gone {
        final Set<Integer> shards;
        final long since = System.nanoTime();
        boolean settled;

        Gone(Set<Integer> shards) {
            this.shards = shards;
            this.settled = shards.isEmpty();
        }
    }

    ReplicaWatch(GatewayReplicas replicas, PrintStream out) {
        this.replicas = replicas;
        this.out = out;
    }

    /**
     * Waits until every shard has an owner and every replica owns one at least (the group has
     * settled after the last join), at most {@code timeout}; returns the map it saw last.
     */
    Optional<ShardMap> awaitSpread(Duration timeout) throws InterruptedException {
        List<String> names =
                replicas.all().stream().map(GatewayReplicas.Replica::name).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ShardMap> map = fetch();
            if (map.isPresent() && map.get().spreadOver(names) || System.nanoTime() > deadline) {
                return map;
            }
            Thread.sleep(250);
        }
    }

    /** The table of replicas and their shards, as the cluster reports them now. */
    void printTable() {
        fetch();
        List<Row> rows = new ArrayList<>();
        for (GatewayReplicas.Replica replica : replicas.all()) {
            GatewayLauncher gateway = replica.gateway();
            rows.add(new Row(
                    replica.name(),
                    gateway.url(""),
                    gateway.pid(),
                    gateway.alive(),
                    last == null ? Set.of() : last.of(replica.name())));
        }
        table(rows).forEach(out::println);
        out.flush();
    }

    /** Looks for replicas that died and for the takeover of their shards; call it every second or so. */
    void check() {
        for (GatewayReplicas.Replica replica : replicas.all()) {
            GatewayLauncher gateway = replica.gateway();
            if (gateway.alive() || gone.containsKey(replica.name())) {
                continue;
            }
            // the cluster still names the dead replica as its shards' owner until others are granted them
            fetch();
            Set<Integer> shards = last == null ? Set.of() : last.of(replica.name());
            gone.put(replica.name(), new Gone(shards));
            out.println(goneLine(replica.name(), gateway.pid(), gateway.exitValue(), shards));
        }
        if (replicas.anyAlive().isEmpty()) {
            if (!noneLeftSaid) {
                noneLeftSaid = true;
                out.println(
                        "No gateway replica is left: the fleet keeps its readings buffered. Ctrl-C stops the demo.");
            }
            out.flush();
            return;
        }
        boolean waiting = gone.values().stream().anyMatch(g -> !g.settled);
        if (waiting && fetch().isPresent()) {
            gone.forEach((name, g) -> settle(name, g));
        }
        out.flush();
    }

    private void settle(String name, Gone g) {
        if (g.settled) {
            return;
        }
        Duration after = Duration.ofNanos(System.nanoTime() - g.since);
        Map<String, Set<Integer>> owners = last.ownersOf(g.shards);
        if (owners.keySet().stream().noneMatch(gone::containsKey)) {
            g.settled = true;
            out.println(takeoverLine(name, owners, after));
            printTable();
        } else if (after.compareTo(TAKEOVER_PATIENCE) > 0) {
            g.settled = true;
            out.println(name + "'s shards " + ShardMap.ranges(g.shards) + " still have no other owner after "
                    + after.toSeconds() + " s: see the other replicas' logs");
        }
    }

    /** Asks a living replica; keeps the answer as the last known map. */
    private Optional<ShardMap> fetch() {
        Optional<GatewayReplicas.Replica> alive = replicas.anyAlive();
        if (alive.isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> answer = alive.get().gateway().get("/api/cluster");
            if (answer.statusCode() != 200) {
                return Optional.empty();
            }
            last = ShardMap.parse(answer.body());
            return Optional.of(last);
        } catch (IOException | ProtocolException e) {
            // it may have died since; the next check asks another
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** "  gateway-2  http://127.0.0.1:8081  pid 4242  shards 4-7 (4)", a gone one "gone". */
    static List<String> table(List<Row> rows) {
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        int urlWidth = rows.stream().mapToInt(r -> r.url().length()).max().orElse(0);
        int pidWidth = rows.stream()
                .mapToInt(r -> String.valueOf(r.pid()).length())
                .max()
                .orElse(0);
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            String shards = row.alive()
                    ? "shards " + ShardMap.ranges(row.shards()) + " ("
                            + row.shards().size() + ")"
                    : "gone";
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-" + nameWidth + "s  %-" + urlWidth + "s  pid %-" + pidWidth + "d  %s",
                    row.name(),
                    row.url(),
                    row.pid(),
                    shards));
        }
        return lines;
    }

    static String goneLine(String name, long pid, int exit, Set<Integer> shards) {
        String head = name + " (pid " + pid + ") is gone (exit " + exit + ")";
        if (shards.isEmpty()) {
            return head + "; it owned no shards.";
        }
        return head + ": its shards " + ShardMap.ranges(shards)
                + " move to the others once its Kafka session times out (6 s) ...";
    }

    /** "gateway-2's shards were taken over in 8.2 s: 4-5 by gateway-1, 6-7 by gateway-3." */
    static String takeoverLine(String name, Map<String, Set<Integer>> owners, Duration after) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(owners).forEach((member, shards) -> parts.add(ShardMap.ranges(shards) + " by " + member));
        return String.format(
                Locale.ROOT,
                "%s's shards were taken over in %.1f s: %s.",
                name,
                after.toMillis() / 1000.0,
                String.join(", ", parts));
    }
}
