"""Speed work must not change a byte: the example and the seed reports build to pinned digests.

Each output file is pinned by the SHA-256 of its content; a Word file by the digest of every
part inside it (the XML as written, independent of the zlib that compressed it) and, only
when this machine's zlib is the one the digests were taken with, of the whole zip as well.

When an intended change of the output lands (the Word format, a title, a text), rebuild the
digests on the commit that makes it and say so in that commit:

    python tests/test_output_digests.py --update
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent))

from reportkit.build import build  # noqa: E402

PINNED = TESTS / "data" / "output-digests.json"
REPO = TESTS.parent
# name → (report folder, times each section's text is repeated)
CASES = {
    "example": (REPO, 1),
    "example-3x": (REPO, 3),  # a body placed many times over, as a long report has
    "seed000": (TESTS / "data" / "check" / "seed000", 1),
    "seed001": (TESTS / "data" / "check" / "seed001", 1),
    "seed002": (TESTS / "data" / "check" / "seed002", 1),
    "mini": (TESTS / "data" / "mini", 1),  # a picture, a footnote, the table of contents
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _copy(source: Path, target: Path, times: int) -> Path:
    shutil.copytree(source / "content", target / "content")
    if (source / "reportkit.yaml").is_file():
        shutil.copy(source / "reportkit.yaml", target / "reportkit.yaml")
    if times > 1:
        for path in (target / "content").glob("*.md"):
            text = path.read_text(encoding="utf-8")
            path.write_text("\n\n".join([text] * times), encoding="utf-8")
    return target


def digests(name: str, tmp: Path) -> dict[str, str]:
    source, times = CASES[name]
    result = build(_copy(source, tmp / name, times))
    found = {}
    for path in sorted(result.outputs):
        data = path.read_bytes()
        if path.suffix == ".docx":
            found["zip"] = _sha(data)
            with zipfile.ZipFile(path) as package:
                for info in package.infolist():
                    found[info.filename] = _sha(package.read(info))
        else:
            found[path.suffix] = _sha(data)
    return found


def _built(tmp: Path) -> dict[str, dict[str, str]]:
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # the date comes from the facts or the year
    return {name: digests(name, tmp) for name in CASES}


def test_outputs_are_byte_identical_to_the_pinned_digests(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    same_zlib = pinned["zlib"] == zlib.ZLIB_RUNTIME_VERSION
    for name in CASES:
        want = dict(pinned["cases"][name])
        got = digests(name, tmp_path)
        if not same_zlib:  # another zlib may compress the same parts to other bytes
            want.pop("zip", None)
            got.pop("zip", None)
        changed = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
        assert not changed, (
            f"{name}: {', '.join(changed)} differ from {PINNED.name}. An optimisation must not change "
            "the output; an intended change is pinned anew with python tests/test_output_digests.py --update"
        )


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp())
    with tempfile.TemporaryDirectory() as tmp:
        data = {"zlib": zlib.ZLIB_RUNTIME_VERSION, "cases": _built(Path(tmp))}
    PINNED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"已更新：{PINNED}")
