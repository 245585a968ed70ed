"""Renderers: read the model and views, write documents (markdown, HTML, CSV, JSON)."""
