"""Interview Station sync server.

This package file imports nothing on purpose: importing the wire contract
(`sync_server.contract`) must never pull in FastAPI, SQLAlchemy or the ML stack.
"""

__version__ = "0.1.0"
