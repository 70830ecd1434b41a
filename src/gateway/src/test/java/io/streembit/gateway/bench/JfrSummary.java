package io.streembit.gateway.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the gateway's CPU went, from a JFR recording's {@code jdk.ExecutionSample} events (one
 * per running Java thread every 10-20 ms with settings=profile): the hottest leaf frames, the
 * project's own methods by samples with them anywhere on the stack (each counted once per
 * sample), and samples per thread group. Threads running native code (libsecp256k1 through JNI)
 * are not in those samples: {@code jdk.NativeMethodSample} events (every 20 ms, waits left out)
 * are counted apart, by native method.
 */
final class JfrSummary {
    record Row(String name, long samples, double share) {}

    record Summary(
            long samples,
            List<Row> leaves,
            List<Row> inclusive,
            List<Row> threads,
            long nativeSamples,
            List<Row> natives) {}

    /** Native frames where a thread waits rather than computes (epoll, socket reads, parking). */
    private static final List<String> WAITS = List.of(
            "EPoll.wait",
            "epollWait",
            "Net.poll",
            "Net.accept",
            "SocketDispatcher.read",
            "FileDispatcherImpl.read",
            "Unsafe.park",
            "Object.wait",
            "Thread.sleep",
            "FileDispatcherImpl.write",
            "SocketDispatcher.write",
            "EPoll.ctl",
            "IOUtil.drain",
            "poll0");

    private JfrSummary() {}

    static Summary read(Path file, int top) throws IOException {
        Map<String, Long> leaves = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> natives = new HashMap<>();
        long samples = 0;
        long nativeSamples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (e.getEventType().getName().equals("jdk.NativeMethodSample")) {
                    RecordedStackTrace stack = e.getStackTrace();
                    if (stack != null && !stack.getFrames().isEmpty()) {
                        String leaf = name(stack.getFrames().get(0));
                        if (WAITS.stream().noneMatch(leaf::contains)) {
                            nativeSamples++;
                            natives.merge(leaf, 1L, Long::sum);
                        }
                    }
                    continue;
                }
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                leaves.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (f.getMethod() != null
                            && f.getMethod().getType().getName().startsWith("io.streembit.")
                            && seen.add(n)) {
                        inclusive.merge(n, 1L, Long::sum);
                    }
                }
                String thread = e.getThread("sampledThread") == null
                        ? "?"
                        : e.getThread("sampledThread").getJavaName();
                threads.merge(threadGroup(thread), 1L, Long::sum);
            }
        }
        return new Summary(
                samples,
                top(leaves, samples, top),
                top(inclusive, samples, top),
                top(threads, samples, top),
                nativeSamples,
                top(natives, nativeSamples, 10));
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** Thread names without their numbers: "vert.x-worker-thread-3" becomes "vert.x-worker-thread-N". */
    static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "N");
    }

    private static List<Row> top(Map<String, Long> counts, long total, int n) {
        List<Row> rows = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .forEach(e ->
                        rows.add(new Row(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total)));
        return rows;
    }
}
