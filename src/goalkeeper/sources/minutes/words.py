"""The word count of minutes, defined once: GNU ``wc -w`` in the C locale, and the front matter
a meeting's count leaves out (:func:`count_words`, :func:`split_front_matter`)."""

from __future__ import annotations

_WC_SPACE = b" \t\n\v\f\r"
_WC_TRANSPARENT = bytes(b for b in range(256) if not 0x21 <= b <= 0x7E and b not in _WC_SPACE)


def count_words(data: bytes) -> int:
    """Words in `data`, exactly as GNU ``wc -w`` counts them in the C locale (``LC_ALL=C``).

    A word is a maximal run of bytes between the six ASCII white-space bytes - space, tab,
    newline, vertical tab, form feed, carriage return - that holds at least one printable
    ASCII byte (``!`` to ``~``, 0x21-0x7E). Every other byte (control characters, DEL, and each
    byte of a non-ASCII UTF-8 character) is transparent: it neither starts a word nor ends one.
    So ``naïve`` is one word, a dash ``—`` or an emoji standing alone is no word, and a
    non-breaking space (U+00A0) joins the words around it. This is GNU coreutils' rule ("a
    word is a non-zero-length sequence of printable characters delimited by white space",
    checked against coreutils 9.1); it differs from splitting on white space only for runs made
    entirely of such transparent bytes, and from ``wc -w`` in a UTF-8 locale, where non-ASCII
    characters are printable and Unicode spaces separate words.

    A meeting's word count is ``count_words`` of the file's bytes after the front matter (a
    first line ``---`` up to the next ``---`` or ``...`` line) is removed: the same number as
    ``LC_ALL=C wc -w`` on that body.
    """
    return len(data.translate(None, _WC_TRANSPARENT).split())


def split_front_matter(data: bytes) -> tuple[bytes, bytes, int]:
    """``(front matter, body, lines before the body)`` of a file's bytes.

    Front matter is a first line ``---`` (after an optional UTF-8 byte-order mark) up to and
    including the next line that is ``---`` or ``...``; without a closing line there is none.
    """
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    first_end = data.find(b"\n", start)
    if first_end < 0 or data[start:first_end].rstrip() != b"---":
        return b"", data, 0
    pos = first_end + 1
    line = 1
    while pos < len(data):
        end = data.find(b"\n", pos)
        stop = len(data) if end < 0 else end
        line += 1
        if data[pos:stop].rstrip() in (b"---", b"..."):
            body_at = len(data) if end < 0 else end + 1
            return data[first_end + 1 : pos], data[body_at:], line
        if end < 0:
            break
        pos = end + 1
    return b"", data, 0
