"""The review desk's engine (no Qt): the server client, the media cache and relay, exports."""
