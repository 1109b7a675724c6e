"""Settings of the load test: the project's own (config/settings.py, from the environment) with the
static files collected into a temporary folder (`LOAD_STATIC_ROOT`) instead of var/static, so that
`DEBUG=0` serves them through WhiteNoise's manifest storage as in production without writing into
the working tree."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["LOAD_STATIC_ROOT"])
