"""The short-message backend of the load test: each message is written to a file per phone
(`LOAD_SMS_DIR/<number>.txt`, the latest one), where the locustfile's participants read their
sign-in code, as a person reads it on their phone. Never used outside bench/load/run.sh."""

import os
from pathlib import Path

from incluye.core.notify import BaseSMSBackend


class FileSMSBackend(BaseSMSBackend):
    def send_messages(self, messages) -> int:
        folder = Path(os.environ["LOAD_SMS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            target = folder / f"{message.to.lstrip('+')}.txt"
            partial = target.with_suffix(".tmp")
            partial.write_text(message.body, encoding="utf-8")
            partial.replace(target)  # a reader never sees half a message
        return len(messages)
