"""The web dashboard and REST API (`execrank serve`): FastAPI routes and Jinja pages, each
page with a JSON twin built from the same use case in `_views`."""

from execrank.web._app import create_app
from execrank.web._tokens import Role, Viewer, create_token

__all__ = ["Role", "Viewer", "create_app", "create_token"]
