package io.streembit.protocol.keyfile;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.crypto.CurveParams;
import io.streembit.protocol.identity.Identity;
import io.streembit.protocol.identity.PrivateKey;
import io.streembit.protocol.identity.PublicKey;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Imports a secp256k1 private key made elsewhere (devices often have one burned in at the
 * factory) from PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY},
 * with or without OpenSSL's {@code BEGIN EC PARAMETERS} block before it). Only the named curve
 * secp256k1 (OID 1.3.132.0.10) is accepted; encrypted PEM is refused (decrypt it first), and a
 * public key carried in the PEM must belong to its private key. Every refusal is BAD_KEY_FILE.
 */
public final class PemKeys {
    public static final ASN1ObjectIdentifier SECP256K1 = SECObjectIdentifiers.secp256k1;

    private PemKeys() {}

    public static Identity importPrivateKey(String pem) throws ProtocolException {
        PrivateKeyInfo info = privateKeyInfo(readSingleObject(pem));
        try {
            return toIdentity(info);
        } catch (RuntimeException e) {
            // Bouncy Castle's lazy ASN.1 accessors throw unchecked exceptions on bad DER.
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM's key structure is malformed");
        }
    }

    private static Identity toIdentity(PrivateKeyInfo info) throws ProtocolException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "not a secp256k1 key: the PEM holds a key of algorithm "
                            + algorithm.getAlgorithm().getId() + ", not an EC key");
        }
        checkCurve(algorithm.getParameters());
        ECPrivateKey ec;
        try {
            ec = ECPrivateKey.getInstance(info.parsePrivateKey());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM's EC private key structure is malformed");
        }
        ASN1Encodable innerCurve = ec.getParametersObject();
        if (innerCurve != null) {
            checkCurve(innerCurve);
        }
        BigInteger d = ec.getKey();
        if (d.signum() <= 0 || d.bitLength() > 256) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM's private key is outside [1, n-1]");
        }
        byte[] scalar = CurveParams.to32(d);
        Identity identity;
        try {
            identity = Identity.of(PrivateKey.fromBytes(scalar));
        } catch (ProtocolException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM's private key is outside [1, n-1]");
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
        checkPublicKey(identity, ec.getPublicKey());
        checkPublicKey(identity, info.getPublicKeyData());
        return identity;
    }

    private static Object readSingleObject(String pem) throws ProtocolException {
        if (pem == null) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "no PEM given");
        }
        Object key = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters) {
                    continue; // an "EC PARAMETERS" block, as `openssl ecparam -genkey` writes before the key
                }
                if (key != null) {
                    throw new ProtocolException(
                            ErrorCode.BAD_KEY_FILE,
                            "the PEM holds more than one object: give it exactly one private key");
                }
                key = object;
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage();
            if (message != null && message.startsWith("unrecognised object: ")) {
                // Names only the PEM label, e.g. "unrecognised object: OPENSSH PRIVATE KEY".
                throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "unsupported PEM block: " + message.substring(21));
            }
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM is malformed (bad base64 or DER)");
        }
        if (key == null) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "no PEM private key found (expected BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        return key;
    }

    private static PrivateKeyInfo privateKeyInfo(Object object) throws ProtocolException {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE,
                    "the PEM key is encrypted, which import does not support: decrypt it first"
                            + " (openssl pkey -in KEY.pem -out PLAIN.pem), import PLAIN.pem, then delete it");
        }
        if (object instanceof SubjectPublicKeyInfo || object instanceof X509CertificateHolder) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE, "the PEM holds a public key or certificate, not a private key");
        }
        throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM holds no private key");
    }

    private static void checkCurve(ASN1Encodable parameters) throws ProtocolException {
        if (parameters instanceof ASN1ObjectIdentifier oid) {
            if (!SECP256K1.equals(oid)) {
                throw new ProtocolException(
                        ErrorCode.BAD_KEY_FILE,
                        "not a secp256k1 key: its curve is " + oid.getId() + ", not secp256k1 (1.3.132.0.10)");
            }
            return;
        }
        if (parameters == null || parameters.toASN1Primitive() instanceof org.bouncycastle.asn1.ASN1Null) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "not a secp256k1 key: the PEM names no curve");
        }
        throw new ProtocolException(
                ErrorCode.BAD_KEY_FILE,
                "not a secp256k1 key: the curve is given by explicit parameters instead of the named curve secp256k1 (1.3.132.0.10)");
    }

    private static void checkPublicKey(Identity identity, ASN1BitString embedded) throws ProtocolException {
        if (embedded == null) {
            return;
        }
        PublicKey pub;
        try {
            pub = PublicKey.fromSec1(embedded.getOctets());
        } catch (ProtocolException | IllegalStateException e) {
            throw new ProtocolException(ErrorCode.BAD_KEY_FILE, "the PEM's public key is not a secp256k1 point");
        }
        if (!pub.equals(identity.publicKey())) {
            throw new ProtocolException(
                    ErrorCode.BAD_KEY_FILE, "the PEM's public key does not belong to its private key");
        }
    }
}
