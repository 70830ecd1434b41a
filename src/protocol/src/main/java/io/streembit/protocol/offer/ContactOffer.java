package io.streembit.protocol.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Json;
import io.streembit.protocol.identity.PublicKey;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a contact offer says: who (account and public key), what kind of party, where to reach
 * it, and for a device optionally its Thing Description. The constructor enforces the same
 * rules the parser checks, so a ContactOffer is always one that {@link ContactOffers#parse}
 * would accept.
 *
 * @param account   40 hex characters, SHA-1 of the compressed public key
 * @param td        the Thing Description's JSON, or null; held and returned as a copy
 */
public record ContactOffer(
        String account, PublicKey publicKey, UserType userType, String host, int port, String transport, JsonNode td) {
    /** Host names, IPv4 and IPv6 literals (an IPv6 zone after '%'): no spaces, nothing to escape. */
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");
    /** A transport name such as "tcp": a short lowercase token. */
    static final Pattern TRANSPORT = Pattern.compile("[a-z][a-z0-9+.-]{0,15}");

    public ContactOffer {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(userType, "userType");
        if (!publicKey.nodeId().hex().equals(account)) {
            throw new IllegalArgumentException("account must be the SHA-1 of the public key");
        }
        String problem = hostProblem(host);
        if (problem == null) {
            problem = portProblem(port);
        }
        if (problem == null) {
            problem = transportProblem(transport);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        td = td == null ? null : td.deepCopy();
    }

    /** A copy of the Thing Description JSON, or null when the offer carries none. */
    @Override
    public JsonNode td() {
        return td == null ? null : td.deepCopy();
    }

    /** The JSON payload, members in wire order: account, public_key, user_type, host, port, transport, td. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("account", account);
        json.put("public_key", publicKey.hex());
        json.put("user_type", userType.wire());
        json.put("host", host);
        json.put("port", port);
        json.put("transport", transport);
        if (td != null) {
            json.set("td", td.deepCopy());
        }
        return json;
    }

    static String hostProblem(String host) {
        return host != null && HOST.matcher(host).matches()
                ? null
                : "host must be 1-253 characters of letters, digits and . _ : % -";
    }

    static String portProblem(long port) {
        return port >= 1 && port <= 65535 ? null : "port must be an integer from 1 to 65535";
    }

    static String transportProblem(String transport) {
        return transport != null && TRANSPORT.matcher(transport).matches()
                ? null
                : "transport must be a lowercase token such as \"tcp\"";
    }

    @Override
    public String toString() {
        return "ContactOffer[" + userType.wire() + " " + account + " at " + transport + "://" + host + ":" + port
                + (td == null ? "" : ", with td") + "]";
    }
}
