#!/usr/bin/env bash
# Builds data/fashion-mnist-small/ (the first 5000 train and 1000 test images of Fashion-MNIST,
# IDX format, gzipped) from the full set, so tests and quick pipelines run on a machine without it.
# The output is byte-for-byte reproducible (gzip mtime 0), so re-running it changes nothing in git.
#
# Usage: scripts/make-fashion-mnist-small.sh [SOURCE_DIR] [OUT_DIR] [TRAIN_N] [TEST_N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-/usr/share/datasets/fashion-mnist}"
out="${2:-$root/data/fashion-mnist-small}"
train_n="${3:-5000}"
test_n="${4:-1000}"

mkdir -p "$out"
python3 - "$src" "$out" "$train_n" "$test_n" <<'PY'
import gzip, os, struct, sys

src, out, train_n, test_n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, count = struct.unpack(">II", raw[:8])
    dims = raw[3]
    header_len = 4 + 4 * dims
    shape = struct.unpack(">" + "I" * dims, raw[4:header_len])
    return magic, shape, raw[header_len:]

def write_subset(name, n):
    for suffix in (".gz", ""):
        path = os.path.join(src, name + suffix)
        if os.path.exists(path):
            break
    else:
        sys.exit(f"missing {name}[.gz] in {src}")
    magic, shape, body = read_idx(path)
    if n > shape[0]:
        sys.exit(f"{path} has {shape[0]} items, fewer than {n}")
    item = 1
    for d in shape[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(shape), n, *shape[1:])
    target = os.path.join(out, name + ".gz")
    with open(target, "wb") as raw_out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0, compresslevel=9) as gz:
            gz.write(header + body[: n * item])
    print(f"{target}: {n} of {shape[0]} items, {os.path.getsize(target)} bytes")

write_subset("train-images-idx3-ubyte", train_n)
write_subset("train-labels-idx1-ubyte", train_n)
write_subset("t10k-images-idx3-ubyte", test_n)
write_subset("t10k-labels-idx1-ubyte", test_n)
PY
