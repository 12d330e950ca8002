"""gunicorn settings for Haven: `gunicorn -c deploy/gunicorn.conf.py haven.wsgi`.

Stateless workers: sessions and jobs live in the database, so any number of these can run
behind a load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("HAVEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HAVEN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("HAVEN_THREADS", "1"))
timeout = int(os.environ.get("HAVEN_WORKER_TIMEOUT", "60"))
graceful_timeout = 30
# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("HAVEN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("HAVEN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The path without its query string: search terms such as names never reach the logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
