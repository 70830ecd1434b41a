package io.streembit.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.gateway.testing.GatewayProcess;
import io.streembit.protocol.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The portal: {@code POST /api/devices/{id}/commands} ({@value CommandResponder#ACTION}, input
 * {@code {"value": 21.5}}, the harness's callback URL) at a fixed aggregate rate, round-robin over
 * the devices, paced against the clock from the start (a late tick catches up rather than
 * lowering the rate), with at most {@code concurrency} requests unanswered: beyond that the
 * sender waits, and the achieved rate shows it. Stops at {@code 2 x} the planned time whatever
 * happened. Each accepted command's send and answer times go to {@link CommandTimes}.
 */
final class CommandLoad {
    static final double TARGET = 21.5;

    record Result(
            long sent,
            long accepted,
            long failed,
            Map<String, Long> errors,
            double seconds,
            double rate,
            List<String> ids) {}

    private CommandLoad() {}

    /** Sends {@code total} commands at {@code rate}/s; the k-th goes to device {@code (first + k) mod N}. */
    static Result run(
            GatewayProcess gateway,
            List<BenchDevice> devices,
            long first,
            long total,
            int rate,
            int concurrency,
            String callbackUrl,
            CommandTimes times)
            throws InterruptedException {
        int n = devices.size();
        Semaphore permits = new Semaphore(concurrency);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        String body = body(callbackUrl);
        long start = System.nanoTime();
        long hardStop = start + (long) (2e9 * total / rate) + 5_000_000_000L;
        long k = 0;
        long firstMicros = 0;
        long lastMicros = 0;
        while (k < total && System.nanoTime() < hardStop) {
            long due = Math.min(total, (long) ((System.nanoTime() - start) * (double) rate / 1e9) + 1);
            while (k < due && System.nanoTime() < hardStop) {
                if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                BenchDevice d = devices.get((int) ((first + k) % n));
                long sent = WallClock.micros();
                if (firstMicros == 0) {
                    firstMicros = sent;
                }
                lastMicros = sent;
                gateway.postJsonAsync("/api/devices/" + d.account() + "/commands", body)
                        .whenComplete((r, e) -> {
                            long answered = WallClock.micros();
                            try {
                                if (e != null) {
                                    failed.incrementAndGet();
                                    errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1L, Long::sum);
                                } else if (r.statusCode() != 202) {
                                    failed.incrementAndGet();
                                    errors.merge("HTTP " + r.statusCode() + ": " + errorCode(r.body()), 1L, Long::sum);
                                } else {
                                    String id = Json.MAPPER
                                            .readTree(r.body())
                                            .path("id")
                                            .asText();
                                    CommandTimes.Stamps stamps = times.of(id);
                                    stamps.sent = sent;
                                    stamps.answered = answered;
                                    ids.add(id);
                                    accepted.incrementAndGet();
                                }
                            } catch (Exception parse) {
                                failed.incrementAndGet();
                                errors.merge("unreadable answer: " + parse.getMessage(), 1L, Long::sum);
                            } finally {
                                permits.release();
                            }
                        });
                k++;
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (!permits.tryAcquire(concurrency, 35, TimeUnit.SECONDS)) {
            errors.merge("requests still unanswered 35 s after the last send", 1L, Long::sum);
        }
        double seconds = (lastMicros - firstMicros) / 1e6;
        return new Result(
                k,
                accepted.get(),
                failed.get(),
                Map.copyOf(errors),
                seconds,
                seconds > 0 ? (k - 1) / seconds : Double.NaN,
                new ArrayList<>(ids));
    }

    private static String body(String callbackUrl) {
        ObjectNode body = Json.object();
        body.put("action", CommandResponder.ACTION);
        body.putObject("input").put("value", TARGET);
        if (callbackUrl != null) {
            body.put("callbackUrl", callbackUrl);
        }
        return Json.text(body);
    }

    private static String errorCode(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            return json.path("error").asText("?") + " (" + json.path("message").asText("") + ")";
        } catch (Exception e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }
}
