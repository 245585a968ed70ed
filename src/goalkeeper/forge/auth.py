"""The GitHub token: where it comes from, and where it may be sent.

The token is held in a :class:`Token`, whose repr never shows it; :mod:`.wire` sends it in the
Authorization header and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..constants import DEFAULT_API_URL
from ..errors import TokenError


@dataclass(frozen=True, slots=True)
class Token:
    """A forge token and where it came from; its repr and str never show the value."""

    value: str = field(repr=False)
    source: str = "GITHUB_TOKEN"

    def __str__(self) -> str:
        return f"<token from {self.source}>"


def resolve_token(
    env: Mapping[str, str] | None = None,
    *,
    api_url: str = DEFAULT_API_URL,
    gh: Callable[[str], str | None] | None = None,
) -> Token:
    """The token from GITHUB_TOKEN, GH_TOKEN or `gh auth token`; TokenError if there is none.

    The API address comes from the repository's goalkeeper.toml, which a pull request can edit,
    so a token is only sent over https; a token from the environment only to api.github.com, a
    loopback address, or the server the person running goalkeeper named in GOALKEEPER_API_URL
    (`gh auth token` is asked for the API's own host, so its token belongs there).
    """
    env = os.environ if env is None else env
    check_api_url(api_url, env, from_env=False)
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            check_api_url(api_url, env, from_env=True)
            return Token(value, name)
    host = web_host(api_url)
    from_gh = (gh or _gh_auth_token)(host)
    if from_gh:
        return Token(from_gh, "gh auth token")
    login = "gh auth login" + (f" --hostname {host}" if host != "github.com" else "")
    raise TokenError(f"no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `{login}`")


def check_api_url(api_url: str, env: Mapping[str, str], *, from_env: bool) -> None:
    """Refuse to send a token where the repository, rather than its operator, points it."""
    from urllib.parse import urlsplit

    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if host in ("127.0.0.1", "localhost", "::1"):
        return  # a local stand-in (tests, proxies)
    if parts.scheme != "https":
        raise TokenError(f"refusing to send the GitHub token to {api_url}: the API address must "
                         "use https")
    if host == "api.github.com" or not from_env:
        return
    allowed = env.get("GOALKEEPER_API_URL", "").rstrip("/")
    if allowed != api_url.rstrip("/"):
        raise TokenError(
            f"goalkeeper.toml sends the GitHub token to {api_url}; if that is your GitHub "
            f"Enterprise server, confirm it by setting GOALKEEPER_API_URL={api_url}"
        )


def _gh_auth_token(host: str) -> str | None:
    exe = shutil.which("gh")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "auth", "token", "--hostname", host],
            capture_output=True, text=True, timeout=15, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None


def web_host(api_url: str) -> str:
    """`https://api.github.com` → `github.com`; `https://ghe.example/api/v3` → `ghe.example`;
    GitHub Enterprise Cloud with data residency, `https://api.SUB.ghe.com` → `SUB.ghe.com`."""
    host = (urlsplit(api_url).hostname or "github.com").lower()
    if host == "api.github.com":
        return "github.com"
    if host.startswith("api.") and host.endswith(".ghe.com"):
        return host[len("api."):]
    return host
