#!/usr/bin/env python3
"""Independent verifier of a Chainsight evidence package (docs/evidence-package.md).

Standard library plus python3-cryptography only; shares no code with Chainsight. Prints one line per
failure ("FAIL <file>: <check>: <message>") and a last line "OK" or "NOT INTACT"; exits 0 when the package
is intact, 1 when it is not, 2 on bad usage.

    verify_package.py PACKAGE.zip [--key SIGNER.pub.pem]
"""
import base64
import hashlib
import json
import struct
import sys
import zipfile
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ENVELOPE = "chainsight-package.dsse.json"
PUBKEY = "signer.pub.pem"
PAYLOAD_TYPE = "application/vnd.chainsight.manifest+json"


def pae(payload_type: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)


def key_id(key: Ed25519PublicKey) -> str:
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def check_stream(zf, info):
    """A deflated entry's stream must end where the zip says it does: zipfile stops once it has the listed number of
    bytes and their CRC matches, so a changed end-of-stream marker or padding bit would go unseen. Returns a problem
    or None."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    fp = zf.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    raw = fp.read(info.compress_size)
    d = zlib.decompressobj(-15)
    out = d.decompress(raw) + d.flush()
    if not d.eof:
        return "the deflate stream does not end where the entry does"
    if d.unused_data:
        return "bytes after the end of the deflate stream"
    if len(out) != info.file_size:
        return "the deflate stream holds %d bytes, the directory says %d" % (len(out), info.file_size)
    return None


def verify(path, trusted_pem=None):
    failures = []
    try:
        zf = zipfile.ZipFile(path)
        names = set(zf.namelist())
    except Exception as e:  # damaged central directory, not a zip
        return [(path.rsplit("/", 1)[-1], "format", str(e))]

    def read(name):
        with zf.open(name) as f:
            return f.read()

    if ENVELOPE not in names:
        return [(ENVELOPE, "missing", "no envelope")]
    try:
        problem = check_stream(zf, zf.getinfo(ENVELOPE))
        if problem:
            return [(ENVELOPE, "format", problem)]
        env = json.loads(read(ENVELOPE))
        if env.get("payloadType") != PAYLOAD_TYPE:
            return [(ENVELOPE, "format", "payloadType")]
        payload = base64.b64decode(env["payload"], validate=True)
    except Exception as e:
        return [(ENVELOPE, "format", str(e))]

    try:
        pem = trusted_pem if trusted_pem is not None else read(PUBKEY)
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not Ed25519")
    except Exception as e:
        failures.append(("(key)" if trusted_pem else PUBKEY, "key", str(e)))
        key = None
    if key is not None:
        kid = key_id(key)
        ok = False
        for sig in env.get("signatures", []):
            if sig.get("keyid") != kid:
                continue
            try:
                key.verify(base64.b64decode(sig.get("sig", "")), pae(PAYLOAD_TYPE.encode(), payload))
                ok = True
            except (InvalidSignature, ValueError):
                pass
        if not ok:
            failures.append((ENVELOPE, "signature", "the manifest's signature does not verify"))

    try:
        manifest = json.loads(payload)
        files = manifest["files"]
        if manifest.get("format") != "chainsight-evidence-package":
            raise ValueError("format")
    except Exception as e:
        failures.append((ENVELOPE, "format", "payload is not a package manifest: %s" % e))
        return failures
    if key is not None and trusted_pem is None and manifest.get("key_id") != key_id(key):
        failures.append((PUBKEY, "key", "not the key the manifest names"))

    listed = {ENVELOPE}
    for entry in files:
        name = entry["path"]
        listed.add(name)
        if name not in names:
            failures.append((name, "missing", "listed, absent"))
            continue
        info = zf.getinfo(name)
        if info.file_size != entry["bytes"]:
            failures.append((name, "size", "size differs"))
            continue
        try:
            content = read(name)
            stream_problem = check_stream(zf, info)
        except Exception as e:  # bad CRC, damaged deflate stream
            failures.append((name, "sha256", "unreadable: %s" % e))
            continue
        if stream_problem:
            failures.append((name, "sha256", "unreadable: %s" % stream_problem))
            continue
        digest = hashlib.sha256(content).hexdigest()
        if digest != entry["sha256"]:
            failures.append((name, "sha256", "SHA-256 differs"))
    for name in sorted(names - listed):
        failures.append((name, "unlisted", "not in the signed manifest"))
    return failures


def main(argv):
    args = argv[1:]
    trusted = None
    if "--key" in args:
        i = args.index("--key")
        with open(args[i + 1], "rb") as f:
            trusted = f.read()
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    failures = verify(args[0], trusted)
    for name, check, message in failures:
        print("FAIL %s: %s: %s" % (name, check, message))
    print("OK" if not failures else "NOT INTACT")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
