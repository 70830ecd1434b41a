package io.streembit.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streembit.it.DemoIT.awaitLine;
import static io.streembit.it.DemoIT.group;
import static io.streembit.it.DhtProcessesIT.JAR;
import static io.streembit.it.DhtProcessesIT.JAVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code streembit demo --gateways 3} as the docs tell to try it: three replicas own shards each;
 * after {@code kill -9} of one, the demo goes on, says who took its shards, the two others own
 * them all, and readings of every device keep reaching PostgreSQL.
 */
class DemoClusterIT {
    private static final Path HOME =
            Path.of(System.getProperty("streembit.home", "..")).toAbsolutePath().normalize();
    private static final Pattern ROW =
            Pattern.compile("^  (gateway-\\d)\\s+\\S+\\s+pid (\\d+)\\s+shards \\S+ \\((\\d+)\\)$");
    private static final Pattern GONE_ROW = Pattern.compile("^  gateway-2\\s+\\S+\\s+pid \\d+\\s+gone$");
    private static final Pattern PSQL =
            Pattern.compile("psql 'postgresql://postgres:postgres@(127\\.0\\.0\\.1:\\d+)/postgres'");
    private static final int DEVICES = 4;

    @Test
    void threeReplicasShareTheShardsAndTwoTakeOverWhenOneIsKilled() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("streembit-demo-cluster-it");
        Process demo = new ProcessBuilder(
                        JAVA,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        JAR.toString(),
                        "demo",
                        "--home",
                        HOME.toString(),
                        "--dir",
                        dir.resolve("demo").toString(),
                        "--gateways",
                        "3",
                        "--devices",
                        String.valueOf(DEVICES),
                        "--seeds",
                        "2",
                        "--rate",
                        "2",
                        "--http-port",
                        String.valueOf(port),
                        "--duration",
                        "240")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, l -> l.startsWith("  kill -9 "), Duration.ofSeconds(180), demo);
            Map<String, Long> pids = new HashMap<>();
            int shards = 0;
            for (String line : lines) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    pids.put(m.group(1), Long.parseLong(m.group(2)));
                    assertThat(Integer.parseInt(m.group(3))).as(line).isPositive();
                    shards += Integer.parseInt(m.group(3));
                }
            }
            assertThat(pids).as(String.join("\n", lines)).containsOnlyKeys("gateway-1", "gateway-2", "gateway-3");
            assertThat(shards).isEqualTo(12);

            String jdbc = "jdbc:postgresql://" + group(lines, PSQL) + "/postgres";
            try (Connection db = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
                int printed = lines.size();
                assertThat(ProcessHandle.of(pids.get("gateway-2")).orElseThrow().destroyForcibly())
                        .isTrue();
                Map<String, Long> atKill = readingsByDevice(db);

                awaitLine(
                        lines,
                        l -> l.startsWith("gateway-2's shards were taken over in "),
                        Duration.ofSeconds(60),
                        demo);
                List<String> after = new ArrayList<>(lines.subList(printed, lines.size()));
                assertThat(after).anySatisfy(l -> assertThat(l).startsWith("gateway-2 (pid "));
                awaitLine(lines, l -> GONE_ROW.matcher(l).matches(), Duration.ofSeconds(10), demo);
                after = new ArrayList<>(lines.subList(printed, lines.size()));
                int owned = 0;
                for (String line : after) {
                    Matcher m = ROW.matcher(line);
                    if (m.matches()) {
                        owned += Integer.parseInt(m.group(3));
                    }
                }
                assertThat(owned).as(String.join("\n", after)).isEqualTo(12);

                // every device, whichever replica served it, gets new readings stored after the kill
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, Long> now = readingsByDevice(db);
                    assertThat(now).hasSize(DEVICES);
                    assertThat(allGrew(atKill, now))
                            .as("readings per device at the kill %s, now %s", atKill, now)
                            .isTrue();
                });
            }
            assertThat(demo.isAlive()).as("the demo runs on").isTrue();

            demo.toHandle().destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).contains("stopped.");
        } finally {
            demo.destroyForcibly();
            demo.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Long> readingsByDevice(Connection db) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT device_id, count(*) FROM readings GROUP BY 1")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static boolean allGrew(Map<String, Long> before, Map<String, Long> now) {
        return now.size() == DEVICES
                && now.entrySet().stream().allMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L));
    }
}
