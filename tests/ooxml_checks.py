"""Independent readers of every Word file the tests build: the ISO 29500 schemas (openxml-audit,
strict), package integrity (ooxml-integrity), python-docx and docx2python.

conftest.py runs them on each docx that render_docx writes, so a change that makes any report
invalid fails the test that built it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_seen: dict[str, list[str]] = {}
_validator = None


def docx_problems(path: Path) -> list[str]:
    """What the independent readers find wrong with one .docx (empty: nothing)."""
    global _validator
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest in _seen:
        return _seen[digest]
    from docx import Document
    from docx2python import docx2python
    from ooxml_integrity import ERROR, WARN, check
    from openxml_audit import OpenXmlValidator

    if _validator is None:
        _validator = OpenXmlValidator(strict=True, max_errors=0)
    problems = [f"openxml-audit: {e.description} ({e.part_uri} {e.path})"
                for e in _validator.validate(str(path)).errors]
    problems += [f"ooxml-integrity: {f.code} {f.message} ({f.part} {f.where})" for f in check(path)
                 if f.severity in (ERROR, WARN)]
    try:
        Document(str(path))
        with docx2python(str(path)) as read:
            read.text  # noqa: B018 - reading every part is the check
    except Exception as exc:  # any reader failing is the finding
        problems.append(f"read back: {type(exc).__name__}: {exc}")
    _seen[digest] = problems
    return problems
