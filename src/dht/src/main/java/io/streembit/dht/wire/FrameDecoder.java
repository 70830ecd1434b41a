package io.streembit.dht.wire;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into frames: a 4-byte big-endian length, then that many bytes.
 * A length of zero or above the maximum is reported as soon as the 4 length bytes arrive,
 * before any of the body is buffered, so a peer cannot make us allocate a huge frame.
 */
public final class FrameDecoder {
    public static final int LENGTH_BYTES = 4;

    private final int maxFrameBytes;
    private final Consumer<Buffer> onFrame;
    private final Consumer<Long> onOversized;
    private Buffer pending = Buffer.buffer();
    private boolean failed;

    public FrameDecoder(int maxFrameBytes, Consumer<Buffer> onFrame, Consumer<Long> onOversized) {
        this.maxFrameBytes = maxFrameBytes;
        this.onFrame = onFrame;
        this.onOversized = onOversized;
    }

    public void feed(Buffer chunk) {
        if (failed) {
            return;
        }
        pending.appendBuffer(chunk);
        int offset = 0;
        while (pending.length() - offset >= LENGTH_BYTES) {
            long length = pending.getUnsignedInt(offset);
            if (length == 0 || length > maxFrameBytes) {
                failed = true;
                pending = Buffer.buffer();
                onOversized.accept(length);
                return;
            }
            if (pending.length() - offset - LENGTH_BYTES < length) {
                break;
            }
            Buffer frame = pending.getBuffer(offset + LENGTH_BYTES, offset + LENGTH_BYTES + (int) length);
            offset += LENGTH_BYTES + (int) length;
            onFrame.accept(frame);
            if (failed) {
                return;
            }
        }
        pending = offset == 0 ? pending : pending.getBuffer(offset, pending.length());
    }

    /** Stops delivering frames (the connection is being closed). */
    public void stop() {
        failed = true;
    }

    /** A frame ready to write: the length prefix followed by {@code payload}. */
    public static Buffer encode(byte[] payload) {
        return Buffer.buffer(LENGTH_BYTES + payload.length)
                .appendInt(payload.length)
                .appendBytes(payload);
    }
}
