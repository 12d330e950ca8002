"""JSON log lines for production: one object per line, with the request path but never a
query string, form field or anything else that could carry personal data."""

import json
import logging

SAFE_EXTRA = ("status_code", "method", "path", "duration_ms", "request_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None:
            entry["method"] = request.method
            entry["path"] = request.path  # the path only: no query string
        for key in SAFE_EXTRA:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)
