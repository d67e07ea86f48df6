"""gunicorn settings for wushe (docs/deploy.md says why each is what it is).

Workers: a wushe request is Python work (templates, figures, decryption) plus waits on PostgreSQL.
One process runs Python on one core at a time (the GIL), so processes = cores + 1 keeps every core
busy while one process collects garbage or restarts; four threads per process fill the time a
request waits for the database. On the 2-core machine: 3 processes × 4 threads = 12 requests at
once, about 450 MB of memory. Set ``WEB_CONCURRENCY`` / ``WUSHE_WEB_THREADS`` to change them.
"""

import multiprocessing
import os

bind = os.environ.get("WUSHE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("WUSHE_WEB_THREADS", 4))
# Exports and the work report stream for a while; a request past this is a stuck worker.
timeout = int(os.environ.get("WUSHE_WEB_TIMEOUT", 120))
graceful_timeout = 30
# Idle keep-alive connections wait in the poller, not in a thread. Longer than nginx's upstream
# keepalive (60 s), so the server never closes a connection the proxy is about to reuse (a reset).
keepalive = 75
# A worker is replaced after this many requests (with jitter, so not all at once): memory that
# grows in a long-lived process is given back.
max_requests = 2000
max_requests_jitter = 200
preload_app = True  # the app is imported once, before the fork: less memory, faster restarts
# wushe writes its own access line (one JSON line per request, wushe/core/requestlog.py);
# gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WUSHE_GUNICORN_LOGLEVEL", "info")
# X-Forwarded-* are believed only from the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("WUSHE_PROXY_IPS", "127.0.0.1")
proc_name = "wushe-web"
