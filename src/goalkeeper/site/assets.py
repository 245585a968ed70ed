"""The files copied into the site as they are: the repository's passive assets (images, PDFs,
data) from the source folder, and the static files (the package's, and the repository's
`templates/static/` ones, which add to or replace them)."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

from ..fsutil import inside
from ..model import Program

TEMPLATE_DIR = "templates"  # in the repository: ROOT/templates/ overrides the package's

#: File kinds copied into the site as they are; anything that a browser could run is not.
SAFE_ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
    ".pdf", ".txt", ".csv", ".json", ".toml", ".yaml", ".yml",
    ".woff", ".woff2", ".ttf", ".otf", ".mp4", ".webm", ".mp3", ".ogg",
})


def _safe_asset(path: Path, root: Path) -> bool:
    if path.suffix.lower() not in SAFE_ASSET_SUFFIXES:
        return False
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def source_assets(program: Program) -> dict[str, tuple[str, bytes]]:
    """Non-markdown files under the source folder, copied as they are: only passive kinds
    (images, PDFs, plain text, data) and never through a link that leaves the repository.
    HTML, SVG and scripts are left out: documents come from anyone who opens a pull request,
    and the site sanitizes what it renders but cannot sanitize a copied file."""
    src_dir = program.config.source_dir
    out: dict[str, tuple[str, bytes]] = {}
    limit = program.config.max_file_bytes
    for folder, dirs, names in os.walk(src_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name.lower().endswith(".md"):
                continue
            p = Path(folder) / name
            try:
                if not p.is_file() or p.stat().st_size > limit:
                    continue
                data = p.read_bytes()
            except OSError:
                continue
            if not _safe_asset(p, program.root):
                continue
            rel_src = p.relative_to(src_dir).as_posix()
            rel_root = p.relative_to(program.root).as_posix()
            out[rel_root] = (rel_src, data)
    return out


@cache
def _package_static() -> tuple[tuple[str, bytes], ...]:
    # (read once a process: the preview builds again after every save)
    pkg = resources.files("goalkeeper.site").joinpath("static")
    return tuple((e.name, e.read_bytes()) for e in sorted(pkg.iterdir(), key=lambda e: e.name)
                 if e.is_file() and not e.name.startswith("."))


def static_files(root: Path) -> dict[str, bytes]:
    out = dict(_package_static())
    override = root / TEMPLATE_DIR / "static"
    if override.is_dir() and inside(override, root):
        for p in sorted(override.rglob("*")):
            if (p.is_file() and inside(p, root)
                    and not any(part.startswith(".") for part in p.relative_to(override).parts)):
                out[p.relative_to(override).as_posix()] = p.read_bytes()
    return out
