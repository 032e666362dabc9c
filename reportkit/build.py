"""reportkit build: the report folder → build/…docx, build/scores.json (and more), atomically.

Every output is first written to a temporary file beside its target; only when all of them
are complete are they moved into place, so a failed build leaves the previous one intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .assemble import Report, load_report
from .errors import ReportError
from .render import PDF_HINT, PDF_MISSING, docx_to_pdf, find_soffice, scores_to_json, write_html


@dataclass
class BuildResult:
    report: Report
    outputs: list[Path]


def docx_name(report: Report) -> str:
    return f"{report.title}.docx"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_all(targets: dict[Path, Callable[[Path], None]], staged: dict[Path, Path]) -> None:
    """Write every target to a temporary file, then move them all into place.

    Writers run in order and `staged` maps each target written so far to its temporary
    file, so a later writer can read an earlier one (the PDF converts the fresh docx).
    """
    try:
        for target, writer in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            staged[target] = Path(tmp)
            writer(Path(tmp))
        mode = 0o666 & ~_umask()  # mkstemp makes 0600 files; outputs are ordinary files
        for target, tmp in staged.items():
            os.chmod(tmp, mode)
            os.replace(tmp, target)
    finally:
        for tmp in staged.values():
            if tmp.exists():
                tmp.unlink()


def build(root: Path, template: Path | None = None, pdf: bool = False, out: Path | None = None) -> BuildResult:
    """Write the report's outputs into `out` (default: the folder's build/)."""
    from .render import render_docx

    if pdf and find_soffice() is None:  # fail before any work, with the install hint
        raise ReportError(PDF_MISSING, expected=PDF_HINT)
    report = _load_finished(root)
    out = Path(out) if out is not None else report.paths.build
    template = template or _configured_template(report)
    docx = out / docx_name(report)
    staged: dict[Path, Path] = {}
    targets: dict[Path, Callable[[Path], None]] = {
        docx: lambda p: render_docx(report, p, template),
        docx.with_suffix(".html"): lambda p: write_html(report, p),
        out / "scores.json": lambda p: p.write_text(scores_to_json(report.scores), encoding="utf-8"),
    }
    if pdf:
        targets[docx.with_suffix(".pdf")] = lambda p: docx_to_pdf(staged[docx], p)
    _write_all(targets, staged)
    return BuildResult(report, list(targets))


def _load_finished(root: Path) -> Report:
    """The report, or — while it is still a scaffold being filled in — the to-do list that
    `reportkit check` prints. The check runs only when something is missing, so a finished
    report builds without paying for it."""
    try:
        report = load_report(root)
    except ReportError:
        _require_finished(root)
        raise
    if any(b.source and not b.markdown.strip() for b in report.blocks):
        _require_finished(root)
    return report


def _require_finished(root: Path) -> None:
    from .check import require_finished

    require_finished(root)


def _configured_template(report: Report) -> Path | None:
    value = report.options.get("template")
    return (report.paths.root / value) if value else None
