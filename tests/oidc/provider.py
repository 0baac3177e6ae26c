"""Starts the test OpenID Connect provider (provider.mjs, oidc-provider pinned in package-lock.json) with Node.js
on a free loopback port, and stops it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str

    def settings(self) -> dict[str, object]:
        """The portal's settings for this provider, as the environment would give them."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/session/end",
            "OIDC_RP_SCOPES": "openid email profile portal",
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_installed() -> None:
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True)


@contextmanager
def running(
    *, redirect_uri: str, post_logout_uri: str, accounts: dict, mode: str = "normal"
) -> Iterator[RunningProvider]:
    if shutil.which("node") is None:
        raise RuntimeError("Node.js is needed for the OpenID Connect tests")
    ensure_installed()
    port = _free_port()
    provider = RunningProvider(
        issuer=f"http://127.0.0.1:{port}", client_id="portail", client_secret="s3cret-" + str(port)
    )
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": provider.client_id,
        "CLIENT_SECRET": provider.client_secret,
        "REDIRECT_URI": redirect_uri,
        "POST_LOGOUT_URI": post_logout_uri,
        "ACCOUNTS": json.dumps(accounts),
        "MODE": mode,
    }
    process = subprocess.Popen(["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""  # waits for the provider to listen
        if not line.startswith("ready"):
            raise RuntimeError(f"the test provider did not start: {line!r}")
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=30)
