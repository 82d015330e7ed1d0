"""Endorsement marks on one page image: a stamp, a handwritten signature, an e-signature QR code.

OpenCV does the image work (colour masks, morphology, contours, connected components, QR detection and
decoding); this module only says which shapes count. The rules, at the page's own resolution (`dpi`):
- stamp: coloured ink (blue, purple or red: the colours of an official stamp pad, rarely of printed text),
  closed into blobs 1.5-6 cm across, round or rectangular, hollow (rings of text, not a filled logo), and below
  the letterhead (the top 12% of the page holds coloured emblems);
- signature: below the letterhead, an ink component much taller than the text's characters, 1-10 cm wide, made of thin curved strokes (little of it on straight lines, so not a table or a box);
- QR: cv2.QRCodeDetector; its text is kept (a BSrE TTE code is a verification URL). A code that is found but not
  decoded still counts, with less confidence.

Each mark gets a confidence in [0, 1]; `present` is confidence >= 0.5. Heuristics, not a trained model: the
benchmark (benchmarks/endorsement.py) says how often they are right on real pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MARKS = ("stamp", "signature", "qr")
PRESENT = 0.5


@dataclass(frozen=True)
class Mark:
    mark: str  # one of MARKS
    confidence: float
    text: str | None = None  # the QR code's decoded text
    box: tuple[int, int, int, int] | None = None  # x, y, w, h in the page image

    @property
    def present(self) -> bool:
        return self.confidence >= PRESENT


def detect_page(image: np.ndarray, dpi: float) -> dict[str, Mark]:
    """All three marks on one page (`image`: BGR uint8, as OpenCV reads it)."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    qr = find_qr(gray, dpi)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    ink = stamp_ink(hsv)
    stamp = find_stamp(ink, dpi, hsv)
    signature = find_signature(gray, ink, dpi, qr.box, stamp.box if stamp.present else None, hsv)
    if stamp.present and not signature.present:  # signed in the stamp's own colour, the stroke merged into it
        signature = max(signature, signature_through_stamp(ink, stamp.box, dpi), key=lambda m: m.confidence)
    return {"stamp": stamp, "signature": signature, "qr": qr}


def stamp_ink(hsv: np.ndarray) -> np.ndarray:
    """Mask of saturated blue, purple and red pixels of an HSV page (OpenCV's hue runs 0-180). A faded pad
    gives pale ink: blue and purple from saturation 45."""
    blue_purple = cv2.inRange(hsv, (95, 45, 40), (165, 255, 240))
    red_low = cv2.inRange(hsv, (0, 70, 40), (10, 255, 235))
    red_high = cv2.inRange(hsv, (166, 70, 40), (180, 255, 235))
    return blue_purple | red_low | red_high


def find_stamp(ink: np.ndarray, dpi: float, hsv: np.ndarray | None = None) -> Mark:
    cm = dpi / 2.54
    height = ink.shape[0]
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                                               (_odd(0.25 * cm),) * 2))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best = Mark("stamp", 0.0)
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        # Below the letterhead: the emblems (Garuda, the region's arms) sit in the top fifth of the page.
        if not (1.5 * cm <= w <= 6.5 * cm and 1.5 * cm <= h <= 6.5 * cm) or y + h / 2 < 0.2 * height:
            continue
        if hsv is not None and not _on_paper(hsv[y:y + h, x:x + w], ink[y:y + h, x:x + w]):
            continue  # a coloured picture, a tinted scan: not ink pressed on white paper
        aspect = max(w, h) / min(w, h)
        if aspect > 3.0:
            continue
        density = float(np.count_nonzero(ink[y:y + h, x:x + w])) / (w * h)  # of raw ink in its box
        if not 0.04 <= density <= 0.55:  # a filled logo or a photo is dense, a few stray pixels are not a stamp
            continue
        area = cv2.contourArea(contour)
        (_, _), radius = cv2.minEnclosingCircle(contour)
        roundness = area / (np.pi * radius * radius) if radius else 0.0
        rectangularity = area / (w * h)
        shape = max(roundness, rectangularity)  # a round stamp fills its circle, a rectangular one its box
        score = 0.35 + 0.45 * min(1.0, shape / 0.75) + 0.2 * min(1.0, density / 0.15)
        if aspect > 2.0:
            score -= 0.15
        if score > best.confidence:
            best = Mark("stamp", round(min(score, 0.99), 3), box=(x, y, w, h))
    return best


def find_signature(gray: np.ndarray, ink: np.ndarray, dpi: float,
                   qr_box: tuple[int, int, int, int] | None, stamp_box: tuple[int, int, int, int] | None = None,
                   hsv: np.ndarray | None = None) -> Mark:
    cm = dpi / 2.54
    height, width = gray.shape
    dark = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    dark = dark | ink  # blue ballpoint is light in grey: take the coloured ink too
    # Straight runs (table rules, boxes, underlines) are not handwriting: found once, measured per candidate.
    lines = (cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (_odd(1.0 * cm), 1)))
             | cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _odd(1.0 * cm)))))
    if stamp_box is not None:
        # A signature is usually signed across the stamp, its stroke joined to the rings: the stamp's coloured
        # ink is taken out of its box, so a black stroke over it stands alone (a blue one merged into the stamp
        # is lost: the stamp still counts).
        sx, sy, sw, sh = stamp_box
        # pen ink is darker than pad ink (grey under 90)
        pad = ((ink[sy:sy + sh, sx:sx + sw] > 0) & (gray[sy:sy + sh, sx:sx + sw] > 90)).astype(np.uint8)
        pad = cv2.dilate(pad, np.ones((3, 3), np.uint8))  # with the pale fringe around each stroke of the stamp
        dark[sy:sy + sh, sx:sx + sw][pad > 0] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if count <= 1:
        return Mark("signature", 0.0)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    small = heights[(heights > 0.08 * cm) & (heights < 0.8 * cm)]
    char_h = float(np.median(small)) if small.size else 0.3 * cm
    best = Mark("signature", 0.0)
    for i in range(1, count):
        x, y, w, h, pixels = (int(v) for v in stats[i])
        # Below the letterhead (a short last page is signed high up), 1-10 cm wide, taller than the text.
        if y + h / 2 < 0.15 * height or not (1.0 * cm <= w <= 10 * cm) or not (max(0.6 * cm, 2.5 * char_h) <= h <= 5 * cm):
            continue
        if w > 0.45 * width or (qr_box and _overlaps((x, y, w, h), qr_box)):
            continue
        fill = pixels / (w * h)
        if not 0.02 <= fill <= 0.22:  # strokes, not a filled block or a photo
            continue
        if hsv is not None and _paper(hsv[y:y + h, x:x + w]) < 0.55:
            continue  # a stroke on a picture or a coloured cover, not pen on paper
        straight = float(np.count_nonzero(lines[y:y + h, x:x + w])) / max(pixels, 1)
        if straight > 0.35:
            continue
        colour = float(np.count_nonzero(ink[y:y + h, x:x + w])) / max(pixels, 1)
        score = 0.45 + 0.25 * min(1.0, h / (4 * char_h)) + 0.2 * (1 - straight / 0.35) + 0.1 * min(1.0, colour * 2)
        if score > best.confidence:
            best = Mark("signature", round(min(score, 0.99), 3), box=(x, y, w, h))
    return best


def signature_through_stamp(ink: np.ndarray, stamp_box: tuple[int, int, int, int], dpi: float) -> Mark:
    """A signature in the stamp's colour joins the stamp into one blob. The stamp's ring is found as a circle
    (Hough); ink outside it, within the blob's box, that spans more than a centimetre is the stroke."""
    cm = dpi / 2.54
    x, y, w, h = stamp_box
    box = ink[y:y + h, x:x + w]
    circles = cv2.HoughCircles(cv2.GaussianBlur(box, (5, 5), 0), cv2.HOUGH_GRADIENT, dp=1.5,
                               minDist=max(w, h), param1=100, param2=30, minRadius=int(1.0 * cm),
                               maxRadius=int(2.4 * cm))
    if circles is None:
        return Mark("signature", 0.0)
    cx, cy, r = (float(v) for v in circles[0][0])
    outside = box.copy()
    cv2.circle(outside, (int(cx), int(cy)), int(r * 1.1), 0, -1)
    count, _, stats, _ = cv2.connectedComponentsWithStats(outside, connectivity=8)
    best = 0.0
    for i in range(1, count):
        cw, ch, pixels = int(stats[i][2]), int(stats[i][3]), int(stats[i][4])
        span = max(cw, ch)
        if span >= 1.0 * cm and pixels >= 0.02 * cm * span:  # a stroke, not specks of the ring's edge
            best = max(best, min(0.85, 0.5 + 0.15 * span / cm))
    if best:
        return Mark("signature", round(best, 3), box=stamp_box)
    return Mark("signature", 0.0)


def _paper(hsv_box: np.ndarray) -> float:
    """The fraction of a box that is white paper: bright and grey."""
    s, v = hsv_box[:, :, 1], hsv_box[:, :, 2]
    return float(np.count_nonzero((s < 40) & (v > 170))) / max(s.size, 1)


def _on_paper(hsv_box: np.ndarray, ink_box: np.ndarray) -> bool:
    """A stamp is one colour of ink on white paper: around its ink the box is mostly paper (bright, grey), and
    the ink's hue is narrow (a photo or a chart mixes hues)."""
    if _paper(hsv_box) < 0.45:
        return False
    hues = hsv_box[:, :, 0][ink_box > 0].astype(np.float32) * (np.pi / 90)  # to radians on the hue circle
    if hues.size == 0:
        return False
    spread = 1 - float(np.hypot(np.cos(hues).mean(), np.sin(hues).mean()))  # 0: one hue
    return spread < 0.25


def find_qr(gray: np.ndarray, dpi: float = 150.0) -> Mark:
    # OpenCV's ArUco-based QR detector: on the labelled real pages it found and decoded the small TTE codes
    # (1.5 cm) that the classic detector missed, and costs less on a page without a code (0.07-0.1 s here).
    detector = cv2.QRCodeDetectorAruco()
    try:
        text, points, _ = detector.detectAndDecode(gray)
    except cv2.error:  # a degenerate candidate inside OpenCV: no code
        return Mark("qr", 0.0)
    if points is None or len(points) == 0:
        return Mark("qr", 0.0)
    corners = np.asarray(points, dtype=np.float32).reshape(-1, 2)[:4]
    xs, ys = corners[:, 0], corners[:, 1]
    box = (int(max(0, xs.min())), int(max(0, ys.min())), int(np.ptp(xs)), int(np.ptp(ys)))
    x, y, w, h = box
    if not text and w >= 20 and h >= 20:  # found, not read: once more from the crop, enlarged
        pad = max(w, h) // 4
        crop = gray[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad]
        try:
            text = cv2.QRCodeDetector().detectAndDecode(cv2.resize(crop, None, fx=2, fy=2,
                                                                   interpolation=cv2.INTER_CUBIC))[0]
        except cv2.error:
            text = ""
    if text:
        return Mark("qr", 0.95, text=text, box=box)
    # Found, not decoded: a code printed too small or blurred, or finder-like shapes in text. Counted only when
    # square and of a TTE code's size (1-6 cm).
    cm = dpi / 2.54
    square = 0.8 <= w / max(h, 1) <= 1.25 and 1.0 * cm <= max(w, h) <= 6.0 * cm
    return Mark("qr", 0.55 if square else 0.3, box=box)


def _odd(n: float) -> int:
    k = max(1, int(round(n)))
    return k if k % 2 else k + 1


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
