"""Bytes of an untrusted document → text, or a located diagnostic saying why not."""

from __future__ import annotations

from ..diagnostics import Diagnostics, Span
from ..errors import GoalkeeperError

_BOM = b"\xef\xbb\xbf"


def utf8_sig(data: bytes) -> str:
    """`data.decode("utf-8-sig")` without that codec's wrapper in Python (some 9,000
    instructions a document): the same text, or the same error, whose positions count from
    after a BOM as that codec's do."""
    return data[3:].decode() if data.startswith(_BOM) else data.decode()


def decode(data: bytes, rel: str, diags: Diagnostics, what: str = "documents") -> str | None:
    """UTF-8 text (a BOM is dropped), or None after a `binary-file` / `not-utf8` diagnostic
    pointing at the first offending byte."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        diags.add(Span(rel, line), "binary-file", "file holds binary data (NUL bytes); skipped",
                  f"{what} must be markdown text")
        return None
    try:
        return utf8_sig(data)
    except UnicodeDecodeError as e:
        at, line, col = _bad_byte(data, e)
        diags.add(Span(rel, line, col), "not-utf8",
                  f"file is not valid UTF-8 (byte 0x{data[at]:02x}); skipped",
                  "re-save the file as UTF-8")
        return None


def _bad_byte(data: bytes, e: UnicodeDecodeError) -> tuple[int, int, int]:
    """Where in `data` the byte `e` complains of is: its offset, line and (byte) column. The
    error's own offset counts from after a BOM, which is not part of any column either."""
    bom = len(_BOM) if data.startswith(_BOM) else 0
    at = e.start + bom
    line_start = data.rfind(b"\n", 0, at) + 1
    return at, data.count(b"\n", 0, at) + 1, at - max(line_start, bom) + 1


def decode_or_raise(data: bytes, where: str, error: type[GoalkeeperError] = GoalkeeperError) -> str:
    """UTF-8 text (a BOM is dropped) of a file a command cannot do without, or `error` in one
    sentence naming the file, the line and the byte to fix."""
    try:
        return utf8_sig(data)
    except UnicodeDecodeError as e:
        at, line, _ = _bad_byte(data, e)
        raise error(f"{where}:{line}: not valid UTF-8 (byte {data[at]:#04x}); "
                    "re-save the file as UTF-8") from None


def lines_holding(text: str, needle: str) -> list[int]:
    """The 1-based numbers of the lines of `text` that hold `needle` (which holds no newline),
    found by searching the whole text rather than each line: a check that looks for a marker
    few lines have reads only those."""
    out: list[int] = []
    line, counted = 1, 0  # `line` is the line of `counted`
    at = text.find(needle)
    while at >= 0:
        line += text.count("\n", counted, at)
        out.append(line)
        counted = text.find("\n", at)
        if counted < 0:
            break
        at = text.find(needle, counted)
    return out
