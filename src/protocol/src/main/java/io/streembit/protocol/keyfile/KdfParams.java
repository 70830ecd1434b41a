package io.streembit.protocol.keyfile;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

/**
 * Argon2id cost parameters of a key file: memory in KiB, iterations, parallelism (lanes). They
 * are stored in the file, so a file opens with the parameters it was made with.
 *
 * <p>The upper bounds keep a hostile key file from making the reader allocate unbounded memory
 * or spin for hours; the lower bounds are Argon2's own minimums. Light parameters (for tests)
 * are accepted on purpose: the cost is the file owner's choice, and the AAD binds it.
 */
public record KdfParams(int memoryKib, int iterations, int parallelism) {
    /**
     * m = 64 MiB, t = 3, p = 1 (RFC 9106's second recommended option with one lane, since
     * Bouncy Castle runs lanes sequentially anyway): about 0.3 s in a warm JVM and 0.8-0.9 s
     * in a cold CLI on the project's 2-core machines.
     */
    public static final KdfParams DEFAULT = new KdfParams(65_536, 3, 1);

    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;

    public KdfParams {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be 8*p.." + MAX_MEMORY_KIB + " KiB");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS);
        }
    }

    /** As the constructor, for values read from a file: out of range is a bad key file. */
    static KdfParams fromFile(long m, long t, long p) throws ProtocolException {
        if (p < 1 || p > MAX_PARALLELISM) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "kdf.p must be 1.." + MAX_PARALLELISM + ", got " + p);
        }
        if (m < 8 * p || m > MAX_MEMORY_KIB) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE, "kdf.m must be " + 8 * p + ".." + MAX_MEMORY_KIB + " KiB, got " + m);
        }
        if (t < 1 || t > MAX_ITERATIONS) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "kdf.t must be 1.." + MAX_ITERATIONS + ", got " + t);
        }
        return new KdfParams((int) m, (int) t, (int) p);
    }

    @Override
    public String toString() {
        return "argon2id(m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }
}
