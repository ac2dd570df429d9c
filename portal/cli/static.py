"""`portal build-static OUT`: the public pages as a static site (knowledge base, version support, remote support)."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_PORTAL_URL = "http://127.0.0.1:5000"


@click.command("build-static")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--portal-url", envvar="PORTAL_PUBLIC_URL", default=DEFAULT_PORTAL_URL, show_default=True,
              help="Where the portal itself answers: links to its other pages (sign in, contact) go there. "
                   "Environment: PORTAL_PUBLIC_URL.")
@click.option("--index", "index_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The knowledge-base index. Default: portal/kb/generated/knowledge_base.sqlite3.")
@click.option("--lifecycle-only", is_flag=True,
              help="Render only the version-support page again (fr, nl, en) into an already built OUT.")
def build_static(out, portal_url, index_file, lifecycle_only):
    """Render the public pages in fr, nl and en into OUT, ready to copy to the static-site bucket."""
    from portal.cli.context import fail, settings_from_environment
    from portal.domain.errors import BackendUnavailable
    from portal.kb.static_site import StaticBuildError, build_static_site, rebuild_lifecycle_page
    from portal.web.app import create_app

    app = create_app(settings_from_environment())
    if index_file is not None:
        app.config["KB_INDEX"] = str(index_file)
    try:
        if lifecycle_only:
            written = rebuild_lifecycle_page(out, app, portal_url)
            click.echo(f"wrote {len(written)} version-support pages into {out}")
            return
        site = build_static_site(app, out, portal_url)
    except (StaticBuildError, BackendUnavailable) as error:
        fail(f"static site not built: {error}")
    pages = sum(1 for name in site.files if name.endswith(".html"))
    click.echo(f"wrote {len(site.files)} files ({pages} pages) into {site.out}")
