"""A local stand-in for the GitHub API, for tests and the sync benchmark (no network)."""

from . import pulls as pulls  # registers the pull-request resolvers
from .server import FakeComment, FakeGitHub, FakeIssue, FakeRepo, Request

__all__ = ["FakeComment", "FakeGitHub", "FakeIssue", "FakeRepo", "Request"]
