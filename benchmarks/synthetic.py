"""Make a larger book from a real one by repeating its chapters, for benchmarks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

CHART = "images/chart.png"

# What each copy of each chapter carries after its text (with `blocks`), so that a benchmark
# measures their cost too: a pipe table with its caption, a paragraph calling two footnotes,
# a figure, and the notes. No Arabic comma in them: speed.py changes "one sentence" at the
# first long line with one, which stays in the chapter's own text.
BLOCKS = f"""
| المحافظة | المدارس المؤهلة | المشافي المؤهلة |
|:--|--:|--:|
| الرقة | 120 | 8 |
| دير الزور | 95 | 6 |
| الحسكة | 140 | 11 |
| الطبقة | 48 | 3 |
| منبج | 62 | 4 |
| كوباني | 37 | 2 |

جدول: المدارس والمشافي التي أعيد تأهيلها في المناطق المحررة بحسب المحافظة (أرقام تقريبية)

وتستند هذه الأرقام إلى تقارير المجالس المحلية[^n1] وإلى ما نشره التحالف الدولي في نشراته الدورية[^n2] عن مشاريع الاستقرار في المنطقة.

![مخطط بالأعمدة يبين عدد المدارس التي أعيد تأهيلها في ست محافظات وأكثرها في الحسكة ثم الرقة]({CHART} "عدد المدارس التي أعيد تأهيلها بحسب المحافظة")

[^n1]: تقارير المجالس المحلية في الرقة ودير الزور الصادرة خلال العام الأول بعد التحرير.

[^n2]: الأرقام تقريبية وقد تختلف بحسب المصدر وتاريخ الإحصاء.
"""

SCHOOLS = (120, 95, 140, 48, 62, 37)  # the table's second column, drawn by the chart


def draw_chart(path: Path, size: tuple[int, int] = (1350, 750)) -> None:
    """A simple bar chart (the table's schools) as a PNG: 1350 x 750 px, 300 dpi at the print
    edition's text width (4.38 in), as its preflight asks (900 x 500 px would be 205 dpi there:
    an error in the build's report at every figure's page)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=height // 20)
    left, right, top, bottom = width // 12, width - width // 24, height // 10, height - height // 8
    draw.line([(left, top), (left, bottom), (right, bottom)], fill="black", width=4)
    for value in range(0, 160, 40):  # the value axis: grid lines every 40
        y = bottom - (bottom - top) * value // 160
        draw.line([(left, y), (right, y)], fill=(210, 210, 210), width=2)
        draw.text((left - 20, y), str(value), fill="black", font=font, anchor="rm")
    step = (right - left) // len(SCHOOLS)
    colours = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)]
    for number, (value, colour) in enumerate(zip(SCHOOLS, colours)):
        x0 = right - (number + 1) * step + step // 5  # the first bar at the right, as the table reads
        x1 = right - number * step - step // 5
        y = bottom - (bottom - top) * value // 160
        draw.rectangle([x0, y, x1, bottom], fill=colour)
        draw.text(((x0 + x1) // 2, y - 12), str(value), fill="black", font=font, anchor="md")
        draw.text(((x0 + x1) // 2, bottom + 16), str(number + 1), fill="black", font=font, anchor="ma")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, dpi=(300, 300))


def make_book(source: Path, target: Path, repeat: int, blocks: bool = True) -> Path:
    """A copy of the book at `source` in `target` whose chapters appear `repeat` times; with
    `blocks`, each copy of each chapter ends with a table, two footnotes and a figure (BLOCKS)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("book.toml", "index.toml", "chronology.toml"):
        if (source / name).is_file():
            shutil.copy(source / name, target / name)
    if (source / "styles").is_dir():
        shutil.copytree(source / "styles", target / "styles", dirs_exist_ok=True)
    if blocks:
        draw_chart(target / CHART)
    chapters = target / "chapters"
    chapters.mkdir(exist_ok=True)
    for copy in range(repeat):
        for path in sorted((source / "chapters").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            slug = re.search(r'^slug = "([^"]+)"', text, re.M)
            base = slug.group(1) if slug else path.stem
            text = re.sub(r'^slug = "[^"]+"\n', "", text, flags=re.M)
            text = text.replace("+++\n", f'+++\nslug = "{base}-{copy + 1}"\n', 1)
            text = re.sub(r"^order = (\d+)", lambda m, shift=100 * copy: f"order = {int(m.group(1)) + shift}",
                          text, flags=re.M)
            if blocks:
                text = text.rstrip("\n") + "\n" + BLOCKS
            (chapters / f"{copy + 1:03d}-{path.name}").write_text(text, encoding="utf-8")
    return target
