"""`portal serve`: the web app alone, on 127.0.0.1 (the database must already answer)."""

import click

from portal.cli.context import settings_from_environment


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: PORTAL_PORT, else 5000.")
def serve(host, port):
    """Serve the portal with Flask's server (laptop use; production runs on Lambda)."""
    from portal.web.app import create_app

    settings = settings_from_environment()
    create_app(settings).run(host=host, port=port or settings.port, debug=False, use_reloader=False)
