"""my_app.py: the "code under test" the pytest recipe of mock/admin/README.md assumes: it connects a
customer's HubSpot through the public API (REFOLD_BASE_URL, REFOLD_API_KEY read at each call)
and keeps the webhooks its endpoint receives."""
import json, os, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import requests

received = []


def _call(method, path, la=None, body=None):
    headers = {"x-api-key": os.environ["REFOLD_API_KEY"]}
    if la:
        headers["linked_account_id"] = la
    r = requests.request(method, os.environ.get("REFOLD_BASE_URL", "http://127.0.0.1:8080") + path,
                         headers=headers, json=body)
    r.raise_for_status()
    return r.json()


def connect_hubspot(customer):
    _call("POST", "/api/v2/public/linked-account", body={"linked_account_id": customer, "name": customer})
    _call("PUT", "/api/v2/public/migrate-token", customer,
          {"slug": "hubspot", "auth_object": {"oauth2": {"access_token": "at", "refresh_token": "rt"}}})


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


_server = None


def webhook_url():
    """The webhook endpoint, started on a free loopback port at first use."""
    global _server
    if _server is None:
        _server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
        threading.Thread(target=_server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{_server.server_address[1]}/webhooks/refold"
