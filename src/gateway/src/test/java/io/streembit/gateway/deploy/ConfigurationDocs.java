package io.streembit.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables docs/configuration.md documents: the second column of its tables
 * ({@code | key | environment variable | ...}). A name with a placeholder such as
 * {@code STREEMBIT_AUTH_API_KEYS_<NAME>_SHA256} stands for every name with letters and digits there.
 * And the settings it marks <i>routes only</i> (the fourth column starts {@code *routes only* (`file.yaml`)}).
 */
final class ConfigurationDocs {
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_<>]*)`");

    /** A setting's row: {@code | `key` | `VARIABLE` | default | *routes only* (`file.yaml`): meaning |}. */
    private static final Pattern ROUTES_ONLY =
            Pattern.compile("^\\| `(streembit\\.[a-z0-9.-]+)` \\|[^|]*\\|[^|]*\\| \\*routes only\\* \\(`([^`]+)`\\)");

    private final List<Pattern> names;
    private final Map<String, String> routesOnly;

    private ConfigurationDocs(List<Pattern> names, Map<String, String> routesOnly) {
        this.names = names;
        this.routesOnly = routesOnly;
    }

    static ConfigurationDocs read() {
        List<Pattern> names = new ArrayList<>();
        Map<String, String> routesOnly = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Repository.CONFIGURATION_DOCS)) {
                String[] cells = line.split("\\|");
                if (!line.startsWith("|") || cells.length < 3) {
                    continue;
                }
                Matcher m = NAME.matcher(cells[2]);
                while (m.find()) {
                    String regex = Pattern.quote(m.group(1)).replaceAll("<[A-Z]+>", "\\\\E[A-Z0-9]+\\\\Q");
                    names.add(Pattern.compile(regex));
                }
                Matcher routes = ROUTES_ONLY.matcher(line);
                if (routes.find()) {
                    routesOnly.put(routes.group(1), routes.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names.size() < 50) {
            throw new AssertionError("docs/configuration.md documents only " + names.size()
                    + " environment variables: has the table layout changed?");
        }
        return new ConfigurationDocs(names, routesOnly);
    }

    /** The settings marked <i>routes only</i>, each with the route file it names. */
    Map<String, String> routesOnly() {
        return routesOnly;
    }

    boolean documents(String variable) {
        return names.stream().anyMatch(p -> p.matcher(variable).matches());
    }
}
