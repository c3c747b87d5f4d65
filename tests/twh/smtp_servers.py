"""SMTP servers on loopback for the mail tests: one that accepts connections and never says a
word, and a real one (aiosmtpd) that records every message it is given."""

import socket
import threading
from email import message_from_bytes

from aiosmtpd.controller import Controller


class HungSMTPServer:
    """Accepts every connection and never answers (not even the greeting), until closed."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.connected = threading.Event()
        self.answered = False  # never set: this server sends nothing
        self._closing = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._closing:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._closing:
                conn.close()
                return
            self.connections.append(conn)
            self.connected.set()

    def close(self):
        """Hang up on every client (they fail at once) and stop listening."""
        self._closing = True
        for conn in self.connections:
            conn.close()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not
        except OSError:
            pass
        self.sock.close()
        self._thread.join(timeout=5)


class _Recorder:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


class RecordingSMTPServer:
    """A real SMTP server (aiosmtpd) on a free loopback port."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.recorder = _Recorder()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.port = port

    @property
    def messages(self):
        return list(self.recorder.messages)

    def close(self):
        self.controller.stop()
