# SPDX-License-Identifier: EUPL-1.2
"""A log formatter that writes one JSON object per line (``LOG_FORMAT=json``).

It writes the time, level, logger, message and, for errors, the traceback: nothing
from the request (no address, no user, no headers), so the log holds no more personal
data than the messages themselves.
"""

from __future__ import annotations

import json
import logging
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
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
