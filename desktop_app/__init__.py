"""Interview Station desktop engine: station and review-desk logic with no Qt in it."""

__version__ = "0.1.0"
