"""The Jinja2 environment of the HTML report and its SVG charts: templates shipped in the package
(``simulator/report/templates``), every ``{{ }}`` HTML-escaped (autoescape), undefined names an
error rather than an empty string."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("simulator.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: object) -> Markup:
    """``template`` rendered with ``context``, as markup safe to place in another template."""
    return Markup(environment().get_template(template).render(**context))
