package io.streembit.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables docs/configuration.md documents: the second column of its tables
 * ({@code | key | environment variable | ...}). A name with a placeholder such as
 * {@code STREEMBIT_AUTH_API_KEYS_<NAME>_SHA256} stands for every name with letters and digits there.
 */
final class ConfigurationDocs {
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_<>]*)`");

    private final List<Pattern> names;

    private ConfigurationDocs(List<Pattern> names) {
        this.names = names;
    }

    static ConfigurationDocs read() {
        List<Pattern> names = new ArrayList<>();
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names.size() < 50) {
            throw new AssertionError("docs/configuration.md documents only " + names.size()
                    + " environment variables: has the table layout changed?");
        }
        return new ConfigurationDocs(names);
    }

    boolean documents(String variable) {
        return names.stream().anyMatch(p -> p.matcher(variable).matches());
    }
}
