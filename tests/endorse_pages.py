"""Pages with endorsement marks drawn on them, for tests/test_endorse.py: a blue round stamp with text in its
ring, a handwritten-looking signature (a smooth random stroke), a TTE-style QR code (OpenCV's own encoder)."""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

import cv2
import numpy as np

from pipeline.training import synth

DPI = 150
TTE_URL = "https://tte.kominfo.go.id/verifyPDF/7f3c2a9e-5b1d-4c8a-9e2f-0a1b2c3d4e5f"


def cm(x: float, dpi: int = DPI) -> int:
    return int(round(x * dpi / 2.54))


def text_page(text: str, dpi: int = DPI) -> np.ndarray:
    page = synth.render_page(synth.wrap(text)[:30], dpi=dpi)
    return cv2.cvtColor(np.asarray(page.convert("RGB")), cv2.COLOR_RGB2BGR)


def draw_stamp(page: np.ndarray, centre: tuple[int, int], dpi: int = DPI, colour=(205, 95, 85)) -> None:
    """A round stamp in stamp-pad ink (BGR; blue-purple, lighter than a pen's: grey about 100, as on the real
    pages): two rings, words between them, a word inside."""
    r = cm(1.9, dpi)
    cv2.circle(page, centre, r, colour, max(2, cm(0.06, dpi)), cv2.LINE_AA)
    cv2.circle(page, centre, int(r * 0.68), colour, max(1, cm(0.04, dpi)), cv2.LINE_AA)
    for i, ch in enumerate("PEMERINTAH KOTA SUKAMAJU * "):
        a = 2 * math.pi * i / 27
        x, y = int(centre[0] + 0.84 * r * math.cos(a)), int(centre[1] + 0.84 * r * math.sin(a))
        cv2.putText(page, ch, (x - 5, y + 5), cv2.FONT_HERSHEY_SIMPLEX, 0.35 * dpi / 150, colour, 1, cv2.LINE_AA)
    cv2.putText(page, "SEKDA", (centre[0] - cm(0.7, dpi), centre[1] + 5), cv2.FONT_HERSHEY_SIMPLEX,
                0.6 * dpi / 150, colour, 2, cv2.LINE_AA)


def draw_signature(page: np.ndarray, origin: tuple[int, int], dpi: int = DPI, seed: int = 3,
                   colour=(35, 30, 30)) -> None:
    """One flowing stroke of loops, about 5 cm by 1.6 cm, in black ballpoint ink by default."""
    rng = random.Random(seed)
    points = []
    x0, y0 = origin
    for i in range(220):
        t = i / 219
        x = x0 + t * cm(5, dpi) + cm(0.35, dpi) * math.sin(9 * math.pi * t + rng.random() * 0.2)
        y = y0 + cm(0.8, dpi) * math.sin(5 * math.pi * t) * (1 - 0.5 * t) + cm(0.3, dpi) * math.cos(13 * t)
        points.append((int(x), int(y)))
    cv2.polylines(page, [np.array(points, np.int32)], False, colour, max(2, cm(0.05, dpi)), cv2.LINE_AA)


def draw_qr(page: np.ndarray, origin: tuple[int, int], text: str = TTE_URL, dpi: int = DPI) -> None:
    code = cv2.QRCodeEncoder.create().encode(text)  # one pixel per module, quiet zone included
    size = cm(2.6, dpi)
    big = cv2.resize(code, (size, size), interpolation=cv2.INTER_NEAREST)
    x, y = origin
    page[y:y + size, x:x + size] = cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)


def endorsed_page(text: str, *, stamp: bool = False, signature: bool = False, qr: str | None = None,
                  dpi: int = DPI) -> np.ndarray:
    page = text_page(text, dpi)
    h, w = page.shape[:2]
    if signature:
        draw_signature(page, (int(w * 0.55), int(h * 0.80)), dpi)
    if stamp:
        draw_stamp(page, (int(w * 0.58), int(h * 0.80)), dpi)
    if qr:
        draw_qr(page, (int(w * 0.12), int(h * 0.74)), qr, dpi)
    return page


def endorsed_pdf(path: Path, text: str, **marks) -> Path:
    """A born-digital PDF (its text layer: no OCR in the pass) whose page carries the drawn marks as an image."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = endorsed_page("", **marks)  # the marks on a blank page, laid under the text
    ok, png = cv2.imencode(".png", page)
    assert ok
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(png.tobytes())), 0, 0, width=A4[0], height=A4[1])
    y = A4[1] - 60
    for line in synth.wrap(text, 88)[:40]:
        c.drawString(60, y, line)
        y -= 14
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path
