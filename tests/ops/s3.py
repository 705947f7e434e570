"""moto's S3 server as a real HTTP process on loopback, for the object-store tests."""

from __future__ import annotations

import subprocess
import sys
import time

import requests

from tests.ops.processes import free_port


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/moto-api/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not start")

    def settings(self, bucket: str) -> dict[str, str]:
        """`SAMSPILL_S3_*` settings for `bucket` on this server."""
        return {"SAMSPILL_S3_BUCKET": bucket, "SAMSPILL_S3_ENDPOINT_URL": self.url,
                "SAMSPILL_S3_REGION": "eu-north-1", "SAMSPILL_S3_ACCESS_KEY_ID": "test",
                "SAMSPILL_S3_SECRET_ACCESS_KEY": "test", "SAMSPILL_S3_SSE": "AES256"}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
