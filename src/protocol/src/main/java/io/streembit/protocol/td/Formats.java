package io.streembit.protocol.td;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string formats the validator checks (JSON Schema 2020-12 section 7.3 names). Any other
 * format is an annotation only and accepted as is, as JSON Schema allows, so that a Thing
 * Description using a format we do not know still works.
 */
final class Formats {
    static final Set<String> CHECKED =
            Set.of("date-time", "date", "time", "uuid", "ipv4", "ipv6", "hostname", "email", "uri");

    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern TIME =
            Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?([Zz]|[+-](\\d{2}):(\\d{2}))");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern EMAIL_LOCAL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private Formats() {}

    /** Whether {@code value} conforms to {@code format}; unknown formats always conform. */
    static boolean conforms(String format, String value) {
        return switch (format) {
            case "date-time" -> dateTime(value);
            case "date" -> date(value);
            case "time" -> time(value);
            case "uuid" -> UUID.matcher(value).matches();
            case "ipv4" -> ipv4(value);
            case "ipv6" -> ipv6(value);
            case "hostname" -> hostname(value);
            case "email" -> email(value);
            case "uri" -> uri(value);
            default -> true;
        };
    }

    private static boolean dateTime(String value) {
        int t = Math.max(value.indexOf('T'), value.indexOf('t'));
        return t > 0 && date(value.substring(0, t)) && time(value.substring(t + 1));
    }

    private static boolean date(String value) {
        Matcher m = DATE.matcher(value);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean time(String value) {
        Matcher m = TIME.matcher(value);
        if (!m.matches()) {
            return false;
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        int second = Integer.parseInt(m.group(3));
        if (hour > 23 || minute > 59 || second > 60) {
            return false;
        }
        if (m.group(6) != null && (Integer.parseInt(m.group(6)) > 23 || Integer.parseInt(m.group(7)) > 59)) {
            return false;
        }
        if (second == 60) {
            // A leap second exists only at 23:59:60 UTC.
            int offset = 0;
            if (m.group(6) != null) {
                offset = (Integer.parseInt(m.group(6)) * 60 + Integer.parseInt(m.group(7)))
                        * (m.group(5).charAt(0) == '-' ? -1 : 1);
            }
            int utcMinutes = Math.floorMod(hour * 60 + minute - offset, 24 * 60);
            return utcMinutes == 23 * 60 + 59;
        }
        return true;
    }

    private static boolean ipv4(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!IPV4_OCTET.matcher(p).matches() || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv6(String value) {
        int doubleColon = value.indexOf("::");
        if (doubleColon >= 0 && value.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? value.substring(0, doubleColon) : value;
        String tail = doubleColon >= 0 ? value.substring(doubleColon + 2) : "";
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tailGroups = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        int headCount = groups(headGroups, doubleColon < 0);
        int tailCount = groups(tailGroups, true);
        if (headCount < 0 || tailCount < 0) {
            return false;
        }
        int groups = headCount + tailCount;
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    /** Counts 16-bit groups; a dotted IPv4 tail counts two and may only end the address. */
    private static int groups(String[] parts, boolean endsAddress) {
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            if (endsAddress && i == parts.length - 1 && parts[i].contains(".")) {
                if (!ipv4(parts[i])) {
                    return -1;
                }
                count += 2;
            } else if (HEX_GROUP.matcher(parts[i]).matches()) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean hostname(String value) {
        if (value.isEmpty() || value.length() > 253) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean email(String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || at > 64 || at == value.length() - 1) {
            return false;
        }
        String domain = value.substring(at + 1);
        boolean domainOk = domain.startsWith("[") && domain.endsWith("]")
                ? ipv4(domain.substring(1, domain.length() - 1))
                : hostname(domain);
        return domainOk && EMAIL_LOCAL.matcher(value.substring(0, at)).matches();
    }

    private static boolean uri(String value) {
        try {
            return new URI(value).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
