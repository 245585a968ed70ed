"""Views: pure functions from the model to rows that renderers and the CLI print."""
