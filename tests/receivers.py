"""Real HTTP receivers on loopback for webhook tests: they record what arrives and answer as told."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records (headers, body) of every POST and answers `status`; `drip` seconds between bytes, or a `hold` not
    yet set, makes it hang."""

    def __init__(self, status: int = 200, drip: float = 0.0, hold: threading.Event | None = None):
        self.received: list[tuple[dict, bytes]] = []
        self.status = status
        self.hold = hold  # while set-able and not set, every answer waits (a hung receiver)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                if receiver.hold is not None:
                    receiver.hold.wait(60)
                if receiver.drip:
                    for byte in b"HTTP/1.1 200 OK\r\n":  # a status line that never ends in time
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(receiver.drip)
                    return
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.drip = drip
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
