"""gunicorn settings for Trygg (``make serve``; the systemd unit and the container use it).

Every value can be overridden from the environment:

- ``TRYGG_BIND`` (default ``0.0.0.0:8000``);
- ``TRYGG_WORKERS``: worker processes. Trygg's requests are short and mostly CPU (rendering,
  aggregating), so one process per core plus one is the rule: **3 on 2 cores, 9 on 8
  cores**. On SQLite more workers add no write capacity (one writer at a time) but do serve
  reads in parallel; on PostgreSQL the database's cores count too.
- ``TRYGG_THREADS`` (default 2): threads per worker, so that a request waiting on the
  database does not leave its core idle. Each worker holds about 150–200 MB.
- ``TRYGG_TIMEOUT`` (default 60 s): no page takes that long; imports run in the worker
  (``python -m trygg db_worker``), not in a request.

The application is preloaded (``preload_app``): it is imported once, URL configuration
included (trygg.wsgi), and the workers are forked warm, so no request pays for the imports
(1.4–2 s per worker otherwise).
"""

import multiprocessing
import os

bind = os.environ.get("TRYGG_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("TRYGG_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("TRYGG_THREADS", 2))
worker_class = "gthread"
timeout = int(os.environ.get("TRYGG_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
preload_app = True
wsgi_app = "trygg.wsgi:application"
# Restart a worker now and then, so that a slow leak cannot grow for weeks.
max_requests = 5000
max_requests_jitter = 500
# The heartbeat file in memory, not on a possibly slow disk.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's own heartbeat files, not data
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
accesslog = os.environ.get("TRYGG_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("TRYGG_LOG_LEVEL", "warning").lower()
# Behind a TLS proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("TRYGG_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
