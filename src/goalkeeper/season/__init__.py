"""The implementation season: what flows from the forge to the monthly post.

forge (GitHub) → store (SQLite cache, filled by sync; proposals too) → progress (updates per
goal) → health (on track, at risk, stalled) → attention (what needs the program manager) → posts.
"""
