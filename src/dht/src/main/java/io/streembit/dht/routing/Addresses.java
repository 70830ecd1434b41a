package io.streembit.dht.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What the limits and the routing table need to know of an address, read from its bytes, never
 * from its spelling: the network it is in, and whether it is local. Only literals are parsed
 * (never resolved: no lookup leaves this class); a host name is its own network and is local
 * only when it is {@code localhost}.
 */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Addresses() {}

    /** The address's bytes when {@code host} is an IP literal (IPv4-mapped IPv6 gives IPv4), else null. */
    static byte[] literal(String host) {
        if (host == null || !(host.indexOf(':') >= 0 || IPV4.matcher(host).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /**
     * The network {@code host} is in: its /24 for IPv4 (an IPv4-mapped IPv6 address counts as
     * IPv4), its /64 for IPv6, whatever the spelling; a name is its own network.
     */
    public static String subnet(String host) {
        byte[] bytes = literal(host);
        if (bytes == null) {
            return host;
        }
        StringBuilder out = new StringBuilder(bytes.length == 4 ? "v4:" : "v6:");
        for (int i = 0; i < (bytes.length == 4 ? 3 : 8); i++) {
            out.append(String.format("%02x", bytes[i] & 0xff));
        }
        return out.toString();
    }

    /**
     * Whether {@code host} is an address no other node of a wide-area network can have: loopback,
     * link-local, unspecified (0.0.0.0, ::), multicast, or the name {@code localhost}.
     */
    public static boolean isLocal(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        byte[] bytes = literal(host);
        if (bytes == null) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByAddress(bytes);
            return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
