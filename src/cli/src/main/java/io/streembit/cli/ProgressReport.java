package io.streembit.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A live one-line status on stderr. On a terminal the line is rewritten in place ({@code \r})
 * every second; into a file or a pipe it is a new line every ten seconds, so that a log stays
 * readable.
 */
final class ProgressReport {
    static final Duration TERMINAL_INTERVAL = Duration.ofSeconds(1);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final PrintStream err;
    private final boolean terminal;
    private int shownLength = -1;

    ProgressReport(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    Duration interval() {
        return terminal ? TERMINAL_INTERVAL : LOG_INTERVAL;
    }

    void show(String line) {
        if (terminal) {
            // Spaces over what is left of a longer previous line.
            err.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
            shownLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Shows the last state and, on a terminal, ends the line so that what follows starts clean. */
    void finish(String line) {
        if (terminal) {
            show(line);
            err.println();
            err.flush();
        }
    }

    /**
     * Whether {@code err} is this process's standard error and that is a terminal. Java 17 cannot
     * ask isatty(2) directly: on Linux the target of /proc/self/fd/2 tells; elsewhere a console
     * (standard input and output both a terminal) is the best guess.
     */
    static boolean isTerminal(PrintStream err) {
        if (err != System.err) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
