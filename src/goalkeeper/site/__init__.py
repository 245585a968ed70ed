"""The program's website: `goalkeeper build` writes it, `goalkeeper serve` previews it live.

    >>> from goalkeeper.site import build_site, write_site
    >>> site = build_site(goalkeeper.load("path/to/goals-repo"))
    >>> write_site(site, Path("site"))

Pipeline: :mod:`.urls` (where pages live) → :mod:`.html` (markdown to sanitized HTML) →
:mod:`.nav`, :mod:`.charts`, :mod:`.search` → the pages: :mod:`.documents` (one per document),
:mod:`.program_pages` (dashboard, teams, ...), :mod:`.reports`, and :mod:`.assets` (files copied
as they are) → :mod:`.build` (templates, the whole site in memory) → :mod:`.output` (writing it)
and :mod:`.serve` (the preview server: build in a loop, plus a JSON API).
"""

from .build import Site, SiteBuilder, build_site
from .html import LinkProblem
from .output import WriteReport, write_site

__all__ = ["LinkProblem", "Site", "SiteBuilder", "WriteReport", "build_site", "write_site"]
