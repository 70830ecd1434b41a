package io.streembit.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the run ran on, for the report: cores, CPU model, memory, JDK, load. */
final class Machine {
    private Machine() {}

    static String describe() {
        String cpu = "?";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: leave the defaults
        }
        return String.format(
                Locale.ROOT,
                "%d cores (nproc), %s, %.0f GiB RAM; %s %s (%s), gateway and harness on " + "the same JDK",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memKb / 1024.0 / 1024.0,
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"));
    }

    /** The commit the gateway was built from, and whether the working tree differed from it. */
    static String source(Path repo) {
        String given = System.getProperty("bench.source", "");
        if (!given.isBlank()) {
            return given;
        }
        try {
            Process p = new ProcessBuilder("git", "-C", repo.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /**
     * One core's speed right now: SHA-256 over a 1 MiB buffer on this thread, MB/s, the best of
     * five 100 ms rounds after a warm-up. The machine's cores are shared with other virtual
     * machines, and the same code has run 40 % slower from one hour to the next; a run's figures
     * are read against this (taken before the warm-up and after phase A, with the box otherwise
     * quiet).
     */
    static double coreSpeedMBps() {
        byte[] buffer = new byte[1 << 20];
        java.util.Arrays.fill(buffer, (byte) 7);
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            return 0;
        }
        double best = 0;
        for (int round = 0; round < 7; round++) {
            long start = System.nanoTime();
            long bytes = 0;
            while (System.nanoTime() - start < 100_000_000L) {
                sha.update(buffer);
                bytes += buffer.length;
            }
            sha.digest();
            double mbps = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
            if (round >= 2) {
                best = Math.max(best, mbps); // the first two rounds warm the JIT up
            }
        }
        return best;
    }

    static String loadAverage() {
        try {
            List<String> parts =
                    List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return String.join(" / ", parts.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
