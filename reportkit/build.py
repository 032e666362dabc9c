"""reportkit build: the report folder → build/…docx, build/scores.json (and more), atomically.

Every output is first written to a temporary file beside its target; only when all of them
are complete are they moved into place, so a failed build leaves the previous one intact.

A build killed while it moves them must not leave a new Word file beside an old HTML file:
before the first move, a journal (build/.reportkit-pending.json) names every temporary file
and its digest; after the last, a manifest (build/.reportkit-build.json) names the outputs
and their digests, and the journal goes. The next build first finishes an interrupted move
from the journal (or says that it cannot) and removes stray temporary files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import Report, load_report
from .errors import ReportError, os_reason
from .load import Paths
from .render import scores_to_json, write_html


@dataclass
class BuildResult:
    """What a build wrote: the report, the output files, and what recovery did first."""

    report: Report
    outputs: list[Path]
    notes: list[str] = field(default_factory=list)  # what recovery did before this build


def docx_name(report: Report) -> str:
    return f"{report.title}.docx"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


JOURNAL = ".reportkit-pending.json"
MANIFEST = ".reportkit-build.json"


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: Path, data: dict) -> None:
    """Atomically: a reader sees the old file or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


def _commit(out: Path, pending: dict[str, dict[str, str]]) -> None:
    """Move every staged file into place, then record the set; idempotent (recovery reruns it)."""
    for name, entry in pending.items():
        tmp = out / entry["tmp"]
        if tmp.exists():
            os.replace(tmp, out / name)
    _write_json(out / MANIFEST, {"outputs": {name: entry["sha256"] for name, entry in pending.items()}})
    (out / JOURNAL).unlink(missing_ok=True)


def recover(out: Path) -> list[str]:
    """Finish a build that was killed while moving its files into place; remove stray
    temporary files. Returns what a user should be told (nothing when all was well)."""
    notes: list[str] = []
    journal = out / JOURNAL
    if journal.is_file():
        try:
            pending = json.loads(journal.read_text(encoding="utf-8"))["files"]
            complete = all(
                (out / e["tmp"]).is_file() and _digest(out / e["tmp"]) == e["sha256"]
                or (out / name).is_file() and _digest(out / name) == e["sha256"]
                for name, e in pending.items()
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pending, complete = {}, False
        if complete:
            _commit(out, pending)
            notes.append("上一次生成在替换输出文件时被中断，已按其记录补完（build/ 中是上一次完整的输出）")
        else:
            journal.unlink(missing_ok=True)
            (out / MANIFEST).unlink(missing_ok=True)
            notes.append("上一次生成被中断且其记录不完整，build/ 中的文件可能新旧混杂；本次生成会全部重写")
    if out.is_dir():
        for stray in out.glob(".*.tmp"):
            stray.unlink(missing_ok=True)
    return notes


def _write_all(targets: dict[Path, Callable[[Path], None]], staged: dict[Path, Path]) -> None:
    """Write every target to a temporary file, then move them all into place (all in one folder).

    Writers run in order and `staged` maps each target written so far to its temporary
    file, so a later writer can read an earlier one (the PDF converts the fresh docx).
    """
    out = next(iter(targets)).parent
    try:
        for target, writer in targets.items():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                os.close(fd)
                staged[target] = Path(tmp)
                writer(Path(tmp))
            except OSError as exc:  # no permission, a full disk
                raise ReportError(f"无法写入输出文件（{os_reason(exc)}）", file=target,
                                  expected="一个可以写入的 build/ 文件夹") from None
        mode = 0o666 & ~_umask()  # mkstemp makes 0600 files; outputs are ordinary files
        pending = {}
        for target, tmp in staged.items():
            os.chmod(tmp, mode)
            pending[target.name] = {"tmp": tmp.name, "sha256": _digest(tmp)}
        _write_json(out / JOURNAL, {"files": pending})  # from here on, the new set is the build
        _commit(out, pending)
    finally:
        if not (out / JOURNAL).exists():
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)


def build(root: Path, template: Path | None = None, pdf: bool = False, out: Path | None = None) -> BuildResult:
    """Write the report's outputs into `out` (default: the folder's build/)."""
    from .render import render_docx

    if pdf:  # the PDF converter is imported only when a PDF is asked for (start-up time)
        from .render import PDF_HINT, PDF_MISSING, docx_to_pdf, find_soffice

        if find_soffice() is None:  # fail before any work, with the install hint
            raise ReportError(PDF_MISSING, expected=PDF_HINT)
    out = Path(out) if out is not None else Paths(Path(root)).build
    if out.exists() and not out.is_dir():
        raise ReportError("输出位置是一个文件，不是文件夹", file=out,
                          expected=f"删除或改名这个文件，reportkit 会新建 {out.name}/ 文件夹存放报告")
    notes = recover(out)  # first: a failed build below still leaves a complete set
    report = _load_finished(root)
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
    return BuildResult(report, list(targets), notes)


def _load_finished(root: Path) -> Report:
    """The report, or — while it is still a scaffold being filled in — the to-do list that
    `reportkit check` prints. The check runs only when something is missing, so a finished
    report builds without paying for it."""
    try:
        report = load_report(root)
    except ReportError as exc:
        if exc.key != "previous":  # last year's report is broken: its to-dos here would hide why
            _require_finished(root, failed=True)  # the to-dos, unless check finds errors too
        raise
    if any(b.source and not b.markdown.strip() for b in report.blocks):
        _require_finished(root)
    return report


def _require_finished(root: Path, failed: bool = False) -> None:
    from .check import require_finished

    require_finished(root, failed=failed)


def _configured_template(report: Report) -> Path | None:
    value = report.options.get("template")
    return (report.paths.root / value) if value else None
