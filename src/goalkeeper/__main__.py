import gc

# No cycle collection while the command's modules load (see cli._no_collection); the command
# group turns the collector back on, with its batch settings, before any command runs.
gc.disable()

from .cli import main  # noqa: E402

main()
