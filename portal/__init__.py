"""Customer self-service support portal: applies a vendor's support charter exactly."""

__version__ = "0.1.0"
