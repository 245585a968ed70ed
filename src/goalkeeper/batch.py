"""Garbage-collector settings for a command that reads a whole repository and then ends."""

from __future__ import annotations

import gc


def collect_for_batch() -> None:
    """Commands read whole repositories into objects that live until the process ends; with
    the default thresholds the cycle collector would walk them hundreds of times for nothing.
    The modules imported so far are frozen out of its reach, it runs less often, and it is
    turned (back) on: the entry point loads the modules with it off."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()
