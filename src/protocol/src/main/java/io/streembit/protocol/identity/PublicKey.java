package io.streembit.protocol.identity;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Hex;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.crypto.Hashes;
import org.bouncycastle.math.ec.ECPoint;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A secp256k1 public key, always a valid point, held in its 33-byte compressed SEC1 form (the
 * only form on the wire). Its {@link NodeId} is SHA-1 of those 33 bytes.
 */
public final class PublicKey {
    public static final int COMPRESSED_BYTES = 33;
    /**
     * Keys parsed from hex, by their hex. The same few thousand keys come back in every DHT reply
     * (contacts) and record (kid and pub), and checking that a compressed key is on the curve costs
     * a field square root (~100 µs with Bouncy Castle): profiling a gateway showed 60 % of its
     * event loop there. Only valid keys enter; past the bound the map starts over (no LRU
     * bookkeeping on the hot path; a busy node refills it within seconds).
     */
    private static final int KNOWN_MAX = 16_384;

    private static final ConcurrentHashMap<String, PublicKey> KNOWN = new ConcurrentHashMap<>();

    private final byte[] compressed;
    /**
     * The uncompressed form (04 || x || y), kept from the parse that checked the point: handing it
     * to the curve arithmetic spares libsecp256k1 the square root of decompressing the key on every
     * signature check (3 µs of a 26 µs verify). Null only for {@link #trusted} keys (our own).
     */
    private final byte[] uncompressed;
    // Computed when first asked for: every JWE brings an ephemeral key that only meets one ECDH.
    // A race computes the same immutable value twice, which is harmless.
    private String hex;
    private NodeId nodeId;

    private PublicKey(byte[] compressed, byte[] uncompressed) {
        this.compressed = compressed;
        this.uncompressed = uncompressed;
    }

    /** Parses the wire form: 66 lowercase hex characters of a compressed point. */
    public static PublicKey fromHex(String hex) throws ProtocolException {
        if (hex == null) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "public key is missing");
        }
        PublicKey known = KNOWN.get(hex);
        if (known != null) {
            return known;
        }
        PublicKey parsed = parseHex(hex);
        if (KNOWN.size() >= KNOWN_MAX) {
            KNOWN.clear();
        }
        KNOWN.put(hex, parsed);
        return parsed;
    }

    private static PublicKey parseHex(String hex) throws ProtocolException {
        if (hex.length() != COMPRESSED_BYTES * 2) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY,
                    "public key must be 66 hex characters (33-byte compressed point), got " + hex.length());
        }
        byte[] bytes;
        try {
            bytes = Hex.decode(hex, COMPRESSED_BYTES, "public key");
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "public key is not lowercase hex");
        }
        return fromCompressed(bytes);
    }

    /** Parses 33 bytes of a compressed SEC1 point. */
    public static PublicKey fromCompressed(byte[] bytes) throws ProtocolException {
        if (bytes.length != COMPRESSED_BYTES) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY, "public key must be 33 bytes (compressed point), got " + bytes.length);
        }
        if (bytes[0] != 0x02 && bytes[0] != 0x03) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "public key must start with 02 or 03 (compressed point)");
        }
        return fromSec1(bytes);
    }

    /** Parses any SEC1 encoding (compressed 33 bytes or uncompressed 65 bytes). */
    public static PublicKey fromSec1(byte[] bytes) throws ProtocolException {
        try {
            ECPoint point = CurveParams.decodePoint(bytes.clone()); // checks the point is on the curve
            return new PublicKey(point.getEncoded(true), point.getEncoded(false));
        } catch (RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "public key is not a point on secp256k1");
        }
    }

    /** Builds a key from affine coordinates (JWK x and y), checking the point is on the curve. */
    public static PublicKey fromAffine(byte[] x, byte[] y) throws ProtocolException {
        if (x.length != 32 || y.length != 32) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "point coordinates must be 32 bytes each");
        }
        byte[] uncompressed = new byte[65];
        uncompressed[0] = 0x04;
        System.arraycopy(x, 0, uncompressed, 1, 32);
        System.arraycopy(y, 0, uncompressed, 33, 32);
        return fromSec1(uncompressed);
    }

    static PublicKey trusted(byte[] compressed) {
        return new PublicKey(compressed, null);
    }

    /** A copy of the 33 compressed bytes. */
    public byte[] compressed() {
        return compressed.clone();
    }

    /** The 65-byte uncompressed encoding (04 || x || y). */
    public byte[] uncompressed() {
        return uncompressed != null
                ? uncompressed.clone()
                : CurveParams.decodePoint(compressed).getEncoded(false);
    }

    /**
     * A copy of the SEC1 encoding the curve arithmetic parses cheapest: the uncompressed form,
     * which spares the square root that decompressing takes (signature checks, ECDH); the
     * compressed one only for an {@link Identity}'s own key, which is rarely on the far side of one.
     */
    public byte[] sec1() {
        return (uncompressed != null ? uncompressed : compressed).clone();
    }

    public String hex() {
        String h = hex;
        if (h == null) {
            h = Hex.encode(compressed);
            hex = h;
        }
        return h;
    }

    public NodeId nodeId() {
        NodeId id = nodeId;
        if (id == null) {
            id = NodeId.of(Hashes.sha1(compressed));
            nodeId = id;
        }
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && Arrays.equals(compressed, other.compressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return hex();
    }
}
