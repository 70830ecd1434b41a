package io.streembit.gateway.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The pieces every benchmark report shares: lines, the CPU split and the gateway's threads as
 * table rows, the JFR hotspots section, and number formats. Each report builds its own sections
 * on top ({@link Report}, {@link CommandReport}).
 */
final class Markdown {
    private final StringBuilder out = new StringBuilder();

    String text() {
        return out.toString();
    }

    void line(String s) {
        out.append(s).append('\n');
    }

    void line() {
        out.append('\n');
    }

    /** A table row: busy cores of the gateway, the harness, PostgreSQL and the rest of the machine. */
    void cpuRows(String when, CpuClock.Sample c) {
        if (c == null || c.wallSeconds() <= 0) {
            return;
        }
        double w = c.wallSeconds();
        line(String.format(
                Locale.ROOT,
                "| cores busy, %s: gateway / harness / PostgreSQL / other | %.2f / %.2f / %.2f / "
                        + "%.2f (of %d, over %.1f s) |",
                when,
                c.gateway() / w,
                c.harness() / w,
                c.postgres() / w,
                c.other() / w,
                Runtime.getRuntime().availableProcessors(),
                w));
    }

    /** The gateway's CPU by thread group (from /proc: includes native crypto, GC and the JIT, unlike JFR samples). */
    void threads(Map<String, Double> threads, double seconds) {
        if (threads == null || threads.isEmpty() || seconds <= 0) {
            return;
        }
        StringBuilder b = new StringBuilder("| gateway cores busy by thread (/proc) | ");
        threads.entrySet().stream()
                .filter(e -> e.getValue() / seconds >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(
                        String.format(Locale.ROOT, "%s %.2f, ", e.getKey().trim(), e.getValue() / seconds)));
        b.setLength(b.length() - 2);
        line(b.append(" |").toString());
    }

    void jfr(String title, JfrSummary.Summary s) {
        line();
        line("## Gateway JFR hotspots: " + title + String.format(Locale.ROOT, " (%,d execution samples)", s.samples()));
        line();
        line("| hottest leaf frames | samples | % | project methods on the stack | samples | % |");
        line("| --- | ---: | ---: | --- | ---: | ---: |");
        int rows = Math.max(s.leaves().size(), s.inclusive().size());
        for (int i = 0; i < rows; i++) {
            JfrSummary.Row a = i < s.leaves().size() ? s.leaves().get(i) : null;
            JfrSummary.Row b = i < s.inclusive().size() ? s.inclusive().get(i) : null;
            line("| " + cell(a) + " | " + cell(b) + " |");
        }
        line();
        StringBuilder t = new StringBuilder("Samples by thread: ");
        for (int i = 0; i < s.threads().size(); i++) {
            JfrSummary.Row r = s.threads().get(i);
            t.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f%%", r.name(), r.share()));
        }
        line(t.append('.').toString());
        if (s.nativeSamples() > 0) {
            line();
            StringBuilder n = new StringBuilder(String.format(
                    Locale.ROOT,
                    "Threads in native code, not waiting " + "(jdk.NativeMethodSample, %,d samples): ",
                    s.nativeSamples()));
            for (int i = 0; i < s.natives().size(); i++) {
                JfrSummary.Row r = s.natives().get(i);
                n.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "`%s` %.0f%%", r.name(), r.share()));
            }
            line(n.append('.').toString());
        }
    }

    private static String cell(JfrSummary.Row r) {
        return r == null ? " | | " : String.format(Locale.ROOT, "`%s` | %,d | %.1f", r.name(), r.samples(), r.share());
    }

    /** Milliseconds: one decimal below 100, none from 100 on, "-" for no value. */
    static String ms(double v) {
        return Double.isNaN(v)
                ? "-"
                : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** {@code `k=v`, `k2=v2`} for the report's set-up line. */
    static String props(Map<String, String> props) {
        StringBuilder b = new StringBuilder();
        props.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
                .append('`')
                .append(k)
                .append('=')
                .append(v)
                .append('`'));
        return b.toString();
    }
}
