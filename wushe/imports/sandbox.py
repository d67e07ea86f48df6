"""Reading a ledger in a child process with a memory cap, so that no file takes the server down.

The engine already forks its checking workers (:mod:`wushe.imports.engine`); the reading done in
the web request (finding the header, the samples) goes the same way: a forked child, its
address space capped with ``RLIMIT_AS`` at what it inherited plus ``WUSHE_IMPORT_READER_MEMORY_MB``
and its time at ``WUSHE_IMPORT_READER_TIMEOUT``, sends its result back through a pipe. A child
that runs out of memory, crashes or overruns its time becomes a :class:`ReadError` naming the
limit; the parent (the web process, the task worker) goes on serving. The child never touches
the database.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .limits import limit
from .reading import ReadError


def _address_space() -> int:
    """The bytes of address space this process holds now (Linux), or 0."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(send: Any, fn: Callable[..., Any], args: tuple[Any, ...], cap: int) -> None:
    import faulthandler
    import resource

    faulthandler.disable()  # a reader aborting here is expected: the parent reports it
    try:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        result: tuple[str, Any] = ("ok", fn(*args))
    except ReadError as exc:
        result = ("read_error", str(exc))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 — reported to the parent
        result = ("error", f"{exc.__class__.__name__}: {exc}")
    try:
        with contextlib.suppress(BaseException):  # the parent sees the pipe close
            send.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        send.close()


def run_capped(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a forked child under the memory and time caps; its result, pickled back.

    Without ``fork`` (or with ``WUSHE_IMPORT_READER_MEMORY_MB`` = 0) it runs here."""
    megabytes = limit("WUSHE_IMPORT_READER_MEMORY_MB")
    if not hasattr(os, "fork") or megabytes <= 0:
        return fn(*args)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    cap = _address_space() + megabytes * 1024 * 1024
    process = context.Process(target=_child, args=(send, fn, args, cap), daemon=True)
    process.start()
    send.close()
    timeout = limit("WUSHE_IMPORT_READER_TIMEOUT")
    try:
        if not receive.poll(timeout):
            process.kill()
            raise ReadError(
                _("读取文件超过 %(n)d 秒（WUSHE_IMPORT_READER_TIMEOUT），已中止：文件可能过大或格式异常")
                % {"n": timeout}
            )
        try:
            kind, payload = pickle.loads(receive.recv_bytes())  # noqa: S301 — from our own child
        except (EOFError, OSError):
            kind, payload = "died", None
    finally:
        receive.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    if kind == "ok":
        return payload
    if kind == "read_error":
        raise ReadError(payload)
    if kind in ("memory", "died"):
        raise ReadError(
            _(
                "读取文件时超出内存上限 %(n)d MB（WUSHE_IMPORT_READER_MEMORY_MB），已中止：文件的范围过大或格式异常，请在 Excel 中删去多余的行列后另存再上传"
            )
            % {"n": megabytes}
        )
    raise ReadError(_("无法读取该文件：%(e)s") % {"e": payload})
