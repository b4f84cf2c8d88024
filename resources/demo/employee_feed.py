#!/usr/bin/python3
"""The HR system's change feed, as a local HTTP endpoint: GET /employee-changes.

employee_feed.py PORT [CHANGES_FILE]: random changes, or the JSON in CHANGES_FILE (read on each
request, so a test decides what the next refresh brings). A record {"id": N, "deleted": true}
is an employee who left.
"""
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
        if len(sys.argv) > 2:
            with open(sys.argv[2], "rb") as f:
                body = f.read()
        else:
            body = json.dumps(changes(RNG, list(range(1, 201)), count=RNG.randint(1, 8)),
                              ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
