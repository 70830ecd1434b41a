package io.streembit.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL database is and whom to log in as, read from a JDBC URL as the PostgreSQL
 * driver reads it ({@code jdbc:postgresql://host[:port][,host2[:port2]]/database?user=...}, or
 * {@code jdbc:postgresql:database} for localhost), so that a person can reach the same database
 * with {@code psql}. A password in the URL is never kept: psql takes it from {@code PGPASSWORD}.
 *
 * @param hosts    one or more hosts (IPv6 without brackets), tried in order as the driver does
 * @param ports    the port of each host (5432 when the URL names none)
 * @param database empty for the driver's default (the user's name, as psql's is)
 * @param user     the URL's {@code user}, else the one given apart
 */
record PostgresAddress(List<String> hosts, List<Integer> ports, String database, String user) {
    static final String PREFIX = "jdbc:postgresql:";
    static final int DEFAULT_PORT = 5432;
    /** What a shell passes through unquoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

    PostgresAddress {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        if (hosts.isEmpty() || hosts.size() != ports.size()) {
            throw new IllegalArgumentException("one port per host");
        }
    }

    /** Reads {@code url}; {@code user} is the login when the URL names none. */
    static PostgresAddress fromJdbcUrl(String url, String user) throws CliException {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new CliException(
                    "--postgres-url must start with " + PREFIX + " (jdbc:postgresql://HOST:PORT/DATABASE)");
        }
        String rest = url.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String query = question < 0 ? "" : rest.substring(question + 1);
        rest = question < 0 ? rest : rest.substring(0, question);

        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        String database;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            database = slash < 0 ? "" : rest.substring(slash + 1);
            for (String server : authority.isEmpty() ? new String[] {""} : authority.split(",", -1)) {
                addServer(server, hosts, ports, url);
            }
        } else {
            // jdbc:postgresql:database (or jdbc:postgresql:/database): the driver's localhost
            database = rest.startsWith("/") ? rest.substring(1) : rest;
            addServer("", hosts, ports, url);
        }
        String login = user;
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).equals("user")) {
                login = decode(parameter.substring(equals + 1), url);
            }
        }
        return new PostgresAddress(hosts, ports, decode(database, url), login);
    }

    private static void addServer(String server, List<String> hosts, List<Integer> ports, String url)
            throws CliException {
        String host = server;
        String port = "";
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                throw new CliException("--postgres-url: no ']' after an IPv6 address in " + redacted(url));
            }
            host = server.substring(1, close);
            port = server.substring(close + 1).startsWith(":") ? server.substring(close + 2) : "";
        } else if (server.lastIndexOf(':') >= 0) {
            host = server.substring(0, server.lastIndexOf(':'));
            port = server.substring(server.lastIndexOf(':') + 1);
        }
        hosts.add(host.isEmpty() ? "localhost" : host);
        try {
            ports.add(port.isEmpty() ? DEFAULT_PORT : Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new CliException("--postgres-url: port '" + port + "' is not a number in " + redacted(url));
        }
    }

    /** As the driver decodes the database and the parameters ({@code +} is a space there too). */
    private static String decode(String text, String url) throws CliException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new CliException("--postgres-url: a bad %-escape in " + redacted(url));
        }
    }

    /** {@code url} without its parameters, which may hold the password. */
    static String redacted(String url) {
        int question = url.indexOf('?');
        return question < 0 ? url : url.substring(0, question) + "?...";
    }

    /** A psql command line for this database, each value quoted for a POSIX shell where it needs it. */
    String psql() {
        StringBuilder command = new StringBuilder("psql -h ").append(quoted(String.join(",", hosts)));
        command.append(" -p ")
                .append(String.join(",", ports.stream().map(String::valueOf).toList()));
        if (user != null && !user.isEmpty()) {
            command.append(" -U ").append(quoted(user));
        }
        if (!database.isEmpty()) {
            command.append(" -d ").append(quoted(database));
        }
        return command.toString();
    }

    static String quoted(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    /** For a progress line: host, port, database and user, never a password. */
    @Override
    public String toString() {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).indexOf(':') >= 0 ? "[" + hosts.get(i) + "]" : hosts.get(i);
            servers.add(host + ":" + ports.get(i));
        }
        return String.join(",", servers) + "/" + database + (user == null ? "" : " as " + user);
    }
}
