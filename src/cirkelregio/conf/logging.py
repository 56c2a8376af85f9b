# SPDX-License-Identifier: EUPL-1.2
"""A log formatter that writes one JSON object per line (``LOG_FORMAT=json``).

It writes the time, level, logger, message and, for errors, the traceback: nothing
from the request (no address, no user, no headers), so the log holds no more personal
data than the messages themselves. ``RedactPersonalData``, a filter on the console
handler, takes e-mail and IP addresses out of those messages and their tracebacks.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(
                record.exc_info
            )
        return json.dumps(entry, ensure_ascii=False)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates only: each is kept unless ``ipaddress`` reads it as an address, so times
# (12:30:45) and version numbers with fewer parts stay.
IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})"
    r"(?![\w.:])"
)


def _ip(match: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(match[0])
    except ValueError:
        return match[0]
    return "[ip]"


def redact(text: str) -> str:
    return IP_CANDIDATE.sub(_ip, EMAIL.sub("[e-mail]", text))


class RedactPersonalData(logging.Filter):
    """Replaces e-mail addresses with ``[e-mail]`` and IP addresses with ``[ip]`` in
    the message and the traceback of every record (AVG/GDPR: no personal data in
    logs). The record is changed in place and always passed on."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
