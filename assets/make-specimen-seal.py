#!/usr/bin/env python3
"""Draw the specimen seal used by examples and tests: assets/specimen-seal.png.

It imitates no real organisation: a red ring, a star, "样章" in the centre and
"样章 仅供演示 非真实印章" around the top. Operators configure their real seal images;
a request can never name a seal file.
Usage: /usr/bin/python3 assets/make-specimen-seal.py   (Debian: python3-pil)
"""
import math
import os

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = os.path.join(HERE, "..", "fonts", "NotoSerifCJKsc-Bold.otf")
SIZE = 600
RED = (200, 16, 30, 235)

img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
c = SIZE / 2
d.ellipse([14, 14, SIZE - 14, SIZE - 14], outline=RED, width=22)

# Five-pointed star in the centre.
r_out, r_in = 92, 36
pts = []
for i in range(10):
    r = r_out if i % 2 == 0 else r_in
    a = -math.pi / 2 + i * math.pi / 5
    pts.append((c + r * math.cos(a), c - 10 + r * math.sin(a)))
d.polygon(pts, fill=RED)

big = ImageFont.truetype(FONT, 84)
d.text((c, c + 140), "样章", font=big, fill=RED, anchor="mm")

# Text around the top arc, each character rotated to follow the ring.
arc = "样章·仅供演示·非真实印章"
small = ImageFont.truetype(FONT, 58)
span = math.radians(220)
radius = SIZE / 2 - 88
for i, ch in enumerate(arc):
    a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(arc)
    tile = Image.new("RGBA", (90, 90), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((45, 45), ch, font=small, fill=RED, anchor="mm")
    tile = tile.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
    x, y = c + radius * math.cos(a), c + radius * math.sin(a)
    img.alpha_composite(tile, (int(x - 45), int(y - 45)))

img.save(os.path.join(HERE, "specimen-seal.png"), optimize=True)
print("wrote assets/specimen-seal.png")
