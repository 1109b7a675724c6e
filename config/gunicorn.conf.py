"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Threaded workers share one in-process search index (about 180 MB at a million people); each
worker builds it in the background as soon as it starts, so the first search does not wait.
"""

import os
import threading

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 60


def post_worker_init(worker):
    from incluye.people.searching import get_index

    threading.Thread(target=get_index, name="search-index-warmup", daemon=True).start()
