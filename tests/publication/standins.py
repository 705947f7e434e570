"""Real HTTP stand-ins the publication tests start: Doffin's notices API and Enhetsregisteret.

Each runs a werkzeug server on a free loopback port in a thread; the tests talk to it over real
HTTP through the app's own clients.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


class StandIn:
    def __init__(self):
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()

    def wsgi(self, environ, start_response):
        return self.handle(Request(environ))(environ, start_response)

    def handle(self, request: Request) -> Response:  # pragma: no cover - overridden
        raise NotImplementedError


class Doffin(StandIn):
    """`POST /notices`: key checked, idempotent per `Idempotency-Key`, can fail on purpose."""

    KEY = "test-subscription-key"

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self.published: dict[str, str] = {}  # idempotency key -> Doffin id
        self.fail_next = 0
        self.hold: threading.Event | None = None  # set: answer only once the event is set

    def handle(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/notices":
            return Response("not found", status=404)
        if request.headers.get("Ocp-Apim-Subscription-Key") != self.KEY:
            return Response(json.dumps({"error": "unauthorised"}), status=401, content_type="application/json")
        body = request.get_json()
        key = request.headers.get("Idempotency-Key", "")
        with self.lock:
            self.requests.append({"key": key, "noticeId": body["noticeId"],
                                  "xml": base64.b64decode(body["notice"]).decode("utf-8")})
            if self.fail_next > 0:
                self.fail_next -= 1
                return Response(json.dumps({"error": "temporarily unavailable"}), status=503,
                                content_type="application/json")
            if key in self.published:
                return Response(json.dumps({"id": self.published[key], "status": "SUBMITTED"}), status=200,
                                content_type="application/json")
            doffin_id = f"2026-{len(self.published) + 100001}"
            self.published[key] = doffin_id
        if self.hold is not None:  # accepted, and the answer is late (the sender may die meanwhile)
            self.hold.wait(60)
        return Response(json.dumps({"id": doffin_id, "status": "SUBMITTED"}), status=201,
                        content_type="application/json")


class Brreg(StandIn):
    """`GET /enheter/<orgnr>` with the open API's JSON shape; `down` answers 503."""

    def __init__(self):
        super().__init__()
        self.entities: dict[str, dict] = {}
        self.down = False
        self.asked: list[str] = []

    def add(self, org_number: str, name: str, *, postnummer="1300", poststed="SANDVIKA", kommunenummer="3201",
            **flags) -> None:
        self.entities[org_number] = {
            "organisasjonsnummer": org_number, "navn": name,
            "organisasjonsform": {"kode": "KOMM", "beskrivelse": "Kommune"},
            "forretningsadresse": {"land": "Norge", "landkode": "NO", "postnummer": postnummer,
                                   "poststed": poststed, "adresse": ["Postboks 1"], "kommune": poststed,
                                   "kommunenummer": kommunenummer},
            "konkurs": False, "underAvvikling": False, "underTvangsavviklingEllerTvangsopplosning": False,
            **flags}

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.asked.append(request.path)
        if self.down:
            return Response("unavailable", status=503)
        parts = request.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "enheter":
            entity = self.entities.get(parts[1])
            if entity is None:
                return Response(json.dumps({"status": 404}), status=404, content_type="application/json")
            return Response(json.dumps(entity), content_type="application/json")
        return Response("not found", status=404)


def new_id() -> str:
    return str(uuid.uuid4())
