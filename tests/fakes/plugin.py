"""pytest fixtures for the fake fal server (imported by tests/conftest.py).

fal_client reads ``FAL_QUEUE_RUN_HOST`` once, when it is first imported, so
:func:`reserve` (called from conftest's ``pytest_configure``, before any test
module is imported) reserves the server's port and sets the variable.
In-process calls (the guide code runner) and CLI subprocesses (the gallery
tests) therefore reach the same server. The HTTPS
certificate is made per session with openssl and trusted through
``SSL_CERT_FILE``; the Ed25519 key that signs the fake's webhooks is made per
server, in memory, and its public half is served as a JWKS that
``FAL_WEBHOOK_JWKS_URL`` points at. No private key is ever committed.

``quick_client`` makes the real fal_client quick to give up, for fault tests:
its backoff between its own retries starts at a millisecond instead of 0.1 s,
and its timeouts are ``CLIENT_TIMEOUT`` seconds instead of 120, so a request
the fake holds (a ``timeout`` fault) outlasts it within a test, and a fault
that fires more often than the client retries exhausts it at once. What the
client retries, and how many times, is unchanged.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator

import pytest
from support import require_tool

from .fal_server import FakeFal, reserve_socket

#: fal_client's timeout under ``quick_client``, in seconds (a held request lasts longer)
CLIENT_TIMEOUT = 1.0

#: the socket the session's fake server will serve on (see :func:`reserve`)
_SOCKET: socket.socket | None = None


def reserve() -> str:
    """Reserve the fake server's port and point fal_client at it (once per session,
    before any test module imports fal_client: pytest_configure calls it)."""
    global _SOCKET
    if _SOCKET is None:
        _SOCKET = reserve_socket()
        host = f"127.0.0.1:{_SOCKET.getsockname()[1]}"
        os.environ["FAL_QUEUE_RUN_HOST"] = host
        os.environ["FAL_RUN_HOST"] = host
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    return f"127.0.0.1:{_SOCKET.getsockname()[1]}"

#: The dummy key the fixtures set, new each session, so that a test can assert
#: it shows up nowhere (output, files, built pages).
DUMMY_KEY = f"fake-{secrets.token_hex(16)}"


@pytest.fixture(scope="session")
def fake_fal_server(tmp_path_factory) -> Iterator[FakeFal]:
    """The session's fake fal server (started once)."""
    for tool in ("ffmpeg", "openssl"):

        require_tool(tool)
    fake = FakeFal(tmp_path_factory.mktemp("fake-fal"), sock=_SOCKET).start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_fal(fake_fal_server: FakeFal, monkeypatch) -> FakeFal:
    """The fake fal server with clean state and the environment set for fal_client.

    Sets FAL_KEY (a dummy), FAL_QUEUE_RUN_HOST, SSL_CERT_FILE and
    FAL_WEBHOOK_JWKS_URL (where a webhook receiver fetches the fake's signing
    keys) for this test; a subprocess started with ``os.environ`` talks to the
    same server.
    """
    fake_fal_server.reset()
    for key, value in fake_fal_server.environ(DUMMY_KEY).items():
        monkeypatch.setenv(key, value)
    return fake_fal_server


@pytest.fixture
def quick_client(monkeypatch):
    """fal_client with a millisecond backoff and CLIENT_TIMEOUT-second timeouts (this test)."""
    import fal_client
    import fal_client.client as fal_client_module
    import httpx

    monkeypatch.setattr(fal_client_module, "BASE_DELAY", 0.001)
    monkeypatch.setattr(fal_client_module, "QUEUE_POLL_TIMEOUT", httpx.Timeout(CLIENT_TIMEOUT))
    # SyncClient is a frozen dataclass; its submit reads default_timeout at each call.
    monkeypatch.setitem(vars(fal_client.sync_client), "default_timeout", CLIENT_TIMEOUT)
    return CLIENT_TIMEOUT
