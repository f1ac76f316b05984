#!/usr/bin/env python3
"""A photo server on loopback for the media tests: /img/NAME serves a file of
the conformance set, /slow/N answers 404 after SLOW seconds, anything else
404 at once. Every request path is appended to LOG; the port is written to
PORTFILE. Usage: image_server.py IMAGES_DIR LOG PORTFILE [SLOW]"""
import http.server
import os
import sys
import time

images, log, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
slow = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, "a") as f:
            f.write(self.path + "\n")
        if self.path.startswith("/img/"):
            name = os.path.basename(self.path[5:])
            try:
                with open(os.path.join(images, name), "rb") as f:
                    body = f.read()
            except OSError:
                body = None
            if body is not None:
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        if self.path.startswith("/slow/"):
            time.sleep(slow)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
