package io.streembit.dht.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.dht.DhtOptions;
import io.streembit.dht.wire.Contact;
import io.streembit.dht.wire.Envelope;
import io.streembit.dht.wire.FrameDecoder;
import io.streembit.dht.wire.Op;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.AesGcm;
import io.streembit.protocol.identity.NodeId;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.identity.PublicKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One TCP connection to a peer: framing, the signed handshake, the AEAD channel, and the
 * requests in both directions multiplexed by id. Every method runs on the owning node's
 * event-loop context. Any protocol violation closes the connection with a reason that is
 * counted; the peer never gets a second chance on the same connection.
 */
public final class PeerConnection {
    private enum State {
        HANDSHAKE,
        OPEN,
        CLOSED
    }

    private final Transport transport;
    private final NetSocket socket;
    private final boolean initiator;
    private final NodeId expectedPeer;
    private final FrameDecoder decoder;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Promise<PeerConnection> opened = Promise.promise();
    private final String remoteIp;

    private State state = State.HANDSHAKE;
    private PrivateKey ephemeral;
    private Hello ownHello;
    private SecureChannel channel;
    private Contact remote;
    private boolean verified;
    private long nextId = 1;
    private long bytesInFlight;
    private long handshakeTimer;
    private long lastUsedNanos = System.nanoTime();

    private record Pending(Promise<ObjectNode> promise, long timer, Op op, long started) {}

    PeerConnection(Transport transport, NetSocket socket, boolean initiator, NodeId expectedPeer) {
        this.transport = transport;
        this.socket = socket;
        this.initiator = initiator;
        this.expectedPeer = expectedPeer;
        this.remoteIp =
                socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
        DhtOptions options = transport.options();
        this.decoder = new FrameDecoder(options.maxFrameBytes(), this::onFrame, length -> close("oversized-frame"));
        socket.handler(decoder::feed);
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(e -> close("io-error"));
        // Runs until the peer is verified: a responder whose initiator sends no authenticated
        // frame after the hellos (a replayed hello, or a silent peer) would otherwise hold an
        // open connection that no limit counts until the idle timeout.
        handshakeTimer = transport.vertx().setTimer(options.handshakeTimeout().toMillis(), id -> {
            if (state == State.HANDSHAKE || (state == State.OPEN && !verified)) {
                close("handshake-timeout");
            }
        });
        if (initiator) {
            sendHello(null);
        }
    }

    /** Completes once the handshake succeeded; fails when the connection closes first. */
    public Future<PeerConnection> opened() {
        return opened.future();
    }

    /** The authenticated peer (null before the handshake completes). */
    public Contact remote() {
        return remote;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether the peer has proven it holds the session keys (initiators: at handshake). */
    public boolean verified() {
        return verified;
    }

    /** When this connection last carried a request or answer. */
    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** No request in either direction is waiting for an answer. */
    boolean idle() {
        return pending.isEmpty() && bytesInFlight == 0;
    }

    /** Sends a request; the future fails with {@link RpcException} on error, timeout or close. */
    public Future<ObjectNode> request(Op op, ObjectNode body) {
        if (state != State.OPEN) {
            return Future.failedFuture(new RpcException(RpcException.CLOSED, "connection is not open"));
        }
        long id = nextId;
        nextId = nextId == Envelope.MAX_ID ? 1 : nextId + 1;
        byte[] plaintext = Envelope.encode(new Envelope.Request(id, op, body));
        if (plaintext.length + AesGcm.TAG_BYTES > transport.options().maxFrameBytes()) {
            return Future.failedFuture(new RpcException(ErrorCode.TOO_LARGE.code(), "request exceeds the frame limit"));
        }
        Promise<ObjectNode> promise = Promise.promise();
        long timer = transport
                .vertx()
                .setTimer(transport.options().requestTimeout().toMillis(), t -> {
                    Pending p = pending.remove(id);
                    if (p != null) {
                        transport.metrics().rpcSent(op.name(), RpcException.TIMEOUT, System.nanoTime() - p.started());
                        p.promise()
                                .tryFail(new RpcException(RpcException.TIMEOUT, op + " to " + remote + " timed out"));
                    }
                });
        lastUsedNanos = System.nanoTime();
        pending.put(id, new Pending(promise, timer, op, lastUsedNanos));
        writeSealed(plaintext);
        return promise.future();
    }

    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        decoder.stop();
        transport.vertx().cancelTimer(handshakeTimer);
        if (!"closed".equals(reason) && !"shutdown".equals(reason) && !"peer-closed".equals(reason)) {
            transport.metrics().rejected(reason);
        }
        for (Pending p : pending.values()) {
            transport.vertx().cancelTimer(p.timer());
            p.promise().tryFail(new RpcException(RpcException.CLOSED, "connection closed: " + reason));
        }
        pending.clear();
        if (ephemeral != null) {
            ephemeral.destroy();
        }
        opened.tryFail(new RpcException(RpcException.CLOSED, "connection closed during handshake: " + reason));
        socket.close();
        transport.connectionClosed(this, wasOpen, reason);
    }

    private void onSocketClosed() {
        close("peer-closed");
    }

    private void sendHello(byte[] peerNonce) {
        ephemeral = PrivateKey.generate(transport.random());
        byte[] nonce = new byte[Hello.NONCE_BYTES];
        transport.random().nextBytes(nonce);
        try {
            ownHello = new Hello(
                    DhtOptions.PROTOCOL_VERSION,
                    transport.options().networkId(),
                    transport.identity().publicKey(),
                    PublicKey.fromSec1(
                            io.streembit.protocol.crypto.Secp256k1Backends.get().publicKey(exportAndKeep(ephemeral))),
                    nonce,
                    transport.clock().instant().getEpochSecond(),
                    transport.listenPort(),
                    peerNonce);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a generated ephemeral key is always valid", e);
        }
        socket.write(FrameDecoder.encode(
                ownHello.sign(transport.identity(), transport.jws()).getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] exportAndKeep(PrivateKey key) {
        return key.exportSecret();
    }

    private void onFrame(Buffer frame) {
        if (state == State.HANDSHAKE) {
            onHello(frame);
        } else if (state == State.OPEN) {
            onSealedFrame(frame);
        }
    }

    private void onHello(Buffer frame) {
        Hello hello;
        try {
            hello = Hello.verify(frame.toString(StandardCharsets.US_ASCII), transport.jws());
            transport.handshakePolicy().check(hello, initiator ? ownHello.nonce() : null, expectedPeer);
        } catch (ProtocolException e) {
            close("handshake-" + e.code().code());
            return;
        }
        if (transport.isBanned(hello.staticKey().nodeId(), remoteIp)) {
            close("banned");
            return;
        }
        if (!initiator) {
            sendHello(hello.nonce());
        }
        Hello initiatorHello = initiator ? ownHello : hello;
        Hello responderHello = initiator ? hello : ownHello;
        channel = SessionKeys.derive(ephemeral, initiatorHello, responderHello, initiator);
        ephemeral.destroy();
        ephemeral = null;
        int port = hello.port() > 0 ? hello.port() : socket.remoteAddress().port();
        String host = initiator && transport.dialedHost(this) != null ? transport.dialedHost(this) : remoteIp;
        remote = Contact.of(hello.staticKey(), host, port);
        state = State.OPEN;
        // An initiator's peer proved liveness by echoing our nonce; a responder waits for the
        // first authenticated frame, since an initiator hello alone could be a replay.
        if (initiator) {
            markVerified();
        }
        opened.tryComplete(this);
    }

    private void markVerified() {
        if (!verified) {
            verified = true;
            transport.vertx().cancelTimer(handshakeTimer);
            transport.connectionVerified(this);
        }
    }

    private void onSealedFrame(Buffer frame) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(channel.open(frame.getBytes()));
        } catch (ProtocolException e) {
            close(e.code() == ErrorCode.DECRYPT_FAILED ? "bad-frame" : "malformed-message");
            return;
        }
        markVerified();
        if (state != State.OPEN) {
            return;
        }
        lastUsedNanos = System.nanoTime();
        if (envelope instanceof Envelope.Response response) {
            onResponse(response);
        } else if (envelope instanceof Envelope.Request request) {
            onRequest(request, frame.length());
        }
    }

    private void onResponse(Envelope.Response response) {
        Pending p = pending.remove(response.id());
        if (p == null) {
            return; // late answer after a timeout
        }
        transport.vertx().cancelTimer(p.timer());
        long nanos = System.nanoTime() - p.started();
        if (response.ok()) {
            transport.metrics().rpcSent(p.op().name(), "ok", nanos);
            p.promise().tryComplete(response.body());
        } else {
            transport.metrics().rpcSent(p.op().name(), response.code(), nanos);
            p.promise().tryFail(new RpcException(response.code(), response.message()));
        }
    }

    private void onRequest(Envelope.Request request, int frameBytes) {
        String limit = transport.admitRequest(this, frameBytes, bytesInFlight);
        if (limit != null) {
            transport.ban(remote.id(), remoteIp);
            close(limit);
            return;
        }
        bytesInFlight += frameBytes;
        transport.metrics().rpcServed(request.op().name());
        Future<ObjectNode> answer;
        try {
            answer = transport.handler().handle(remote, request);
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> {
            bytesInFlight -= frameBytes;
            if (state != State.OPEN) {
                return;
            }
            Envelope.Response response;
            if (ar.succeeded()) {
                response = Envelope.Response.ok(request.id(), ar.result());
            } else if (ar.cause() instanceof ProtocolException pe) {
                transport
                        .metrics()
                        .rejected(request.op().name().toLowerCase() + "-"
                                + pe.code().code());
                response = Envelope.Response.error(request.id(), pe.code(), pe.getMessage());
            } else {
                response = Envelope.Response.error(
                        request.id(),
                        ErrorCode.MALFORMED,
                        "request failed: " + ar.cause().getClass().getSimpleName());
            }
            byte[] plaintext = Envelope.encode(response);
            if (plaintext.length + AesGcm.TAG_BYTES > transport.options().maxFrameBytes()) {
                plaintext = Envelope.encode(
                        Envelope.Response.error(request.id(), ErrorCode.TOO_LARGE, "answer exceeds the frame limit"));
            }
            writeSealed(plaintext);
        });
    }

    private void writeSealed(byte[] plaintext) {
        socket.write(FrameDecoder.encode(channel.seal(plaintext)));
    }

    @Override
    public String toString() {
        return "PeerConnection[" + (remote == null ? remoteIp : remote) + ", " + state + "]";
    }
}
