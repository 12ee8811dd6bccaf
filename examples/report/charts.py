"""The report's two figures, drawn with Pillow (Arabic shaped by libraqm) in the book's own
typeface: `.venv/bin/python examples/report/charts.py` writes images/*.png again.

1800 x 1000 px: set at the text width of a 6 x 9 in page (about 4.5 in) that is 400 dpi,
above the 300 dpi the print preflight asks for. The figures are the report's (fictional) ones,
the same as in its tables and text."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from book.fonts import FACES

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 1800, 1000
INK, GRID, PAPER = (40, 40, 40), (215, 215, 215), (255, 255, 255)
DONE, LEFT_TO_DO = (122, 92, 46), (222, 204, 170)  # the house style's brown, and a light tint of it
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def font(size: int, weight: str = "400") -> ImageFont.FreeTypeFont:
    face = next(f for f in FACES if f.family == "IBM Plex Sans Arabic" and f.weight == weight)
    return ImageFont.truetype(str(face.file), size, layout_engine=ImageFont.Layout.RAQM)


def text(draw: ImageDraw.ImageDraw, xy, words: str, size: int, anchor: str, weight: str = "400", fill=INK):
    draw.text(xy, words, font=font(size, weight), fill=fill, anchor=anchor, direction="rtl", language="ar")


def number(value: int) -> str:
    return f"{value:,}".replace(",", "٬").translate(INDIC)


def housing() -> Image.Image:
    """Housing units rebuilt in 2023 against those damaged, by governorate (bars, right to left)."""
    data = [("نينوى", 12_400, 31_000), ("الأنبار", 9_800, 21_500), ("صلاح الدين", 6_100, 14_200),
            ("كركوك", 2_300, 5_600), ("ديالى", 1_900, 4_700)]
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    text(draw, (WIDTH - 80, 60), "الوحدات السكنية المعاد بناؤها والمتضررة في كل محافظة", 46, "ra", "600")
    top, bottom, left, right = 170, 840, 80, WIDTH - 200  # the scale at the right, where a line begins
    scale = (bottom - top) / 35_000
    for step in range(0, 35_001, 7_000):
        y = bottom - step * scale
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        text(draw, (right + 20, y), number(step), 30, "lm")
    slot = (right - left) / len(data)
    for k, (name, rebuilt, damaged) in enumerate(data):
        centre = right - slot * (k + 0.5)  # the first governorate at the right, as the text reads
        for offset, value, colour in ((+62, damaged, LEFT_TO_DO), (-62, rebuilt, DONE)):
            x = centre + offset
            draw.rectangle([x - 56, bottom - value * scale, x + 56, bottom], fill=colour)
            text(draw, (x, bottom - value * scale - 10), number(value), 28, "mb")
        text(draw, (centre, bottom + 24), name, 38, "mt", "600")
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=3)
    for x, colour, label in ((WIDTH - 80, LEFT_TO_DO, "متضررة"), (WIDTH - 380, DONE, "أعيد بناؤها في 2023")):
        draw.rectangle([x - 40, 930, x, 962], fill=colour)
        text(draw, (x - 56, 946), label.translate(INDIC), 32, "rm")
    return image


def returns() -> Image.Image:
    """The share of the displaced who had returned, 2019 to 2023 (a line, the years from right to left
    as the book reads)."""
    data = [(2019, 48), (2020, 57), (2021, 64), (2022, 71), (2023, 78)]
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    text(draw, (WIDTH - 80, 60), "نسبة العائدين إلى مناطقهم من مجموع النازحين (٪)", 46, "ra", "600")
    top, bottom, left, right = 200, 860, 80, WIDTH - 200
    low, high = 40, 80
    scale = (bottom - top) / (high - low)
    for step in range(low, high + 1, 10):
        y = bottom - (step - low) * scale
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        text(draw, (right + 20, y), number(step), 30, "lm")
    inset = 90  # the first and last years clear of the scale and the frame
    slot = (right - left - 2 * inset) / (len(data) - 1)
    points = [(right - inset - slot * k, bottom - (share - low) * scale) for k, (_, share) in enumerate(data)]
    draw.line(points, fill=DONE, width=10, joint="curve")
    for (x, y), (year, share) in zip(points, data):
        draw.ellipse([x - 18, y - 18, x + 18, y + 18], fill=DONE)
        text(draw, (x, y - 34), number(share) + "٪", 34, "mb", "600")
        text(draw, (x, bottom + 24), str(year).translate(INDIC), 36, "mt")
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=3)
    return image


if __name__ == "__main__":
    for name, chart in (("housing", housing), ("returns", returns)):
        chart().save(HERE / "images" / f"{name}.png", optimize=True, dpi=(400, 400))
        print(f"wrote images/{name}.png")
