#!/usr/bin/env python3
# extract-cri-descriptor.py CONTAINERD OUT: containerd carries the CRI API's
# FileDescriptorProto (gzipped, as Go's protobuf registers it); write the
# runtime.v1 one to OUT, for cri-client.js.
import re
import sys
import zlib

data = open(sys.argv[1], "rb").read()
for m in re.finditer(b"\x1f\x8b\x08\x00\x00\x00\x00\x00", data):
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[m.start():m.start() + (1 << 20)])
    except zlib.error:
        continue
    if out.startswith(b"\n\tapi.proto\x12\nruntime.v1\x1a") and b"RuntimeService" in out:
        open(sys.argv[2], "wb").write(out)
        sys.exit(0)
sys.exit("no runtime.v1 descriptor in " + sys.argv[1])
