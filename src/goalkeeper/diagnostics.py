"""Problems in documents are data: spans, diagnostics and their text/JSON/GitHub renderings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from .constants import CODES, Severity
from .records import OrderedRecord, Record, dataclass, field


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Span(OrderedRecord):
    """A place in a document: a path relative to the program root, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Diagnostic(Record):
    span: Span
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class Diagnostics:
    """Collects diagnostics; severities come from the code table unless overridden."""

    def __init__(self, overrides: dict[str, Severity] | None = None) -> None:
        self._items: list[Diagnostic] = []
        self._overrides = overrides or {}

    def add(
        self,
        span: Span,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity | None = None,
    ) -> None:
        if code not in CODES:  # a programming error, caught by the tests
            raise KeyError(f"undocumented diagnostic code {code!r}")
        sev = severity or self._overrides.get(code) or CODES[code].severity
        self._items.append(Diagnostic(span, code, message, hint, sev))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def since(self, mark: int) -> list[Diagnostic]:
        """The diagnostics added after the first `mark` (a `len()` taken earlier)."""
        return self._items[mark:]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._items, key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """A hint naming the closest of `options` to `word`, or "" when none is close."""
    return _closest(word.strip(), tuple(options), cutoff)


@lru_cache(maxsize=256)  # the documents of a program repeat their unknown names
def _closest(word: str, options: tuple[str, ...], cutoff: float) -> str:
    import difflib

    match = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return f"did you mean `{match[0]}`?" if match else ""


def format_text(d: Diagnostic) -> str:
    """Compiler-style: ``path:line:col: error[code]: message`` and an indented hint."""
    head = f"{d.span}: {d.severity}[{d.code}]: {d.message}"
    return head + (f"\n  = hint: {d.hint}" if d.hint else "")


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the file in a pull request."""
    kind = "error" if d.severity is Severity.ERROR else "warning"
    props = [f"file={_gh_prop(d.span.path)}"]
    if d.span.line > 0:
        props.append(f"line={d.span.line}")
    if d.span.column > 0:
        props.append(f"col={d.span.column}")
    props.append(f"title={_gh_prop(d.code)}")
    text = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{kind} {','.join(props)}::{_gh_data(text)}"


def format_json(diags: Iterable[Diagnostic]) -> str:
    import json

    return json.dumps([d.to_dict() for d in diags], indent=2, ensure_ascii=False)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")
