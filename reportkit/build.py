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

from .report import Report, load_report
from .scores_json import scores_to_json


@dataclass
class BuildResult:
    report: Report
    outputs: list[Path]


def docx_name(report: Report) -> str:
    return f"{report.title}.docx"


def _write_all(targets: dict[Path, Callable[[Path], None]]) -> None:
    staged: list[tuple[Path, Path]] = []
    try:
        for target, writer in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            staged.append((Path(tmp), target))
            writer(Path(tmp))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


def build(root: Path, template: Path | None = None) -> BuildResult:
    from .docx_render import render_docx

    report = load_report(root)
    out = report.paths.build
    template = template or _configured_template(report)
    docx = out / docx_name(report)
    scores = out / "scores.json"
    _write_all({
        docx: lambda p: render_docx(report, p, template),
        scores: lambda p: p.write_text(scores_to_json(report.scores), encoding="utf-8"),
    })
    return BuildResult(report, [docx, scores])


def _configured_template(report: Report) -> Path | None:
    value = report.options.get("template")
    return (report.paths.root / value) if value else None
