package io.streembit.gateway.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time from /proc (Linux), in seconds: one process (user + system), a PostgreSQL server
 * (the postmaster, its live backends, and what its exited children used), and the whole machine
 * (busy time of all cores, so a reader sees what other processes took). Zero where /proc is absent.
 */
final class CpuClock {
    /** A snapshot of where the cores' time went, in CPU seconds since boot or process start. */
    record Sample(long nanos, double gateway, double harness, double postgres, double machineBusy) {
        Sample minus(Sample o) {
            return new Sample(
                    nanos - o.nanos,
                    gateway - o.gateway,
                    harness - o.harness,
                    postgres - o.postgres,
                    machineBusy - o.machineBusy);
        }

        double wallSeconds() {
            return nanos / 1e9;
        }

        double other() {
            return Math.max(0, machineBusy - gateway - harness - postgres);
        }
    }

    private static final double TICKS = 100.0; // USER_HZ on Linux

    private final long gatewayPid;
    private final long postmasterPid;

    CpuClock(long gatewayPid, long postmasterPid) {
        this.gatewayPid = gatewayPid;
        this.postmasterPid = postmasterPid;
    }

    Sample sample() {
        return new Sample(
                System.nanoTime(),
                process(gatewayPid, false),
                process(ProcessHandle.current().pid(), false),
                postgres(),
                machineBusy());
    }

    private double postgres() {
        double total = process(postmasterPid, true);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                long[] f = fields(p.resolve("stat"));
                if (f != null && f[3] == postmasterPid) {
                    total += (f[13] + f[14]) / TICKS;
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    /** utime + stime (fields 14, 15), and with {@code children} the reaped children's (16, 17). */
    static double process(long pid, boolean children) {
        long[] f = fields(Path.of("/proc", String.valueOf(pid), "stat"));
        if (f == null) {
            return 0;
        }
        long ticks = f[13] + f[14] + (children ? f[15] + f[16] : 0);
        return ticks / TICKS;
    }

    /** Fields of a /proc/PID/stat line, 0-based as in proc(5) minus one; the comm field reads as 0. */
    private static long[] fields(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] rest = line.substring(close + 2).trim().split(" ");
        long[] f = new long[rest.length + 2];
        for (int i = 0; i < rest.length; i++) {
            try {
                f[i + 2] = Long.parseLong(rest[i]);
            } catch (NumberFormatException e) {
                f[i + 2] = 0; // the state letter
            }
        }
        return f;
    }

    /** CPU seconds per thread group of {@code pid} (thread names with digits as N, as /proc shows them: 15 chars). */
    static java.util.Map<String, Double> threads(long pid) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String line;
                try {
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException | RuntimeException gone) {
                    continue;
                }
                int open = line.indexOf('(');
                int close = line.lastIndexOf(')');
                if (open < 0 || close < 0) {
                    continue;
                }
                String name = line.substring(open + 1, close).replaceAll("\\d+", "N");
                long[] f = fields(task.resolve("stat"));
                if (f != null) {
                    out.merge(name, (f[13] + f[14]) / TICKS, Double::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /**
     * Cores the JIT compiler threads took ("C1/C2 CompilerThre..." in /proc, see {@link #threads}):
     * their CPU seconds in {@code threads} (a {@link #minus} over an interval) per second of it.
     */
    static double jitCores(java.util.Map<String, Double> threads, double seconds) {
        if (threads == null || seconds <= 0) {
            return 0;
        }
        return threads.entrySet().stream()
                        .filter(e -> e.getKey().contains("CompilerThre"))
                        .mapToDouble(java.util.Map.Entry::getValue)
                        .sum()
                / seconds;
    }

    /** {@code after - before} per thread group (threads that ended in between are lost). */
    static java.util.Map<String, Double> minus(
            java.util.Map<String, Double> after, java.util.Map<String, Double> before) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> out.put(k, Math.max(0, v - before.getOrDefault(k, 0.0))));
        return out;
    }

    private static double machineBusy() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] p = lines.get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < p.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(p[i]);
                }
            }
            return busy / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
