# SPDX-License-Identifier: EUPL-1.2
# gunicorn settings of the production stack (docker-compose.yml and the systemd unit).
# Every value can be changed through the environment named beside it.
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core is a good start; each is a process with its own memory.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart a worker now and then, so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# No access log: it would hold every visitor's address. The proxy decides what it logs.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
control_socket_disable = True
