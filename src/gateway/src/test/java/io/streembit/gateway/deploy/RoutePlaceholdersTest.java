package io.streembit.gateway.deploy;

import io.streembit.gateway.config.RouteProperties;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code {{...}}} placeholders of camel-routes/ against docs/configuration.md and the gateway:
 * each reads a property the gateway derives ({@link RouteProperties}) or a documented setting, and
 * the settings the docs mark <i>routes only</i> are those the routes read, in the file named.
 */
class RoutePlaceholdersTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    /** Read by the routes and by the gateway's own code too: the readiness check, and the switch it derives. */
    private static final Set<String> ALSO_READ_BY_THE_GATEWAY = Set.of("streembit.sinks.kafka.bootstrap-servers");

    private final Map<String, Set<String>> placeholders = placeholders();
    private final Set<String> derived =
            RouteProperties.of(GatewaySettings.defaults()).keySet();

    @Test
    void everyPlaceholderIsADerivedPropertyOrADocumentedSetting() {
        ConfigurationDocs docs = ConfigurationDocs.read();
        assertThat(placeholders).isNotEmpty().allSatisfy((name, files) -> {
            if (!derived.contains(name)) {
                assertThat(docs.documents(variable(name)))
                        .as(name + " in " + files + " is not a documented setting")
                        .isTrue();
            }
        });
    }

    /** Defaults live in GatewayConfig (and docs/configuration.md), not in a route: no {@code {{name:default}}}. */
    @Test
    void noPlaceholderHasADefaultOfItsOwn() {
        assertThat(placeholders.keySet())
                .allSatisfy(name -> assertThat(name).doesNotContain(":").doesNotStartWith("?"));
    }

    @Test
    void theSettingsDocumentedAsRoutesOnlyAreThoseTheRoutesRead() {
        Map<String, Set<String>> settings = new LinkedHashMap<>();
        placeholders.forEach((name, files) -> {
            String setting =
                    !derived.contains(name) ? name : name.endsWith("-ms") ? name.substring(0, name.length() - 3) : null;
            if (setting != null && !ALSO_READ_BY_THE_GATEWAY.contains(setting)) {
                settings.computeIfAbsent(setting, s -> new LinkedHashSet<>()).addAll(files);
            }
        });
        Map<String, String> routesOnly = ConfigurationDocs.read().routesOnly();
        assertThat(routesOnly.keySet()).containsExactlyInAnyOrderElementsOf(settings.keySet());
        routesOnly.forEach(
                (setting, file) -> assertThat(settings.get(setting)).as(setting).contains(file));
    }

    private static String variable(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Placeholder name to the route files that use it (comment lines left out). */
    private static Map<String, Set<String>> placeholders() {
        Map<String, Set<String>> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repository.ROUTES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String text = Files.readAllLines(file).stream()
                        .filter(l -> !l.strip().startsWith("#"))
                        .collect(Collectors.joining("\n"));
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) {
                    found.computeIfAbsent(m.group(1), n -> new LinkedHashSet<>())
                            .add(file.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }
}
