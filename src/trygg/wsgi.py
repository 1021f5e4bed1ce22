"""WSGI entry point for production servers (``make serve``: gunicorn, deploy/gunicorn.conf.py).

The URL configuration, and with it every view and API module, is loaded here rather than
on the first request, so that a server that preloads the application (gunicorn
``preload_app``) forks workers that are warm: no user pays for the imports. Nothing here
touches the database, so no connection is shared between the forked workers.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view and API module


_warm()
