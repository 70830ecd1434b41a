#!/usr/bin/env python3
"""Independent reference for the key-file vector (docs/protocol.md section 4).

Builds the key file with Python's `cryptography` package (OpenSSL's Argon2id and AES-GCM,
its own secp256k1), sharing no code with the Java implementation, and writes
keyfile-v1.json beside this script. KeyFileVectorTest checks the Java code against it.
Run: python3 make_keyfile_vector.py   (needs cryptography >= 44 for Argon2id)
"""
import base64
import hashlib
import json
import pathlib

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives import serialization


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# Key 0 of the independent JOSE vectors (vectors/jose-secp256k1.json).
private_hex = "1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d2f4a"
# Non-ASCII on purpose: pins the passcode encoding to UTF-8 without normalisation.
passcode = "Gr\u00fcne-Br\u00fccke-42"
m, t, p = 1024, 2, 1   # light parameters, for a fast vector; real files use m=65536, t=3, p=1
salt = bytes(range(16))
iv = bytes(range(0xA0, 0xAC))

private = ec.derive_private_key(int(private_hex, 16), ec.SECP256K1())
public = private.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.CompressedPoint)
public_hex = public.hex()
account = hashlib.sha1(public).hexdigest()

kek = Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=m).derive(passcode.encode("utf-8"))
aad = f"streembit-keyfile/1;argon2id;m={m};t={t};p={p};salt={b64u(salt)};A256GCM;pub={public_hex}".encode("ascii")
sealed = AESGCM(kek).encrypt(iv, bytes.fromhex(private_hex), aad)   # ciphertext || 16-byte tag

key_file = {
    "version": 1,
    "kdf": {"alg": "argon2id", "m": m, "t": t, "p": p, "salt": b64u(salt)},
    "cipher": {"alg": "A256GCM", "iv": b64u(iv)},
    "ciphertext": b64u(sealed),
    "public_key": public_hex,
    "account": account,
}
file_text = json.dumps(key_file, separators=(",", ":")) + "\n"

vector = {
    "about": "Key file made by an independent implementation (Python cryptography) with fixed salt and iv; see make_keyfile_vector.py",
    "private_hex": private_hex,
    "passcode": passcode,
    "kek_hex": kek.hex(),
    "aad": aad.decode("ascii"),
    "file": file_text,
}
out = pathlib.Path(__file__).with_name("keyfile-v1.json")
out.write_text(json.dumps(vector, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
print(file_text, end="")
