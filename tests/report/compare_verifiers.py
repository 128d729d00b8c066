#!/usr/bin/env python3
"""CTest driver: the independent verifier (verify_package.py) must agree with `chainsight verify` on an intact
evidence package and on copies with one byte changed inside each entry (its data, its name, its CRC): both
must fail and name the same file.

    compare_verifiers.py CHAINSIGHT DEMO_BUNDLE VERIFY_PACKAGE_PY
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def chainsight_verdict(cs, pkg, key=None):
    cmd = [cs, "verify", pkg, "--json"] + (["--key", key] if key else [])
    rc, out, err = run(cmd)
    files = set()
    if out.strip():
        files = {f["file"] for f in json.loads(out)["failures"]}
    return rc, files, out + err


def python_verdict(py, pkg, key=None):
    rc, out, err = run([sys.executable, py, pkg] + (["--key", key] if key else []))
    files = {line[5:].split(": ", 1)[0] for line in out.splitlines() if line.startswith("FAIL ")}
    return rc, files, out + err


def main():
    cs, bundle, py = sys.argv[1:4]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        case = os.path.join(tmp, "case.db")
        rc, out, err = run([cs, "import", bundle, "--case", case])
        assert rc == 0, err
        key = Ed25519PrivateKey.generate()
        keyfile = os.path.join(tmp, "signer.pem")
        with open(keyfile, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        pubfile = os.path.join(tmp, "signer.pub.pem")
        with open(pubfile, "wb") as f:
            f.write(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        pkg = os.path.join(tmp, "package.zip")
        rc, out, err = run([cs, "export", case, "--package", pkg, "--sign", keyfile])
        assert rc == 0, out + err

        a = chainsight_verdict(cs, pkg, pubfile)
        b = python_verdict(py, pkg, pubfile)
        print("intact: chainsight rc=%d, python rc=%d" % (a[0], b[0]))
        if a[0] != 0 or b[0] != 0:
            print("FAIL: the intact package does not verify\n" + a[2] + b[2])
            failures += 1

        # A different trusted key: the signature must fail in both.
        other = os.path.join(tmp, "other.pub.pem")
        with open(other, "wb") as f:
            f.write(Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        a, b = chainsight_verdict(cs, pkg, other), python_verdict(py, pkg, other)
        if a[0] != 1 or b[0] != 1 or "chainsight-package.dsse.json" not in a[1] or "chainsight-package.dsse.json" not in b[1]:
            print("FAIL: a wrong key is not caught the same way\n" + a[2] + b[2])
            failures += 1

        data = open(pkg, "rb").read()
        infos = zipfile.ZipFile(pkg).infolist()
        cases = 0
        for info in infos:
            off = info.header_offset
            sig, = struct.unpack("<I", data[off:off + 4])
            assert sig == 0x04034B50
            name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
            start = off + 30 + name_len + extra_len
            # One byte in the data (start, middle, end), and one in the name.
            positions = {start, start + info.compress_size // 2, start + max(0, info.compress_size - 1)}
            positions.add(off + 30)  # the first byte of the entry's name in its local header
            for pos in sorted(positions):
                if info.compress_size == 0 and pos >= start:
                    continue
                bad = bytearray(data)
                bad[pos] ^= 0x01
                path = os.path.join(tmp, "flipped.zip")
                with open(path, "wb") as f:
                    f.write(bad)
                a = chainsight_verdict(cs, path, pubfile)
                b = python_verdict(py, path, pubfile)
                cases += 1
                ok = a[0] == 1 and b[0] == 1 and info.filename in a[1] and info.filename in b[1]
                print("%s byte %d of %s: chainsight rc=%d %s; python rc=%d %s" % ("ok  " if ok else "FAIL", pos, info.filename, a[0], sorted(a[1]), b[0], sorted(b[1])))
                if not ok:
                    failures += 1
                    print(a[2] + b[2])
        print("%d flipped packages, %d disagreement(s) or miss(es)" % (cases, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
