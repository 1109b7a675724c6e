"""Settings of the load test: the project's own (config/settings.py, from the environment) with the
static files collected into a temporary folder (`LOAD_STATIC_ROOT`) instead of var/static, so that
`DEBUG=0` serves them through WhiteNoise's manifest storage as in production without writing into
the working tree."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["LOAD_STATIC_ROOT"])

# Participants sign in with a code sent by text message: here it is written to a file per phone
# (bench/load/sms.py) for the locustfile to read. Every virtual participant comes from 127.0.0.1,
# so the per-address limits (meant for one phone's owner, or one attacker's address) are lifted;
# the per-phone limits stay as in production.
INCLUYE_SMS_BACKEND = "bench.load.sms.FileSMSBackend"
INCLUYE_PARTICIPANT_RATE_LIMITS = {
    "participant_code_send": "3/10m/key,1000000/1h/ip",
    "participant_login_failed": "1000000/5m/ip,5/15m/key",
}
