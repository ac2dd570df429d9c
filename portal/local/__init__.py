"""What replaces AWS on a laptop: the local stack started by `make run`, and its scheduler."""
