package io.streembit.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The build context a {@code .dockerignore} leaves, with Docker's rules: patterns relative to the
 * context root, {@code *} and {@code ?} within one path element, {@code **} across elements, a
 * leading {@code !} takes a path back in, the last matching pattern decides, and a pattern that
 * matches a directory matches everything below it.
 */
final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    /** The ignore file of a Dockerfile: {@code <Dockerfile>.dockerignore} beside it (BuildKit's rule). */
    static DockerIgnore of(Path dockerfile) {
        Path file = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        List<Rule> rules = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                boolean exclude = !text.startsWith("!");
                String pattern = exclude ? text : text.substring(1).strip();
                pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
                rules.add(new Rule(Pattern.compile(regex(pattern)), exclude));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    file + " (every Dockerfile here has one, to keep the build context small)", e);
        }
        return new DockerIgnore(rules);
    }

    /** Whether {@code path} (relative to the context root, {@code /}-separated) is sent to the builder. */
    boolean keeps(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesOrParentMatches(rule.pattern(), path)) {
                excluded = rule.exclude();
            }
        }
        return !excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        String candidate = path;
        while (true) {
            if (pattern.matcher(candidate).matches()) {
                return true;
            }
            int slash = candidate.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            candidate = candidate.substring(0, slash);
        }
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?"); // any number of directories, none included
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
