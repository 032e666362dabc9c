"""The system tools some tests drive, how to find them and how to install them.

A test that needs one carries `@pytest.mark.needs("soffice", …)` (or a module-level
`pytestmark`). Where a tool is missing the test is skipped and the summary says which tool and
how to install it — unless REPORTKIT_REQUIRE_TOOLS=1 (set by scripts/test.sh once it has
installed them, and by CI), where the test fails instead: CI never skips silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Tool:
    name: str  # what a user reads
    debian: str  # package names per system
    fedora: str
    homebrew: str
    locate: Callable[[], str | None]


def _first(*commands: str, paths: tuple[str, ...] = ()) -> Callable[[], str | None]:
    def locate() -> str | None:
        for command in commands:
            if found := shutil.which(command):
                return found
        return next((p for p in paths if Path(p).is_file()), None)
    return locate


def _all(*commands: str) -> Callable[[], str | None]:
    def locate() -> str | None:
        found = [shutil.which(c) for c in commands]
        return found[0] if all(found) else None
    return locate


def _cjk_fonts() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return "fc-list" if "Noto Sans CJK" in listed or "Noto Serif CJK" in listed else None


def _kai_font() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return "fc-list" if "AR PL UKai" in listed else None


TOOLS = {
    "soffice": Tool("LibreOffice（soffice）", "libreoffice-writer-nogui", "libreoffice-writer",
                    "--cask libreoffice",
                    _first("soffice", "libreoffice",
                           paths=("/Applications/LibreOffice.app/Contents/MacOS/soffice",))),
    "poppler": Tool("poppler-utils（pdfinfo、pdftotext、pdftoppm、pdffonts）", "poppler-utils", "poppler-utils",
                    "poppler", _all("pdfinfo", "pdftotext", "pdftoppm", "pdffonts")),
    "chromium": Tool("Chromium", "chromium", "chromium", "--cask chromium",
                     _first("chromium", "chromium-browser",
                            paths=("/Applications/Chromium.app/Contents/MacOS/Chromium",))),
    "cjk-fonts": Tool("Noto CJK 字体", "fonts-noto-cjk", "google-noto-sans-cjk-fonts google-noto-serif-cjk-fonts",
                      "--cask font-noto-sans-cjk-sc font-noto-serif-cjk-sc", _cjk_fonts),
    "kai-font": Tool("楷体的替代字体 AR PL UKai", "fonts-arphic-ukai", "cjkuni-ukai-fonts",
                     "--cask font-ar-pl-ukai", _kai_font),
}


@cache
def path(tool: str) -> str | None:
    """Where the tool is on this machine, or None."""
    return TOOLS[tool].locate()


def chromium() -> str:
    """The Chromium executable for Playwright (no browser is downloaded)."""
    found = path("chromium")
    assert found, missing_message(["chromium"])
    return found


def required() -> bool:
    return os.environ.get("REPORTKIT_REQUIRE_TOOLS") == "1"


def install_hint(tools: list[str]) -> str:
    picked = [TOOLS[t] for t in tools]
    return ("Debian/Ubuntu：sudo apt-get install " + " ".join(t.debian for t in picked)
            + "；Fedora：sudo dnf install " + " ".join(t.fedora for t in picked)
            + "；Homebrew：" + "；".join(f"brew install {t.homebrew}" for t in picked))


def missing_message(tools: list[str]) -> str:
    return "缺少系统工具：" + "、".join(TOOLS[t].name for t in tools) + "。安装：" + install_hint(tools)
