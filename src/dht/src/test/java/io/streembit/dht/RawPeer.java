package io.streembit.dht;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.transport.Hello;
import io.streembit.dht.transport.SecureChannel;
import io.streembit.dht.transport.SessionKeys;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.FrameDecoder;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.jose.Jws;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer for hostile-input tests: it speaks the wire protocol of docs/dht.md
 * directly over a socket (hello, session keys, sealed frames), so a test can send exactly the
 * bytes an attacker would, including ones the real {@code PeerConnection} never produces.
 * Blocking calls, from the test thread only (the channel's counters are not shared).
 */
public final class RawPeer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final NetSocket socket;
    private final LinkedBlockingQueue<Buffer> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private SecureChannel channel;
    private long nextId = 1;

    private RawPeer(NetSocket socket) {
        this.socket = socket;
        FrameDecoder decoder = new FrameDecoder(65536, frames::add, length -> socket.close());
        socket.handler(decoder::feed);
        socket.closeHandler(v -> closed.complete(null));
    }

    public static RawPeer connect(Vertx vertx, int port) throws Exception {
        NetSocket socket = vertx.createNetClient()
                .connect(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        return new RawPeer(socket);
    }

    /** Connects and completes a genuine handshake as {@code me}; fails when the node closes instead. */
    public static RawPeer open(Vertx vertx, int port, Identity me) throws Exception {
        RawPeer peer = connect(vertx, port);
        peer.handshake(me, "streembit");
        return peer;
    }

    /** Sends our hello, reads the node's, and derives the session keys (we are the initiator). */
    public Hello handshake(Identity me, String network) throws Exception {
        PrivateKey ephemeral = PrivateKey.generate(RANDOM);
        byte[] nonce = new byte[Hello.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Hello mine = new Hello(
                1,
                network,
                me.publicKey(),
                Identity.of(ephemeral).publicKey(),
                nonce,
                System.currentTimeMillis() / 1000,
                0,
                null);
        sendRaw(mine.sign(me, Jws.standard()).getBytes(StandardCharsets.US_ASCII));
        Buffer reply = nextFrame();
        if (reply == null) {
            throw new IllegalStateException("the node closed the connection instead of answering the hello");
        }
        Hello theirs = Hello.verify(reply.toString(StandardCharsets.US_ASCII), Jws.standard());
        channel = SessionKeys.derive(ephemeral, mine, theirs, true);
        return theirs;
    }

    /** Writes one frame with {@code body} as its payload, exactly as given. */
    public void sendRaw(byte[] body) {
        socket.write(FrameDecoder.encode(body));
    }

    /** Writes one sealed frame (the next counter) around {@code plaintext}. */
    public void sendSealed(byte[] plaintext) {
        sendRaw(channel.seal(plaintext));
    }

    /** Sends a request without waiting; returns its id. */
    public long send(Op op, ObjectNode body) {
        long id = nextId++;
        sendSealed(Envelope.encode(new Envelope.Request(id, op, body)));
        return id;
    }

    /** Sends a request and waits for its answer; null when the node closed the connection instead. */
    public Envelope.Response call(Op op, ObjectNode body) throws Exception {
        long id = send(op, body);
        Envelope.Response response;
        do {
            response = nextResponse();
        } while (response != null && response.id() != id);
        return response;
    }

    /** The next answer from the node (its own requests to us are answered on the way); null once closed. */
    public Envelope.Response nextResponse() throws Exception {
        while (true) {
            Buffer frame = nextFrame();
            if (frame == null) {
                return null;
            }
            Envelope envelope = open(frame);
            if (envelope instanceof Envelope.Response response) {
                return response;
            }
            // the node may hand records over to us, or ping us: answer like an idle peer
            sendSealed(Envelope.encode(Envelope.Response.ok(envelope.id(), Json.object())));
        }
    }

    /** Every answer until the node closes the connection. */
    public List<Envelope.Response> responsesUntilClosed() throws Exception {
        List<Envelope.Response> out = new ArrayList<>();
        for (Envelope.Response r = nextResponse(); r != null; r = nextResponse()) {
            out.add(r);
        }
        return out;
    }

    private Envelope open(Buffer frame) throws ProtocolException {
        return Envelope.decode(channel.open(frame.getBytes()));
    }

    /** The next frame, or null once the connection closed with nothing left to read. */
    private Buffer nextFrame() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Buffer frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                return frame;
            }
            if (closed.isDone() && frames.isEmpty()) {
                return null;
            }
        }
        throw new IllegalStateException("no frame and no close within " + WAIT);
    }

    /** Waits until the node closes the connection; true when it did. */
    boolean awaitClosed() {
        try {
            closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Frames received and not read yet. */
    int unread() {
        return frames.size();
    }

    @Override
    public void close() {
        socket.close();
    }
}
