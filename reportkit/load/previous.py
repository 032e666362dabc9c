"""`previous:` — last year's report, as a folder or as a git revision of the same repository.

    previous: ../2023年度报告            a folder, relative to this report folder
    previous: {git: v2023}               this folder as it was at a tag, branch or commit
    previous: {git: v2023, path: 2023}   another folder of the repository at that revision

A revision is read with `git archive` (no checkout: the work tree is never touched) into a
temporary folder that exists only while the report is loaded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReportError

FORMS = "previous: ../去年的报告目录，或 previous: {git: v2023}，或 previous: {git: v2023, path: 目录}"
GIT_TIMEOUT = 60
_REVISION = re.compile(r"^[^\s\x00-\x1f~^:?*\[\\-][^\s\x00-\x1f:?*\[\\]*$")  # no options, no pathspec magic


@dataclass(frozen=True)
class PreviousRef:
    """Where last year's report is; `file`/`line` point at the `previous:` that says so."""

    folder: str | None = None
    git: str | None = None
    path: str | None = None
    file: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """The previous report as a user names it, for messages."""
        if self.git:
            return f"git 版本 {self.git}" + (f" 的 {self.path}" if self.path else "")
        return str(self.folder)


def parse_previous(raw: Any, file: str | None, line: int | None) -> PreviousRef | None:
    if raw is None:
        return None

    def bad(message: str) -> ReportError:
        return ReportError(message, file=file, line=line, key="previous", expected=FORMS)

    if isinstance(raw, str):
        if not raw.strip():
            raise bad("previous 不能为空")
        return PreviousRef(folder=raw.strip(), file=file, line=line)
    if not isinstance(raw, dict):
        raise bad("previous 需要一个目录或 {git: 版本}")
    unknown = set(map(str, raw)) - {"git", "path"}
    if unknown:
        raise bad(f"previous 下有未知的键“{sorted(unknown)[0]}”")
    git = str(raw.get("git") or "").strip()
    path = str(raw.get("path") or "").strip() or None
    if not git:
        if path:
            return PreviousRef(folder=path, file=file, line=line)
        raise bad("previous 需要 git（版本、标签或分支）或 path（目录）")
    if not _REVISION.match(git):
        raise bad(f"“{git}”不是有效的 git 版本名")
    return PreviousRef(git=git, path=path, file=file, line=line)


# subprocess, tarfile, shutil and tempfile are imported where a git revision is read: every
# build imports this module, few read a revision (start-up time).


def _git(args: list[str], cwd: Path) -> Any:
    """git's CompletedProcess."""
    import subprocess

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise ReportError("找不到 git 命令", expected="安装 git 后再读取 git 版本中的上一年度报告") from None
    except subprocess.TimeoutExpired:
        raise ReportError(f"git 在 {GIT_TIMEOUT} 秒内没有完成") from None


def _extract(tar: bytes, into: Path) -> None:
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        if hasattr(tarfile, "data_filter"):  # Python ≥ 3.11.4
            archive.extractall(into, filter="data")  # no links out, no devices, no absolute paths
            return
        # Older 3.11 (Debian 12 ships 3.11.2): only plain files and folders, each inside `into`
        base = into.resolve()
        members = []
        for member in archive.getmembers():
            target = (into / member.name).resolve()
            if (member.isfile() or member.isdir()) and (target == base or base in target.parents):
                members.append(member)
        archive.extractall(into, members=members)


@contextlib.contextmanager
def git_tree(root: Path, revision: str, path: str | None = None,
             ref: PreviousRef | None = None) -> Iterator[tuple[Path, str]]:
    """The report folder `path` (default: `root` itself) as of `revision`, extracted into a
    temporary folder; yields that folder and the prefix its files are named by in messages."""
    where = {"file": ref.file, "line": ref.line, "key": "previous"} if ref else {}
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top.returncode:
        raise ReportError(f"“{root}”不在 git 仓库中，无法读取版本 {revision}", **where,
                          expected="在 git 仓库中的报告目录，或改用 previous: 目录")
    repo = Path(top.stdout.decode().strip())
    folder = (root.resolve() / path) if path else root.resolve()
    try:
        inside = folder.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        raise ReportError(f"“{path}”不在仓库 {repo} 中", **where) from None
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], repo).returncode:
        raise ReportError(f"git 仓库中没有版本“{revision}”", **where,
                          expected="已有的提交、标签或分支（git tag、git log 列出）")
    spec = f"{revision}:{inside}" if inside != "." else f"{revision}:"
    archive = _git(["archive", "--format=tar", spec], repo)
    if archive.returncode:
        raise ReportError(f"版本 {revision} 中没有目录“{inside}”", **where,
                          expected="该版本中的报告目录（含 content/facts.yaml）")
    import shutil
    import tempfile

    temp = Path(tempfile.mkdtemp(prefix="reportkit-previous-"))
    try:
        _extract(archive.stdout, temp)
        yield temp, f"{revision}:{'' if inside == '.' else inside + '/'}"
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@contextlib.contextmanager
def previous_folder(ref: PreviousRef, root: Path) -> Iterator[tuple[Path, str]]:
    """Last year's report folder (a temporary one for a git revision) and how messages name it."""
    if ref.git:
        with git_tree(root, ref.git, ref.path, ref) as found:
            yield found
        return
    folder = Path(ref.folder)
    folder = folder if folder.is_absolute() else root / folder
    if not (folder / "content" / "facts.yaml").is_file():
        raise ReportError(f"上一年度报告“{ref.folder}”不是报告目录：找不到 content/facts.yaml",
                          file=ref.file, line=ref.line, key="previous", expected=FORMS)
    if folder.resolve() == root.resolve():
        raise ReportError("previous 指向本报告自己", file=ref.file, line=ref.line, key="previous",
                          expected="上一年度的报告目录")
    yield folder, ""


def relabel(exc: ReportError, temp: Path, prefix: str) -> ReportError:
    """An error inside an extracted revision names the file as `v2023:path/content/facts.yaml`."""
    if prefix and exc.file and exc.file.startswith(str(temp)):
        exc.file = prefix + Path(exc.file).relative_to(temp).as_posix()
    return exc
