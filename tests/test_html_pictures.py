"""Each distinct picture's bytes are in the outputs once, however often the report shows it
(issue 18: 30 references to one 9 MiB picture made a 367 MB HTML file and a 2.9 GB build).

The standalone HTML keeps a picture shown once as its img's data: URL (as before: such reports
build byte for byte as they did); a picture shown more often is a class in the page's style
sheet whose `content` is the picture, carried by every reference. The Word file has one media
part per distinct picture. Real Chromium shows and prints every reference; and the pictures
of a report together are bounded (MAX_PICTURES_BYTES), in build and check alike."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
import system_tools

from reportkit import build_report, check_report
from reportkit.assemble import pictures as pictures_module
from reportkit.errors import ReportError

REPO = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SIZES = {"red.png": (40, 20, (255, 0, 0)), "blue.png": (30, 30, (0, 0, 255)), "green.png": (20, 40, (0, 160, 0))}
SHOWN = {"red.png": 30, "blue.png": 2, "green.png": 1}


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with red.png shown 30 times over every section, blue twice, green once."""
    root = tmp_path_factory.mktemp("pictures") / "report"
    shutil.copytree(REPO / "content", root / "content")
    for name, (w, h, rgb) in SIZES.items():
        (root / "content" / name).write_bytes(png(w, h, rgb))
    sections = sorted((root / "content").glob("[0-9]*.md"))
    refs = [name for name, times in SHOWN.items() for _ in range(times)]
    for i, name in enumerate(refs):
        path = sections[i % len(sections)]
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n![图{i}]({name})\n", encoding="utf-8")
    result = build_report(root)
    return next(p for p in result.outputs if p.suffix == ".docx")


def test_each_picture_is_embedded_once_in_the_html_and_every_reference_is_there(built: Path) -> None:
    html = built.with_suffix(".html").read_text(encoding="utf-8")
    assert len(re.findall(r"data:image/png;base64,", html)) == len(SIZES)
    imgs = re.findall(r"<img [^>]*>", html)
    assert len(imgs) == sum(SHOWN.values())
    assert sorted(int(n) for n in re.findall(r'alt="图(\d+)"', html)) == list(range(sum(SHOWN.values())))
    # shown once: the data: URL on the img itself, as before; shown more often: a class
    assert sum('src="data:image/png;base64,' in i for i in imgs) == 1
    classes = [re.search(r'class="(picture-\d+)"', i)[1] for i in imgs if "class=" in i]
    assert sorted(classes.count(c) for c in set(classes)) == [2, 30]
    for ident in set(classes):
        assert html.count(f'img.{ident} {{ content: url("data:image/png;base64,') == 1
    assert len(html) < 200_000  # the 30 references no longer carry the bytes 30 times


def test_the_word_file_has_one_media_part_per_picture(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        document = package.read("word/document.xml").decode("utf-8")
    assert len(media) == len(SIZES)
    assert document.count("<wp:inline") == sum(SHOWN.values())
    assert len(set(re.findall(r'r:embed="(rId\d+)"', document))) == len(SIZES)


@pytest.mark.needs("chromium", "poppler")
def test_chromium_shows_and_prints_every_reference(built: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    html = built.with_suffix(".html")
    pdf = tmp_path / "report.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_tools.chromium(), args=FLAGS)
        page = browser.new_page()
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        boxes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.alt, Math.round(e.getBoundingClientRect().width),"
                   " Math.round(e.getBoundingClientRect().height)])")
        colours = {}
        for name in SIZES:  # the pixel in the middle of one reference of each picture
            alt = f"图{[n for n, t in SHOWN.items() for _ in range(t)].index(name)}"
            shot = page.locator(f'img[alt="{alt}"]').screenshot(type="png")
            colours[name] = _middle_pixel(shot)
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        browser.close()
    expected = [(w, h) for n, (w, h, _) in SIZES.items() for _ in range(SHOWN[n])]
    assert sorted((w, h) for _, w, h in boxes) == sorted(expected)  # every reference laid out at its size
    for name, (_, _, rgb) in SIZES.items():
        assert all(abs(a - b) < 40 for a, b in zip(colours[name], rgb, strict=True)), (name, colours[name])
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    placed = [line for line in listed.splitlines()[2:] if line.split()[2] == "image"]
    assert len(placed) == sum(SHOWN.values())  # every reference printed


def _middle_pixel(shot: bytes) -> tuple[int, int, int]:
    """The RGB of the middle pixel of a PNG screenshot (8-bit RGB or RGBA, as Chromium writes)."""
    width, height, depth, kind = struct.unpack(">IIBB", shot[16:26])
    data, pos = b"", 8
    while pos < len(shot):
        size, tag = struct.unpack(">I4s", shot[pos:pos + 8])
        if tag == b"IDAT":
            data += shot[pos + 8:pos + 8 + size]
        pos += size + 12
    channels = {2: 3, 6: 4}[kind]
    assert depth == 8
    raw, stride = zlib.decompress(data), width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind_of_filter, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if kind_of_filter == 1:
                line[x] = (line[x] + a) & 255
            elif kind_of_filter == 2:
                line[x] = (line[x] + b) & 255
            elif kind_of_filter == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind_of_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    middle = rows[height // 2]
    x = (width // 2) * channels
    return middle[x], middle[x + 1], middle[x + 2]


def test_the_pictures_of_a_report_together_are_bounded_in_build_and_check(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "a.png").write_bytes(png(40, 20, (255, 0, 0)))
    (root / "content" / "b.png").write_bytes(png(30, 30, (0, 0, 255)))
    both = (root / "content" / "a.png").stat().st_size + (root / "content" / "b.png").stat().st_size
    path = root / "content" / "2-3-履职绩效情况.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n![甲](a.png)\n\n![甲](a.png)\n\n![乙](b.png)\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    monkeypatch.setattr(pictures_module, "MAX_PICTURES_BYTES", both)  # at the limit: builds
    build_report(root)
    assert not [f for f in check_report(root).findings if f.severity == "error"]
    monkeypatch.setattr(pictures_module, "MAX_PICTURES_BYTES", both - 1)  # a picture shown twice counts once
    with pytest.raises(ReportError) as caught:
        build_report(root)
    assert (caught.value.file, caught.value.line) == ("content/2-3-履职绩效情况.md", line)
    assert "报告中的图片合计" in caught.value.message and "2 张" in caught.value.message
    errors = [f for f in check_report(root).findings if f.severity == "error"]
    assert [(f.file, f.line, f.message) for f in errors] == [(caught.value.file, line, caught.value.message)]
