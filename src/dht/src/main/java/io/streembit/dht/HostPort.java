package io.streembit.dht;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a node listens, as a seed is given: {@code host:port}, or {@code [IPv6]:port}.
 * {@code host} is held bare (an IPv6 literal without its brackets), the form a socket connects
 * to; {@link #toString()} brackets it again, so the text form parses back to the same value.
 */
public record HostPort(String host, int port) {
    /** Host names, IPv4 and bare IPv6 literals (an IPv6 zone after '%'), as contact offers allow them. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String FORMS = "expected host:port, or [IPv6]:port";

    public HostPort {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("host "
                    + (host == null
                            ? "is missing"
                            : "'" + printable(host) + "' must be 1-253 characters of letters, digits and . _ : % -"));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " must be 1 to 65535");
        }
    }

    /**
     * Reads {@code host:port} or {@code [IPv6]:port}. An IPv6 address needs its brackets: in
     * {@code ::1:4000} the port cannot be told from the address. Fails with an
     * IllegalArgumentException naming {@code text} and what is wrong with it.
     */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "has no closing ']' (" + FORMS + ")");
            }
            host = text.substring(1, close);
            if (!IPV6.matcher(host).matches()) {
                throw invalid(text, "has no IPv6 address between its brackets");
            }
            String rest = text.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw invalid(text, rest.isEmpty() ? "has no port (" + FORMS + ")" : "has no ':' after its ']'");
            }
            port = rest.substring(1);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(text, "has no port (" + FORMS + ")");
            }
            host = text.substring(0, colon);
            if (host.isEmpty()) {
                throw invalid(text, "has no host (" + FORMS + ")");
            }
            if (host.indexOf(':') >= 0) {
                throw invalid(text, "is an IPv6 address without brackets (write [" + host + "]:port)");
            }
            if (!NAME.matcher(host).matches()) {
                throw invalid(text, "has a host that is not letters, digits and . _ -");
            }
            port = text.substring(colon + 1);
        }
        return new HostPort(host, port(text, port));
    }

    private static int port(String text, String port) {
        if (port.isEmpty()) {
            throw invalid(text, "has no port after its ':'");
        }
        if (!DIGITS.matcher(port).matches()) {
            throw invalid(text, "has a port that is not a number");
        }
        // more than five digits could overflow an int; none of them is a port anyway
        int value = port.length() > 5 ? 0 : Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw invalid(text, "has a port out of range (1 to 65535)");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("'" + printable(text) + "' " + problem);
    }

    /** Configuration text goes into logs: cut long values and mask control characters. */
    private static String printable(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
