"""nginx (Debian's package) in front of app hosts on loopback: round robin, the next host when
one refuses the connection, the client's address in X-Forwarded-For, the request id passed on."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import requests

from tests.ops.processes import free_port

CONFIG = """
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 25m;
    map $http_x_request_id $samspill_request_id {{ default $http_x_request_id; "" $request_id; }}
    upstream samspill {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://samspill;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-Id $samspill_request_id;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


class Nginx:
    def __init__(self, folder: Path, upstreams: list[str]):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "\n".join(f"        server {u.removeprefix('http://')} max_fails=1 fail_timeout=30s;"
                            for u in upstreams)
        user = "user root;" if os.geteuid() == 0 else ""  # its workers write the temp folders here
        (folder / "nginx.conf").write_text(CONFIG.format(folder=folder, servers=servers, port=self.port, user=user))
        self.folder = folder
        self.process = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-e", str(folder / "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
        self.stop()
        raise RuntimeError(f"nginx did not start: {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
