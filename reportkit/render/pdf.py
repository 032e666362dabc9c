"""PDF through LibreOffice (`soffice --headless`), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReportError

TIMEOUT_SECONDS = 180
PDF_MISSING = "未找到 LibreOffice（soffice），无法生成 PDF"
PDF_HINT = (
    "安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer；"
    "Windows/macOS：从 libreoffice.org 安装）后重试，或去掉 --pdf"
)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, pdf: Path) -> None:
    """Convert with a private LibreOffice profile, so a running LibreOffice does not interfere."""
    soffice = find_soffice()
    if soffice is None:
        raise ReportError(PDF_MISSING, expected=PDF_HINT)
    with tempfile.TemporaryDirectory(prefix="reportkit-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        shutil.copyfile(docx, source)
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(work), str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒仍未完成") from None
        produced = work / "report.pdf"
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
            raise ReportError(f"LibreOffice 未能生成 PDF：{detail or '无输出'}")
        shutil.copyfile(produced, pdf)
