"""Uploaded files: kept inside the data dir, within size and count limits, then ingested.

A file's name is reduced to its last path component and made safe, so "../../etc/passwd",
absolute paths and dot-files can never write outside `<data_dir>/uploads`; links are not
followed. A name that only needed mending (".hidden.txt", "..\\..\\y.txt") is stored under
the mended name and says so; one with nothing safe left is refused alone. Each file gets one
result line: added, updated, skipped or rejected with a reason.

Uploads are private: the uploads folder is 0700 and each kept file 0600; Gradio's own copy of
every upload lands in `<data_dir>/gradio-tmp` (0700, `private_temp_dir`, set by `rag serve`
through `GRADIO_TEMP_DIR`) and is deleted once the file is ingested or refused
(`discard_temp_copies`), so no upload, rejected ones included, sits world-readable in /tmp.
That folder is kept outside the working directory: Gradio refuses a whole batch when one of
its files is a dot-file inside the working directory, which the default data dir (./.rag) is.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from rag import Assistant, disk_full, is_feed_file

_SAFE = re.compile(r"[^A-Za-z0-9._ -]")
GONE = "the uploaded copy is no longer on the server; choose the file again to add it"
_GRADIO_LEFTOVER = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile.NamedTemporaryFile's names


@dataclass
class UploadResult:
    file: str
    result: str  # added | updated | skipped | rejected
    detail: str = ""


def safe_name(name: str) -> str | None:
    """The file name to store under, or None when nothing safe is left of it. Leading dots
    go (".hidden.txt" is stored as "hidden.txt": a hidden file in the uploads folder is a
    file nobody sees), but a name that was nothing but a dot-file (".bashrc") is no article."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _SAFE.sub("_", base)
    shown = base.lstrip(". ")
    if not shown or (base != shown and "." not in shown):
        return None
    return shown[:120]


def private_temp_dir(data_dir: Path) -> Path:
    """A folder only this user can open, for Gradio's copies of uploads (and its other
    temporary files): `<data_dir>/gradio-tmp`, unless the data dir cannot be written or lies
    inside the working directory, where Gradio refuses every batch holding a dot-file
    ("Dotfiles located in the temporary directory cannot be moved"); then one in the
    system's temp folder, the same for each start on this data dir."""
    wanted = data_dir / "gradio-tmp"
    if not _inside(wanted.resolve(), Path.cwd().resolve()):
        try:
            wanted.mkdir(parents=True, exist_ok=True)
            wanted.chmod(0o700)
            return wanted.resolve()
        except OSError:
            pass
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    shared = Path(tempfile.gettempdir()).resolve() / f"rag-gradio-{os.getuid()}-{digest}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        info = shared.lstat()  # someone else's folder, or a link planted there: not ours
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
            return shared
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="rag-gradio-")).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def gradio_temp_dir() -> Path:
    """Where Gradio keeps uploads in this process (its own rule: GRADIO_TEMP_DIR or
    <tmp>/gradio)."""
    return Path(
        os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio"
    ).resolve()


def discard_temp_copies(paths: Iterable[Path]) -> None:
    """Delete Gradio's copies of uploads once they are ingested or refused, with the
    per-upload folder Gradio made for each, and the empty file Gradio's File component
    leaves beside them for each; paths outside Gradio's temp dir are left alone."""
    root = gradio_temp_dir()
    copies = [Path(p).resolve() for p in paths]
    _discard_empty_leftovers(root, copies)
    for path in copies:
        if root not in path.parents or path.is_dir():
            continue
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent


def _discard_empty_leftovers(root: Path, copies: list[Path]) -> None:
    """Remove the empty `tmpXXXXXXXX` files Gradio's File component creates (and never
    uses) in its temp dir for each file it hands over: one per upload, forever.

    Only empty ones made since these copies were uploaded, and not open in this process
    (an upload still arriving is written to a file of the same pattern) are removed."""
    times = [p.stat().st_mtime for p in copies if root in p.parents and p.is_file()]
    if not times or not root.is_dir():
        return
    since = min(times) - 1.0
    busy = _open_files()
    for leftover in root.glob("tmp*"):
        try:
            info = leftover.lstat()
        except OSError:
            continue
        if (
            _GRADIO_LEFTOVER.fullmatch(leftover.name)
            and stat.S_ISREG(info.st_mode)
            and info.st_size == 0
            and info.st_mtime >= since
            and leftover.resolve() not in busy
        ):
            leftover.unlink(missing_ok=True)


def _open_files() -> set[Path]:
    """The files this process has open (Linux /proc; empty where there is none)."""
    found = set()
    folder = Path("/proc/self/fd")
    for link in folder.iterdir() if folder.is_dir() else ():
        try:
            found.add(Path(os.readlink(link)))
        except OSError:
            continue
    return found


def save_and_ingest(assistant: Assistant, files: list[tuple[str, Path]]) -> list[UploadResult]:
    """Copy (original name, temp path) pairs into the uploads dir and ingest them."""
    settings = assistant.settings
    folder = settings.uploads_dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    results: list[UploadResult] = []
    if len(files) > settings.ui_max_files:
        return [
            UploadResult(
                name, "rejected", f"too many files at once (limit {settings.ui_max_files})"
            )
            for name, _ in files
        ]
    saved: dict[str, str] = {}  # stored path -> original name
    renamed: dict[str, str] = {}  # stored path -> "stored as NAME", when the name was mended
    for original, temp in files:
        name = safe_name(original)
        if name is None:
            results.append(
                UploadResult(
                    original,
                    "rejected",
                    "file name not allowed: "
                    "nothing is left of it without its dots and "
                    "folders; rename the file, e.g. article.txt",
                )
            )
            continue
        try:
            size_mb = temp.stat().st_size / 1_048_576
        except FileNotFoundError:  # taken by an Add before this one, or cleaned away
            results.append(UploadResult(original, "rejected", GONE))
            continue
        if size_mb > settings.ui_max_upload_mb:
            results.append(
                UploadResult(
                    original,
                    "rejected",
                    f"{size_mb:.1f} MB is over the {settings.ui_max_upload_mb:g} MB limit",
                )
            )
            continue
        target = (folder / name).resolve()
        if target.parent != folder or target.is_symlink():
            results.append(UploadResult(original, "rejected", "file name not allowed"))
            continue
        try:
            with target.open("wb") as out, temp.open("rb") as source:  # 0600 from the start
                os.chmod(out.fileno(), 0o600)
                shutil.copyfileobj(source, out)
        except OSError as err:
            target.unlink(missing_ok=True)  # no half-copied file
            raise (disk_full(err, target, "saving the upload") or err) from err
        saved[str(target)] = original
        if name != original:
            renamed[str(target)] = f"stored as {name}"
    if not saved:
        return results
    report = assistant.ingest([Path(p) for p in saved], progress=False, protect_others=True)
    problems: dict[str, list[str]] = {}
    for problem in report.problems:
        problems.setdefault(str(Path(problem.path).resolve()), []).append(
            f"line {problem.line}: {problem.message}" if problem.line else problem.message
        )
    warnings: dict[str, list[str]] = {}
    for warning in report.warnings:
        warnings.setdefault(str(Path(warning.path).resolve()), []).append(str(warning.message))
    for path, original in saved.items():
        doc_id = Path(path).name
        caveat = "; ".join([*filter(None, [renamed.get(path)]), *warnings.get(path, [])])
        is_feed = is_feed_file(path)
        if path in problems and not is_feed:
            Path(path).unlink(missing_ok=True)  # keep nothing that could not be read
            results.append(UploadResult(original, "rejected", "; ".join(problems[path])))
        elif doc_id in report.added:
            results.append(UploadResult(original, "added", caveat))
        elif doc_id in report.updated:
            results.append(UploadResult(original, "updated", caveat))
        elif doc_id in report.skipped:
            results.append(UploadResult(original, "skipped", "unchanged"))
        else:  # a feed file holds several records with ids of their own
            results.append(_feed_result(original, path, report, problems.get(path, [])))
            if results[-1].result == "rejected":
                Path(path).unlink(missing_ok=True)  # nothing of it was stored: keep nothing
    return results


def _feed_result(original: str, path: str, report: Any, refused: list[str]) -> UploadResult:
    """What happened to a feed's records: counted, with every refused one said."""
    mine = report.records_from.get(path, [])
    added = sum(doc in report.added for doc in mine)
    updated = sum(doc in report.updated for doc in mine)
    skipped = sum(doc in report.skipped for doc in mine)
    detail = f"{added} record(s) added, {updated} updated, {skipped} unchanged"
    if refused:
        detail += f"; {len(refused)} refused: " + "; ".join(refused)
    if not added and not updated:
        return UploadResult(original, "rejected" if refused else "skipped", detail)
    return UploadResult(original, "added" if added else "updated", detail)
