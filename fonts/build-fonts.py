#!/usr/bin/env python3
"""Rebuild fonts/NotoSerifCJKsc-{Regular,Bold}.otf from Debian's fonts-noto-cjk.

Why: pdfkit/fontkit re-encode every CFF subroutine of Noto's huge subroutine tables for
each document they subset; a desubroutinized font subsets about 5x faster and smaller
(see ../shared/domain/typesetting.md). The SC face is taken out of the .ttc collection
because fontkit would otherwise have to pick the face by name on every load.

Usage: apt-get install fonts-noto-cjk python3-fonttools && /usr/bin/python3 fonts/build-fonts.py
The output is deterministic for the same input collection and fontTools version
(head.modified is pinned to head.created so the build date does not leak in).
"""
import hashlib
import os
import sys

from fontTools.ttLib import TTCollection

SRC_DIR = "/usr/share/fonts/opentype/noto"
FACES = {
    "Regular": ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular"),
    "Bold": ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold"),
}
OUT_DIR = os.path.dirname(os.path.abspath(__file__))


def build(weight: str) -> str:
    collection_file, face_name = FACES[weight]
    collection = TTCollection(os.path.join(SRC_DIR, collection_file))
    for font in collection.fonts:
        if font["name"].getDebugName(6) == face_name:
            break
    else:
        sys.exit(f"face {face_name} not found in {collection_file}")
    font["CFF "].cff.desubroutinize()
    # fontTools stamps head.modified with the current time on save unless told not to.
    font.recalcTimestamp = False
    font["head"].modified = font["head"].created
    out = os.path.join(OUT_DIR, f"{face_name}.otf")
    font.save(out, reorderTables=True)
    return out


if __name__ == "__main__":
    for weight in FACES:
        path = build(weight)
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        print(f"{os.path.basename(path)}  {os.path.getsize(path)} bytes  sha256 {digest}")
