package io.streembit.gateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The command line both benchmarks share: --help, option errors (exit 2), a missing gateway jar (exit 2). */
final class BenchCli {
    private BenchCli() {}

    /** The parsed options; null when the run is over already (usage printed, or the JVM exits with 2). */
    static <O> O options(
            String[] args, String usage, Function<String[], O> parse, Function<O, Path> jar, String script) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(usage);
            return null;
        }
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return null;
        }
        if (!Files.isRegularFile(jar.apply(options))) {
            System.err.println("no gateway jar at " + jar.apply(options) + " (" + script + " builds it)");
            System.exit(2);
        }
        return options;
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int integer(String option, String text) {
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got " + text);
        }
    }

    static int positive(String option, String text) {
        int v = integer(option, text);
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return v;
    }

    static int notNegative(String option, String text) {
        int v = integer(option, text);
        if (v < 0) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return v;
    }
}
