"""Sources feeding the model: markdown documents, goal/roadmap parsing, team data."""
