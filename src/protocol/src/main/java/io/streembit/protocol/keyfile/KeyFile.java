package io.streembit.protocol.keyfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.Base64Url;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.AesGcm;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.identity.PublicKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * A private key at rest (docs/protocol.md section 4): the 32-byte scalar sealed with AES-256-GCM
 * under an Argon2id key derived from the passcode, the KDF parameters, salt and IV in the file,
 * and the public key and account in clear so a file can be identified without its passcode.
 *
 * <p>The AAD binds the format version, every KDF parameter, the salt, the cipher and the public
 * key: a file whose public key was swapped for another (to make its owner sign as someone else
 * or encrypt to the wrong key) or whose parameters were lowered does not open. Instances are
 * immutable and hold only ciphertext; {@link #open} returns the {@link Identity}.
 */
public final class KeyFile {
    public static final int VERSION = 1;
    public static final String KDF_ALG = "argon2id";
    public static final String CIPHER_ALG = "A256GCM";
    public static final int SALT_BYTES = 16;
    static final int MIN_SALT_BYTES = 16;
    static final int MAX_SALT_BYTES = 64;
    /** 32-byte scalar followed by the 16-byte GCM tag, in one field. */
    static final int SEALED_BYTES = 32 + AesGcm.TAG_BYTES;
    /** Far above any real key file; refuses to read a large file into memory by mistake. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Set<String> TOP_MEMBERS =
            Set.of("version", "kdf", "cipher", "ciphertext", "public_key", "account");
    private static final Set<String> KDF_MEMBERS = Set.of("alg", "m", "t", "p", "salt");
    private static final Set<String> CIPHER_MEMBERS = Set.of("alg", "iv");

    private final KdfParams kdf;
    private final byte[] salt;
    private final byte[] iv;
    private final byte[] sealed;
    private final PublicKey publicKey;

    private KeyFile(KdfParams kdf, byte[] salt, byte[] iv, byte[] sealed, PublicKey publicKey) {
        this.kdf = kdf;
        this.salt = salt;
        this.iv = iv;
        this.sealed = sealed;
        this.publicKey = publicKey;
    }

    /**
     * Seals {@code identity}'s private key under {@code passcode}, which must meet the
     * {@link PasscodePolicy}. Draws the salt, then the IV, from {@code random}.
     */
    public static KeyFile create(Identity identity, char[] passcode, KdfParams kdf, SecureRandom random)
            throws ProtocolException {
        PasscodePolicy.check(passcode);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] iv = new byte[AesGcm.IV_BYTES];
        random.nextBytes(iv);
        PublicKey publicKey = identity.publicKey();
        byte[] kek = PasscodeKdf.derive(passcode, salt, kdf);
        byte[] secret = identity.privateKey().exportSecret();
        try {
            AesGcm.Sealed out = AesGcm.seal(kek, iv, secret, aad(kdf, salt, publicKey));
            byte[] sealed = new byte[SEALED_BYTES];
            System.arraycopy(out.ciphertext(), 0, sealed, 0, 32);
            System.arraycopy(out.tag(), 0, sealed, 32, AesGcm.TAG_BYTES);
            return new KeyFile(kdf, salt, iv, sealed, publicKey);
        } finally {
            Arrays.fill(kek, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Decrypts the private key. A wrong passcode and a modified file both fail the GCM tag:
     * {@link ErrorCode#WRONG_PASSCODE}. A key that decrypts but is not the stored public key's
     * (only a broken or hostile writer makes one) is {@link ErrorCode#BAD_KEY_FILE}.
     */
    public Identity open(char[] passcode) throws ProtocolException {
        byte[] kek;
        try {
            kek = PasscodeKdf.derive(passcode, salt, kdf);
        } catch (ProtocolException e) {
            // Not valid Unicode text: no file was ever made with such a passcode.
            throw new ProtocolException(ErrorCode.WRONG_PASSCODE, "the key file does not open with this passcode");
        }
        byte[] secret = null;
        try {
            byte[] ciphertext = Arrays.copyOfRange(sealed, 0, 32);
            byte[] tag = Arrays.copyOfRange(sealed, 32, SEALED_BYTES);
            secret = AesGcm.open(kek, iv, ciphertext, tag, aad(kdf, salt, publicKey));
            PrivateKey privateKey;
            try {
                privateKey = PrivateKey.fromBytes(secret);
            } catch (ProtocolException e) {
                throw new ProtocolException(
                        ErrorCode.BAD_KEY_FILE, "the decrypted private key is not a valid secp256k1 key");
            }
            Identity identity = Identity.of(privateKey);
            if (!identity.publicKey().equals(publicKey)) {
                privateKey.destroy();
                throw new ProtocolException(
                        ErrorCode.BAD_KEY_FILE, "the decrypted private key does not belong to the file's public_key");
            }
            return identity;
        } catch (AesGcm.TagMismatchException e) {
            throw new ProtocolException(
                    ErrorCode.WRONG_PASSCODE,
                    "the key file does not open with this passcode (wrong passcode, or the file was modified)");
        } finally {
            Arrays.fill(kek, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /**
     * Re-seals the key under {@code newPasscode} (policy checked) with a fresh salt and IV and
     * the same KDF parameters. The old file is left alone: the caller writes the new one over it.
     */
    public KeyFile changePasscode(char[] oldPasscode, char[] newPasscode, SecureRandom random)
            throws ProtocolException {
        PasscodePolicy.check(newPasscode);
        Identity identity = open(oldPasscode);
        try {
            return create(identity, newPasscode, kdf, random);
        } finally {
            identity.privateKey().destroy();
        }
    }

    /**
     * The additional authenticated data, ASCII:
     * {@code streembit-keyfile/1;argon2id;m=<m>;t=<t>;p=<p>;salt=<b64u>;A256GCM;pub=<hex>}.
     * The IV needs no place here: GCM authenticates it already.
     */
    static byte[] aad(KdfParams kdf, byte[] salt, PublicKey publicKey) {
        String text = "streembit-keyfile/" + VERSION + ";" + KDF_ALG
                + ";m=" + kdf.memoryKib() + ";t=" + kdf.iterations() + ";p=" + kdf.parallelism()
                + ";salt=" + Base64Url.encode(salt) + ";" + CIPHER_ALG + ";pub=" + publicKey.hex();
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The account id (SHA-1 of the public key), 40 hex characters. */
    public String account() {
        return publicKey.nodeId().hex();
    }

    public KdfParams kdf() {
        return kdf;
    }

    /** The file's bytes: one line of compact JSON, members in the documented order, then a newline. */
    public byte[] toBytes() {
        ObjectNode kdfNode = Json.object();
        kdfNode.put("alg", KDF_ALG);
        kdfNode.put("m", kdf.memoryKib());
        kdfNode.put("t", kdf.iterations());
        kdfNode.put("p", kdf.parallelism());
        kdfNode.put("salt", Base64Url.encode(salt));
        ObjectNode cipher = Json.object();
        cipher.put("alg", CIPHER_ALG);
        cipher.put("iv", Base64Url.encode(iv));
        ObjectNode root = Json.object();
        root.put("version", VERSION);
        root.set("kdf", kdfNode);
        root.set("cipher", cipher);
        root.put("ciphertext", Base64Url.encode(sealed));
        root.put("public_key", publicKey.hex());
        root.put("account", account());
        return (Json.text(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the file atomically: a temporary file in the same directory, created owner-only
     * (0600) where the file system is POSIX, flushed to disk, then renamed over {@code path}.
     * A crash leaves either the old file or the new one, never half of one. Replaces an
     * existing file: refusing to overwrite is the caller's decision.
     */
    public void write(Path path) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path temp;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            temp = Files.createTempFile(
                    dir,
                    ".streembit-key-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            temp = Files.createTempFile(dir, ".streembit-key-", ".tmp");
        }
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(toBytes());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Reads and parses a key file; I/O failures are IOExceptions, format errors BAD_KEY_FILE. */
    public static KeyFile read(Path path) throws IOException, ProtocolException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "file is too large to be a key file");
        }
        return parse(bytes);
    }

    /** Parses a key file's bytes; every deviation from the format is BAD_KEY_FILE, saying which. */
    public static KeyFile parse(byte[] bytes) throws ProtocolException {
        ObjectNode root;
        try {
            root = Json.parseObject(bytes, "key file");
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "not a key file: it is not one JSON object");
        }
        onlyMembers(root, TOP_MEMBERS, "key file");
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "key file has no integer 'version'");
        }
        if (!version.canConvertToInt() || version.intValue() != VERSION) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "unsupported key file version " + truncate(version.asText()) + " (this build reads version "
                            + VERSION + ")");
        }

        ObjectNode kdfNode = object(root, "kdf");
        onlyMembers(kdfNode, KDF_MEMBERS, "kdf");
        String kdfAlg = text(kdfNode, "alg", "kdf.alg");
        if (!KDF_ALG.equals(kdfAlg)) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE, "kdf.alg must be argon2id, got '" + truncate(kdfAlg) + "'");
        }
        KdfParams kdf = KdfParams.fromFile(integer(kdfNode, "m"), integer(kdfNode, "t"), integer(kdfNode, "p"));
        byte[] salt = base64(kdfNode, "salt", "kdf.salt");
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "kdf.salt must be " + MIN_SALT_BYTES + ".." + MAX_SALT_BYTES + " bytes, got " + salt.length);
        }

        ObjectNode cipher = object(root, "cipher");
        onlyMembers(cipher, CIPHER_MEMBERS, "cipher");
        String cipherAlg = text(cipher, "alg", "cipher.alg");
        if (!CIPHER_ALG.equals(cipherAlg)) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE, "cipher.alg must be A256GCM, got '" + truncate(cipherAlg) + "'");
        }
        byte[] iv = base64(cipher, "iv", "cipher.iv");
        if (iv.length != AesGcm.IV_BYTES) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "cipher.iv must be 12 bytes, got " + iv.length);
        }

        byte[] sealed = base64(root, "ciphertext", "ciphertext");
        if (sealed.length != SEALED_BYTES) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "ciphertext must be 48 bytes (32-byte key, 16-byte tag), got " + sealed.length);
        }

        PublicKey publicKey;
        try {
            publicKey = PublicKey.fromHex(text(root, "public_key", "public_key"));
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.BAD_KEY_FILE) {
                throw e;
            }
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "public_key is invalid: " + e.getMessage());
        }
        String account = text(root, "account", "account");
        if (!account.equals(publicKey.nodeId().hex())) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "account is not the SHA-1 of public_key");
        }
        return new KeyFile(kdf, salt, iv, sealed, publicKey);
    }

    private static void onlyMembers(ObjectNode node, Set<String> allowed, String what) throws ProtocolException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ProtocolException(
                        ErrorCode.BAD_KEY_FILE, what + " has an unexpected member '" + truncate(name) + "'");
            }
        }
    }

    private static ObjectNode object(ObjectNode parent, String name) throws ProtocolException {
        JsonNode node = parent.get(name);
        if (!(node instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "key file has no '" + name + "' object");
        }
        return object;
    }

    private static String text(ObjectNode parent, String name, String what) throws ProtocolException {
        JsonNode node = parent.get(name);
        if (node == null || !node.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "key file has no string '" + what + "'");
        }
        return node.textValue();
    }

    private static long integer(ObjectNode kdf, String name) throws ProtocolException {
        JsonNode node = kdf.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "key file has no integer 'kdf." + name + "'");
        }
        return node.longValue();
    }

    private static byte[] base64(ObjectNode parent, String name, String what) throws ProtocolException {
        String text = text(parent, name, what);
        try {
            return Base64Url.decode(text, what);
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, what + " is not canonical unpadded base64url");
        }
    }

    private static String truncate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }

    @Override
    public String toString() {
        return "KeyFile[account=" + account() + ", public_key=" + publicKey.hex() + ", kdf=" + kdf + "]";
    }
}
