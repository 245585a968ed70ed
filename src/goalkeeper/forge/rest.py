"""REST: the client's writes (labels, milestones, issues, comments, locks) and the paginated
REST lists it reads (labels and milestones past the first hundred).

Writes are spaced a second apart and a write that creates something is never sent twice blindly
(:mod:`.wire` sees to both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from ..errors import ForgeError
from .records import RemoteIssue, RemoteLabel, RemoteMilestone
from .wire import Wire, error_message

MAX_PAGES = 100  # of a REST list (10,000 items at 100 a page)


class RestClient(Wire):
    """The REST half of :class:`~goalkeeper.forge.github.GitHubClient`."""

    def rest(
        self, method: str, path: str, body: Any = None, *, what: str = "", idempotent: bool = True,
        ok: Sequence[int] = (200, 201, 204),
    ) -> Any:
        resp = self.request(
            method, f"{self.base_url}{path}", body=body, what=what or f"{method} {path}",
            idempotent=idempotent,
        )
        if resp.status_code not in ok:
            raise ForgeError(
                f"{what or method + ' ' + path}: GitHub answered {resp.status_code}: {error_message(resp)}"
            )
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError as e:
            raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e

    def rest_pages(self, path: str, *, what: str) -> list[Any]:
        """Every item of a paginated REST list, following its `Link: <...>; rel="next"` headers."""
        url = f"{self.base_url}{path}"
        items: list[Any] = []
        for _ in range(MAX_PAGES):
            resp = self.request("GET", url, what=what)
            _expect(resp, (200,), what)
            try:
                page = resp.json()
            except ValueError as e:
                raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e
            if not isinstance(page, list):
                raise ForgeError(f"{what}: GitHub answered with something that is not a list")
            items += page
            url = resp.links.get("next", {}).get("url", "")
            if not url:
                return items
        raise ForgeError(f"{what}: more than {MAX_PAGES} pages; giving up")

    def labels(self, repo: str) -> tuple[RemoteLabel, ...]:
        found = self.rest_pages(f"/repos/{repo}/labels?per_page=100", what=f"reading labels of {repo}")
        return tuple(RemoteLabel(str(lb["name"]), str(lb.get("color") or ""))
                     for lb in found if isinstance(lb, dict) and "name" in lb)

    def milestones(self, repo: str) -> tuple[RemoteMilestone, ...]:
        found = self.rest_pages(f"/repos/{repo}/milestones?state=all&per_page=100",
                                what=f"reading milestones of {repo}")
        return tuple(RemoteMilestone(int(m["number"]), str(m.get("title") or ""),
                                     str(m.get("state") or "open").upper())
                     for m in found if isinstance(m, dict) and "number" in m)

    def milestone_number(self, repo: str, title: str) -> int | None:
        """The number of the milestone titled `title` (open or closed), reading every page."""
        return next((m.number for m in self.milestones(repo) if m.title == title), None)

    # -- writing ------------------------------------------------------------------------

    def create_label(self, repo: str, name: str, color: str) -> None:
        resp = self.request(
            "POST", f"{self.base_url}/repos/{repo}/labels", body={"name": name, "color": color},
            what=f"creating label {name!r} in {repo}",
        )
        if resp.status_code == 422 and "already_exists" in resp.text:
            return
        _expect(resp, (201,), f"creating label {name!r} in {repo}")

    def create_milestone(self, repo: str, title: str) -> int:
        what = f"creating milestone {title!r} in {repo}"
        resp = self.request("POST", f"{self.base_url}/repos/{repo}/milestones",
                            body={"title": title}, what=what)
        if resp.status_code == 422 and "already_exists" in resp.text:
            number = self.milestone_number(repo, title)
            if number is not None:
                return number
        _expect(resp, (201,), what)
        return int(resp.json()["number"])

    def create_issue(
        self, repo: str, *, title: str, body: str, labels: Sequence[str], milestone: int | None
    ) -> RemoteIssue:
        payload: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
        if milestone:
            payload["milestone"] = milestone
        data = self.rest("POST", f"/repos/{repo}/issues", payload, idempotent=False,
                         what=f"creating issue {title!r} in {repo}", ok=(201,))
        return issue_from_rest(data, repo)

    def update_issue(self, repo: str, number: int, **fields: Any) -> RemoteIssue:
        data = self.rest("PATCH", f"/repos/{repo}/issues/{number}", fields,
                         what=f"updating {repo}#{number}")
        return issue_from_rest(data, repo)

    def add_labels(self, repo: str, number: int, labels: Sequence[str]) -> None:
        self.rest("POST", f"/repos/{repo}/issues/{number}/labels", {"labels": list(labels)},
                  what=f"labelling {repo}#{number}")

    def add_comment(self, repo: str, number: int, body: str) -> str:
        data = self.rest("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body},
                         idempotent=False, what=f"commenting on {repo}#{number}", ok=(201,))
        return str(data.get("html_url") or "")

    def lock_issue(self, repo: str, number: int) -> None:
        self.rest("PUT", f"/repos/{repo}/issues/{number}/lock", {"lock_reason": "resolved"},
                  what=f"locking {repo}#{number}")


def issue_from_rest(data: Any, repo: str) -> RemoteIssue:
    """A REST issue object (as returned by create/update) as a record, without comments."""
    if not isinstance(data, dict):
        raise ForgeError(f"GitHub answered an issue request on {repo} with no issue")
    milestone = data.get("milestone") or {}
    return RemoteIssue(
        repo=repo,
        number=int(data["number"]),
        node_id=str(data.get("node_id") or ""),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        state=str(data.get("state") or "open").upper(),
        url=str(data.get("html_url") or ""),
        author=str((data.get("user") or {}).get("login") or "ghost"),
        created_at=str(data.get("created_at") or ""),
        updated_at=str(data.get("updated_at") or ""),
        closed_at=str(data.get("closed_at") or ""),
        labels=tuple(str(lb["name"]) for lb in data.get("labels") or ()),
        milestone=str(milestone.get("title") or ""),
        milestone_number=int(milestone.get("number") or 0),
        assignees=tuple(str(a["login"]) for a in data.get("assignees") or ()),
    )



def _expect(resp: httpx.Response, ok: Sequence[int], what: str) -> None:
    if resp.status_code not in ok:
        raise ForgeError(f"{what}: GitHub answered {resp.status_code}: {error_message(resp)}")
