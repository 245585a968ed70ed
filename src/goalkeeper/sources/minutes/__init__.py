"""Meeting minutes, everything about them in one place.

* :mod:`.words` - the word count (GNU ``wc -w`` in the C locale) and front matter.
* :mod:`.config` - the ``[minutes]`` table of ``goalkeeper.toml``: folders, team rules, series.
* :mod:`.reader` - one minutes file read into a :class:`~goalkeeper.model.Meeting`.
* :mod:`.folders` - the configured folders walked and read (``load_minutes``), duplicates dropped.
* :mod:`.topics` - topics and action items of a meeting (for the report draft).
* :mod:`.stats` - pure statistics from meetings to rows (``goalkeeper minutes stats``).
* :mod:`.chart` - PNG/SVG charts of those statistics (``minutes stats --chart``).
* :mod:`.files` - ``goalkeeper minutes import|add``: writing minutes files.
"""
