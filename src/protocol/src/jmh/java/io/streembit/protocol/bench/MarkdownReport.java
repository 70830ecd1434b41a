package io.streembit.protocol.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMH JSON result file into the Markdown table of docs/benchmarks.md: one row per
 * benchmark and backend, throughput in ops/s and average time in µs/op, whatever time unit
 * the run used. In Java so that bin/bench-protocol needs nothing but a JDK.
 */
public final class MarkdownReport {
    private static final String NO_BACKEND = "(JDK)";

    private MarkdownReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MarkdownReport <jmh-result.json>");
            System.exit(2);
        }
        System.out.print(render(new ObjectMapper().readTree(new File(args[0]))));
    }

    static String render(JsonNode results) {
        Map<String, Row> rows = new TreeMap<>();
        for (JsonNode result : results) {
            String name = shortName(result.path("benchmark").asText());
            String backend = result.path("params").path("backend").asText(NO_BACKEND);
            Row row = rows.computeIfAbsent(name + "\u0000" + backend, key -> new Row(name, backend));
            JsonNode metric = result.path("primaryMetric");
            String unit = metric.path("scoreUnit").asText();
            double score = metric.path("score").asDouble();
            double error = metric.path("scoreError").asDouble(Double.NaN);
            switch (result.path("mode").asText()) {
                case "thrpt" -> row.opsPerSecond = perSecond(score, error, unit);
                case "avgt" -> row.microsPerOp = micros(score, error, unit);
                default -> { } // sample and single-shot modes have no column here
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | backend | ops/s | µs/op |\n");
        out.append("| --- | --- | ---: | ---: |\n");
        for (Row row : rows.values()) {
            out.append("| ").append(row.name).append(" | ").append(row.backend)
                    .append(" | ").append(row.opsPerSecond).append(" | ").append(row.microsPerOp).append(" |\n");
        }
        if (results.size() > 0) {
            JsonNode first = results.get(0);
            out.append('\n').append(String.format(Locale.ROOT,
                    "JMH %s, JDK %s (%s), %d fork(s), %d thread(s), warmup %d x %s, measurement %d x %s;"
                            + " ± is JMH's 99.9%% confidence interval.%n",
                    first.path("jmhVersion").asText(), first.path("jdkVersion").asText(), first.path("vmName").asText(),
                    first.path("forks").asInt(), first.path("threads").asInt(),
                    first.path("warmupIterations").asInt(), first.path("warmupTime").asText(),
                    first.path("measurementIterations").asInt(), first.path("measurementTime").asText()));
        }
        return out.toString();
    }

    /** io.streembit.protocol.bench.JwsBenchmark.sign becomes Jws.sign. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        String type = benchmark.substring(benchmark.lastIndexOf('.', method - 1) + 1, method);
        if (type.endsWith("Benchmark")) {
            type = type.substring(0, type.length() - "Benchmark".length());
        }
        return type + benchmark.substring(method);
    }

    private static String perSecond(double score, double error, String unit) {
        // "ops/us": divide by the unit's length in seconds.
        double factor = 1.0 / seconds(unit.substring(unit.indexOf('/') + 1));
        return format(score * factor, error * factor);
    }

    private static String micros(double score, double error, String unit) {
        // "ms/op": the unit's length in microseconds.
        double factor = seconds(unit.substring(0, unit.indexOf('/'))) * 1e6;
        return format(score * factor, error * factor);
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> throw new IllegalArgumentException("unknown JMH time unit '" + unit + "'");
        };
    }

    private static String format(double value, double error) {
        String pattern = value >= 1000 ? "%,.0f" : value >= 10 ? "%.1f" : "%.2f";
        String text = String.format(Locale.ROOT, pattern, value);
        if (Double.isFinite(error)) {
            text += " ± " + String.format(Locale.ROOT, pattern, error);
        }
        return text;
    }

    private static final class Row {
        final String name;
        final String backend;
        String opsPerSecond = "n/a";
        String microsPerOp = "n/a";

        Row(String name, String backend) {
            this.name = name;
            this.backend = backend;
        }
    }
}
