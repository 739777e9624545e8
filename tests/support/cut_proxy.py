"""A TCP proxy that can cut a connection after N bytes, like a flaky network between station and server."""

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field


@dataclass
class CutProxy:
    """Forwards 127.0.0.1:port -> target. `cut_after(n)` drops the next connection that carries n
    more client->server bytes (hard: RST, no FIN), then forwarding goes on normally."""

    target_port: int
    port: int = 0
    _cut_at: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _listener: socket.socket | None = None
    _stopped: threading.Event = field(default_factory=threading.Event)
    cuts_done: int = 0
    refuse: bool = False  # while True, connections are accepted and closed at once (server "down")
    rate_bytes_per_second: float | None = None  # client->server throttle, to make "mid-upload" last
    bytes_up: int = 0  # client->server bytes forwarded in total

    def start(self) -> "CutProxy":
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept_loop, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut_after(self, n_bytes: int) -> None:
        with self._lock:
            self._cut_at = n_bytes

    def stop(self) -> None:
        self._stopped.set()
        if self._listener is not None:
            self._listener.close()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refuse:
                _hard_close(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                _hard_close(client)
                continue
            upstream.settimeout(None)
            threading.Thread(target=self._pump_up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()

    def _pump_up(self, source: socket.socket, sink: socket.socket) -> None:
        """Client -> server, counting bytes against an armed cut."""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self._lock:
                    budget = self._cut_at
                    if budget is not None and len(data) >= budget:
                        self._cut_at = None
                        self.cuts_done += 1
                        sink.sendall(data[:budget])
                        _hard_close(source)
                        _hard_close(sink)
                        return
                    if budget is not None:
                        self._cut_at = budget - len(data)
                    self.bytes_up += len(data)
                sink.sendall(data)
                if self.rate_bytes_per_second:
                    time.sleep(len(data) / self.rate_bytes_per_second)
        except OSError:
            pass
        _hard_close(source)
        _hard_close(sink)


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _hard_close(source)
    _hard_close(sink)


def _hard_close(sock: socket.socket) -> None:
    # shutdown() first: close() alone is deferred while the other pump thread sits in recv() on it.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
