package io.streembit.gateway.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings that were renamed, still read under their old names for one release so that an
 * upgraded gateway starts with the configuration it had; each use is a WARN at start
 * ({@link #warnings}). Today: the four {@code ...-ms} numbers of milliseconds that became
 * durations ({@code streembit.sinks.portal.retry-delay-ms=500} is read as
 * {@code streembit.sinks.portal.retry-delay=500ms}).
 *
 * <p>A SmallRye Config interceptor (registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}, which Quarkus reads): a
 * look-up of the new name falls back to the old one when the new one has only its default, or
 * comes from a source of lower priority (an environment variable of the old name beats the
 * application.properties value of the new one, as it always did); with both in one source the
 * new name wins. An old name with a profile ({@code %prod.}) stands for the new name with the
 * same profile, so where this runs in SmallRye's chain (the default, application priority) does not
 * matter. The configuration's list of names shows the old name as the new one, so the mapping finds
 * no unknown {@code streembit.*} key.
 */
public class RenamedSettings implements ConfigSourceInterceptor {
    private static final long serialVersionUID = 1L;

    /** New name (a duration) to the old one (a number of milliseconds), removed in the next release. */
    static final Map<String, String> FROM_MILLISECONDS = milliseconds();

    private static Map<String, String> milliseconds() {
        Map<String, String> renamed = new LinkedHashMap<>();
        renamed.put("streembit.sinks.portal.retry-delay", "streembit.sinks.portal.retry-delay-ms");
        renamed.put("streembit.sinks.portal.timeout", "streembit.sinks.portal.timeout-ms");
        renamed.put("streembit.commands.callback-retry-delay", "streembit.commands.callback-retry-delay-ms");
        renamed.put("streembit.commands.callback-timeout", "streembit.commands.callback-timeout-ms");
        return Collections.unmodifiableMap(renamed);
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        String old = oldName(name);
        if (old == null) {
            return value;
        }
        ConfigValue legacy = context.proceed(old);
        if (legacy == null || legacy.getValue() == null) {
            return value;
        }
        if (value != null
                && value.getValue() != null
                && !value.isDefault()
                && value.getConfigSourceOrdinal() >= legacy.getConfigSourceOrdinal()) {
            return value;
        }
        return legacy.withName(name).withValue(asDuration(legacy.getValue()));
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(n -> names.add(newName(n)));
        return names.iterator();
    }

    /**
     * One line per old name in use, saying whether it was read (and as what) or ignored because
     * the new name is set too; empty when none is.
     */
    public static List<String> warnings(Config config) {
        List<String> lines = new ArrayList<>();
        FROM_MILLISECONDS.forEach((name, old) -> {
            org.eclipse.microprofile.config.ConfigValue legacy = config.getConfigValue(old);
            if (legacy.getValue() == null) {
                return;
            }
            org.eclipse.microprofile.config.ConfigValue current = config.getConfigValue(name);
            String duration = asDuration(legacy.getValue());
            boolean read = Objects.equals(current.getValue(), duration)
                    && Objects.equals(current.getSourceName(), legacy.getSourceName());
            lines.add(
                    read
                            ? String.format(
                                    "%s=%s (%s) is read as %s=%s: rename it, the old name is refused from the next release",
                                    old, legacy.getValue(), legacy.getSourceName(), name, duration)
                            : String.format(
                                    "%s=%s (%s) is ignored: %s=%s (%s) is set too; remove the old name",
                                    old,
                                    legacy.getValue(),
                                    legacy.getSourceName(),
                                    name,
                                    current.getValue(),
                                    current.getSourceName()));
        });
        return lines;
    }

    /** A whole number was milliseconds; anything else is passed on as it is (a duration, or a mistake to report). */
    static String asDuration(String value) {
        String v = value.strip();
        return v.matches("\\d+") ? v + "ms" : v;
    }

    /** The old name of a renamed setting, with the same profile prefix ({@code %prod.}) if any. */
    private static String oldName(String name) {
        int split = profileEnd(name);
        String old = FROM_MILLISECONDS.get(name.substring(split));
        return old == null ? null : name.substring(0, split) + old;
    }

    private static String newName(String name) {
        int split = profileEnd(name);
        String bare = name.substring(split);
        for (Map.Entry<String, String> e : FROM_MILLISECONDS.entrySet()) {
            if (e.getValue().equals(bare)) {
                return name.substring(0, split) + e.getKey();
            }
        }
        return name;
    }

    private static int profileEnd(String name) {
        return name.startsWith("%") && name.indexOf('.') > 0 ? name.indexOf('.') + 1 : 0;
    }
}
