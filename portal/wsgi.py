"""The Lambda entry point (zappa_settings.json `app_function`): the portal, built once per cold start.

This is the one module that does work at import time: Lambda imports it once and then serves
every request of the instance with the same `app`.
"""

from portal.web.app import create_app

app = create_app()
