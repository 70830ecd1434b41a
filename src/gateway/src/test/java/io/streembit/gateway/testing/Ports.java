package io.streembit.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks free TCP ports on 127.0.0.1.
 *
 * <p>Why: the fault-test helpers ({@link EmbeddedPostgres}, {@link KafkaBroker}) must keep the
 * <em>same</em> address across a stop/start cycle so that the gateway under test, configured once
 * with that address, reconnects to the restarted server. Port 0 cannot give that, so a port is
 * chosen once, up front, and pinned.
 *
 * <p>There is an unavoidable race: the port is released before the server binds it, so another
 * process could take it in between. On a test machine that is rare enough; callers get a clear
 * bind error if it happens.
 */
public final class Ports {

    private Ports() {}

    /** One free port on 127.0.0.1. */
    public static int free() {
        return free(1)[0];
    }

    /**
     * {@code count} distinct free ports. All sockets are held open together before being released,
     * so the ports are guaranteed to differ from each other (two calls to {@link #free()} could,
     * in theory, return the same port twice).
     */
    public static int[] free(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                // SO_REUSEADDR so that the port, closed here while not yet connected, is at once
                // bindable by the real server (no TIME_WAIT on a listening socket, but be safe).
                sockets[i].setReuseAddress(true);
                sockets[i].bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing useful to do: the port was only probed
                    }
                }
            }
        }
    }
}
