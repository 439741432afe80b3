#!/usr/bin/env python3
"""Writes the known-answer vectors of docs/protocol.md §3 and §4 from a second,
independent implementation on Python's `cryptography` package (Debian:
python3-cryptography), so the C++ code is checked against something it was not
derived from:

  tests/crypto/testdata/sealed_vectors.txt              sealed envelopes, v2
  tests/crypto/testdata/sender_certificate_vectors.txt  certificates, key chain

Run from the repository root: python3 tools/vectors/make_vectors.py
Every input is fixed, so the output is the same on every run.
"""
import hashlib
import os
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RAW = serialization.Encoding.Raw
RAW_PUB = serialization.PublicFormat.Raw

BUCKETS = [1024, 4096, 16384, 65536, 262144]
CERT_LABEL = b"confidant sender certificate v1\x00"
ENDORSE_LABEL = b"confidant relay key v1\x00"
FINGERPRINT_LABEL = b"confidant relay key fingerprint v1\x00"
SEAL_INFO = b"confidant sealed sender v2"
SEALED_VERSION = 2


def seed(tag, n=32):
    return hashlib.sha256(b"confidant vectors " + tag).digest()[:n]


def clamp(k):
    k = bytearray(k)
    k[0] &= 248
    k[31] = (k[31] & 127) | 64
    return bytes(k)


def x25519_public(private):
    return x25519.X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(RAW, RAW_PUB)


def ed_public(s):
    return ed25519.Ed25519PrivateKey.from_private_bytes(s).public_key().public_bytes(RAW, RAW_PUB)


def ed_sign(s, message):
    return ed25519.Ed25519PrivateKey.from_private_bytes(s).sign(message)


def certificate(relay_seed, key_id, account_id, identity_key, expiry_hour):
    body = bytes([1]) + account_id + identity_key + struct.pack(">II", expiry_hour, key_id)
    return body + ed_sign(relay_seed, CERT_LABEL + body)


def endorsement(previous_seed, key_id, public, created_hour):
    return ed_sign(previous_seed, ENDORSE_LABEL + struct.pack(">I", key_id) + public +
                   struct.pack(">I", created_hour))


def fingerprint(public):
    d = hashlib.sha256(FINGERPRINT_LABEL + public).digest()[:20].hex()
    return " ".join(d[i:i + 4] for i in range(0, 40, 4))


def seal(cert, message_type, message, recipient_identity_key, recipient_account_id, ephemeral_private):
    overhead = 1 + 32 + len(cert) + 1 + 4 + 16
    size = next(b for b in BUCKETS if b >= len(message) + overhead)
    ephemeral_public = x25519_public(ephemeral_private)
    shared = x25519.X25519PrivateKey.from_private_bytes(ephemeral_private).exchange(
        x25519.X25519PublicKey.from_public_bytes(recipient_identity_key[1:]))
    key_nonce = HKDF(algorithm=hashes.SHA256(), length=44,
                     salt=ephemeral_public + recipient_identity_key, info=SEAL_INFO).derive(shared)
    inner = cert + bytes([message_type]) + struct.pack(">I", len(message)) + message
    inner += bytes(size - 33 - 16 - len(inner))
    ad = bytes([SEALED_VERSION]) + ephemeral_public + recipient_identity_key + recipient_account_id
    return bytes([SEALED_VERSION]) + ephemeral_public + AESGCM(key_nonce[:32]).encrypt(key_nonce[32:], inner, ad)


def block(comment, fields):
    lines = ["# " + comment]
    for name, value in fields:
        lines.append(f"{name} = {value.hex() if isinstance(value, bytes) else value}")
    return "\n".join(lines) + "\n"


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "crypto", "testdata")
    relay1 = seed(b"relay key 1")
    relay2 = seed(b"relay key 2")
    relay3 = seed(b"relay key 3")
    pub1, pub2, pub3 = ed_public(relay1), ed_public(relay2), ed_public(relay3)
    hour1, hour2, hour3 = 490000, 491000, 491500
    sender_private = clamp(seed(b"sender identity"))
    sender_key = b"\x05" + x25519_public(sender_private)
    sender_account = seed(b"sender account", 16)
    recipient_private = clamp(seed(b"recipient identity"))
    recipient_key = b"\x05" + x25519_public(recipient_private)
    recipient_account = seed(b"recipient account", 16)

    certs = []
    out = [
        "# Known-answer vectors for sender certificates and the relay key chain\n"
        "# (crypto/sender_certificate.h, docs/protocol.md §4), written by\n"
        "# tools/vectors/make_vectors.py. Blocks of `name = hex` lines separated by\n"
        "# blank lines; numbers are decimal; `fingerprint` is text.\n"
        "# A `key` block: relay key `id` made from the Ed25519 `seed` has\n"
        "# `public_key` and `fingerprint`; for id > 1, `endorsement` is the previous\n"
        "# key's signature over it. A `certificate` block: the key `signer_key_id`\n"
        "# issues `certificate` for (`account_id`, `identity_key`, `expiry_hour`).\n"
    ]
    for key_id, s, pub, hour, prev in ((1, relay1, pub1, hour1, None), (2, relay2, pub2, hour2, relay1),
                                       (3, relay3, pub3, hour3, relay2)):
        fields = [("kind", "key"), ("id", key_id), ("seed", s), ("public_key", pub),
                  ("created_hour", hour), ("fingerprint", fingerprint(pub)),
                  ("endorsement", endorsement(prev, key_id, pub, hour) if prev else b"")]
        out.append(block(f"relay key {key_id}", fields))
    for signer, s, expiry in ((1, relay1, hour1 + 168), (2, relay2, hour2 + 100), (3, relay3, hour3 + 168)):
        cert = certificate(s, signer, sender_account, sender_key, expiry)
        certs.append(cert)
        out.append(block(f"certificate by key {signer}", [
            ("kind", "certificate"), ("signer_key_id", signer), ("account_id", sender_account),
            ("identity_key", sender_key), ("expiry_hour", expiry), ("certificate", cert)]))
    with open(os.path.join(root, "sender_certificate_vectors.txt"), "w") as f:
        f.write("\n".join(out))

    cert = certs[0]
    sealed = [
        "# Known-answer vectors for sealed envelopes, version 2 (crypto/sealed.h,\n"
        "# docs/protocol.md §3), written by tools/vectors/make_vectors.py. Blocks of\n"
        "# `name = hex` lines, separated by blank lines; `#` starts a comment line;\n"
        "# an empty value is zero bytes; message_type is decimal. Each block:\n"
        "# sealing `message` (with the sender certificate and message_type) for the\n"
        "# recipient with the ephemeral private key gives exactly `envelope`, and the\n"
        "# recipient's private key unseals `envelope` to the same content. Private\n"
        "# keys are 32-byte clamped Curve25519 scalars; identity keys are 0x05 || u\n"
        "# (33 bytes); account ids are 16 bytes; the certificate is the first one of\n"
        "# sender_certificate_vectors.txt.\n"
    ]
    cases = [("empty PreKey message, smallest bucket", 3, b""),
             ("short Signal message", 2, bytes((i * 7 + 14) % 256 for i in range(48))),
             ("largest message of the 1 KiB bucket (848 bytes)", 2, bytes(i % 251 for i in range(848))),
             ("one byte more: 4 KiB bucket", 3, bytes(i % 241 for i in range(849)))]
    for n, (comment, mtype, message) in enumerate(cases):
        eph = clamp(seed(b"ephemeral %d" % n))
        env = seal(cert, mtype, message, recipient_key, recipient_account, eph)
        sealed.append(block(comment, [
            ("recipient_private", recipient_private), ("recipient_identity_key", recipient_key),
            ("recipient_account_id", recipient_account), ("ephemeral_private", eph),
            ("sender_certificate", cert), ("message_type", mtype), ("message", message),
            ("envelope", env)]))
    with open(os.path.join(root, "sealed_vectors.txt"), "w") as f:
        f.write("\n".join(sealed))


if __name__ == "__main__":
    main()
