"""A real localstripe (the fake Stripe server from PyPI) for the payment tests: one process per test session, its
state wiped before each test that asks for it. The stripe library is never patched; it talks HTTP to this."""

import shutil
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest


def _localstripe_binary() -> str:
    beside_python = Path(sys.executable).parent / "localstripe"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("localstripe")
    if not found:
        pytest.fail("localstripe is not installed (it is a dev dependency: uv sync)", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, timeout: float = 5) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _answers(port: int) -> bool:
    try:
        _request(port, "GET", "/v1/", timeout=0.5)
    except OSError:
        return False
    return True  # any HTTP answer means the server is up


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """Base URL of a localstripe started for this session (always --from-scratch: its saved state is shared by
    every instance on the machine otherwise)."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("wb")
    process = subprocess.Popen(
        [_localstripe_binary(), "--port", str(port), "--from-scratch"], stdout=log, stderr=subprocess.STDOUT
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"localstripe did not start on port {port}; see {log.name}", pytrace=False)
        time.sleep(0.05)
    yield base_url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture
def localstripe_clean(localstripe):
    """localstripe with no customers, payments or webhooks left over from another test."""
    status = _request(int(localstripe.rsplit(":", 1)[1]), "DELETE", "/_config/data")
    assert status < 300, f"localstripe refused to wipe its state ({status})"
    return localstripe
