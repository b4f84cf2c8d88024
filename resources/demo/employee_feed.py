#!/usr/bin/python3
"""The HR system's change feed, as a local HTTP endpoint: GET /employee-changes."""
import json
import random
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from employees import changes

RNG = random.Random()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] != "/employee-changes":
            self.send_error(404)
            return
        body = json.dumps(changes(RNG, list(range(1, 201)), count=RNG.randint(1, 8)), ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
