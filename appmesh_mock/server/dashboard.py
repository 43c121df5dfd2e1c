"""`GET /_appmesh_mock/ui/`: a dashboard of the server's state. Meshes per account and region,
each mesh's resources, its topology as an SVG drawn here, and a form that runs `resolve`.

Plain HTML from the server: no script, no external resource (a Content-Security-Policy
forbids both), so it works offline. The form is a GET of this same page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode

from ..protocol.serializer import HttpResponse
from ..semantics import describe, resolve
from ..semantics.document import NAME_MEMBER, MeshView, meshes
from ..semantics.svg import COLUMNS, render
from ..service.dispatch import Dispatcher
from ..service.export import export
from ..xds.registry import ProxyStatus, proxies_of
from .control import ControlRequest, EndpointTable
from .proxies import section

HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"
    ),
    "Cache-Control": "no-store",
}
STYLE = """
body{font:14px/1.4 Helvetica,Arial,sans-serif;margin:0;color:#222;display:flex}
nav{width:230px;background:#f4f5f7;padding:12px;min-height:100vh;box-sizing:border-box}
main{padding:12px 20px;flex:1;overflow:auto}
h1{font-size:18px;margin:0 0 8px} h2{font-size:16px;margin:18px 0 6px}
nav h3{font-size:12px;margin:12px 0 2px;color:#555;font-weight:normal}
nav a{display:block;padding:2px 6px;color:#0645ad;text-decoration:none;border-radius:4px}
nav a.current{background:#d6eaff;font-weight:bold}
table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
form{display:grid;grid-template-columns:max-content 320px;gap:6px 10px;align-items:center}
textarea{height:48px} .result{padding:8px;border-radius:6px;margin-top:10px;max-width:900px}
.topology svg{max-width:100%;height:auto}
.matched{background:#e3f6e5} .refused{background:#fde7e7} .empty{color:#666}
"""


ENDPOINTS = EndpointTable()


@ENDPOINTS.route("GET", "ui")
def _dashboard(dispatcher: Dispatcher, request: ControlRequest) -> HttpResponse:
    params = {k: v[-1] for k, v in parse_qs(request.query, keep_blank_values=True).items()}
    body = page(export(dispatcher.store), params, proxies_of(dispatcher.store))
    return HttpResponse(200, body.encode(), dict(HEADERS))


def page(
    document: Mapping[str, Any],
    params: Mapping[str, str],
    proxies: Sequence[ProxyStatus] = (),
) -> str:
    views = meshes(document)
    chosen = _chosen(views, params)
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<link rel="icon" href="data:,">',  # no favicon request, so no 404 in the console
        f"<title>appmesh-mock dashboard</title><style>{STYLE}</style></head><body>",
        _navigation(views, chosen),
        "<main><h1>appmesh-mock</h1>",
    ]
    if chosen is None:
        parts.append(
            '<p class="empty">No mesh yet. Create one through the API, for example '
            "<code>aws --endpoint-url URL appmesh create-mesh --mesh-name shop</code>."
            "</p>"
        )
    else:
        parts += [
            f"<h2>Mesh {escape(chosen.name)} <small>({escape(chosen.owner)}, "
            f"{escape(chosen.region)})</small></h2>",
            f'<div class="topology">{render(chosen)}</div>',
            section(proxies, chosen.name),
            _resolve_section(document, chosen, params),
            _resources(chosen),
        ]
    parts.append("</main></body></html>")
    return "".join(parts)


def _place(view: MeshView) -> dict[str, str]:
    return {"account": view.owner, "region": view.region, "mesh": view.name}


def _chosen(views: list[MeshView], params: Mapping[str, str]) -> MeshView | None:
    for view in views:
        place = _place(view)
        if all(params.get(key) in (None, "", value) for key, value in place.items()):
            return view
    return None


def _navigation(views: list[MeshView], chosen: MeshView | None) -> str:
    out = ["<nav><h1>Meshes</h1>"]
    last = None
    for view in views:
        if (view.owner, view.region) != last:
            last = (view.owner, view.region)
            out.append(f"<h3>account {escape(view.owner)} · {escape(view.region)}</h3>")
        current = ' class="current"' if view is chosen else ""
        href = "?" + urlencode(_place(view))
        out.append(f'<a class="mesh"{current} href="{escape(href)}">{escape(view.name)}</a>')
    if not views:
        out.append('<p class="empty">none</p>')
    out.append("</nav>")
    return "".join(out)


def _detail(kind: str, resource: Mapping[str, Any]) -> str:
    spec = resource.get("spec") or {}
    if kind in ("route", "gatewayRoute"):
        route_kind, body = describe.route_body(spec)
        action = body.get("action") or {}
        where = (
            describe.split(action.get("weightedTargets") or [])
            if kind == "route"
            else (
                ((action.get("target") or {}).get("virtualService") or {}).get("virtualServiceName")
            )
        )
        match = describe.match(route_kind, body.get("match") or {}, gateway=kind != "route")
        return f"{route_kind} {match} → {where}"
    if kind == "virtualService":
        provider = spec.get("provider") or {}
        for key, member in (
            ("virtualRouter", "virtualRouterName"),
            ("virtualNode", "virtualNodeName"),
        ):
            if key in provider:
                return f"provided by {key} {provider[key][member]}"
        return "no provider"
    if kind == "virtualNode":
        calls = describe.backends(spec)
        return f"{describe.listeners(spec)} {describe.discovery(spec)}" + (
            f"; calls {', '.join(calls)}" if calls else ""
        )
    return describe.listeners(spec)


def _resources(view: MeshView) -> str:
    rows = []
    for kind in COLUMNS:  # the resources table lists kinds in the picture's order
        for resource in view.all(kind):
            name = str(resource.get(NAME_MEMBER[kind]))
            rows.append(
                f"<tr><td>{kind}</td><td>{escape(name)}</td>"
                f"<td>{escape(_detail(kind, resource))}</td></tr>"
            )
    return (
        '<h2>Resources</h2><table class="resources"><tr><th>kind</th><th>name</th>'
        f"<th>what it does</th></tr>{''.join(rows)}</table>"
    )


def _field(label: str, name: str, value: str, kind: str = "text") -> str:
    return (
        f'<label for="{name}">{label}</label><input id="{name}" name="{name}" type="{kind}"'
        f' value="{escape(value)}">'
    )


def _resolve_section(document: Mapping[str, Any], view: MeshView, params: Mapping[str, str]) -> str:
    entries = [("service", str(s["virtualServiceName"])) for s in view.all("virtualService")]
    entries += [("gateway", str(g["virtualGatewayName"])) for g in view.all("virtualGateway")]
    current = params.get("entry", "")
    options = "".join(
        f'<option value="{escape(f"{kind}:{name}")}"'
        f"{' selected' if current == f'{kind}:{name}' else ''}>{kind} {escape(name)}</option>"
        for kind, name in entries
    )
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in _place(view).items()
    )
    form = (
        f'<h2>Where does a request go?</h2><form id="resolve" method="get">{hidden}'
        f'<label for="entry">enter at</label><select id="entry" name="entry">{options}</select>'
        + _field("path", "path", params.get("path", "/"))
        + _field("method", "method", params.get("method", "GET"))
        + _field("host (gateway)", "host", params.get("host", ""))
        + _field("port", "port", params.get("port", ""))
        + _field("source node", "source", params.get("source", ""))
        + '<label for="headers">headers (name: value)</label><textarea id="headers"'
        f' name="headers">{escape(params.get("headers", ""))}</textarea>'
        '<span></span><button type="submit">Resolve</button></form>'
    )
    if not current:
        return form
    return form + _resolution(document, view, params)


def _port(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise ValueError(f"port must be a number, not {text!r}")
    return int(text)


def _resolution(document: Mapping[str, Any], view: MeshView, params: Mapping[str, str]) -> str:
    kind, _, name = params.get("entry", "").partition(":")
    headers = dict(
        (key.strip(), value.strip())
        for key, _, value in (
            line.partition(":") for line in params.get("headers", "").splitlines()
        )
        if key.strip()
    )
    try:
        port = _port(params.get("port", ""))
        result = resolve(
            document,
            view.name,
            account_id=None,
            region=view.region,
            mesh_owner=view.owner,
            service=name if kind == "service" else None,
            gateway=name if kind == "gateway" else None,
            source=params.get("source") or None,
            path=params.get("path") or "/",
            method=params.get("method") or "GET",
            host=params.get("host") or None,
            port=port,
            headers=headers,
        )
    except ValueError as error:
        return f'<div id="resolution" class="result refused">{escape(str(error))}</div>'
    css = "matched" if result.matched else "refused"
    rows = "".join(
        f"<tr><td>{escape(t.virtual_node)}</td><td>{t.weight}</td><td>{t.share:.0%}</td>"
        f"<td>{'' if t.port is None else t.port}</td></tr>"
        for t in result.targets
    )
    table = (
        (
            '<table class="targets"><tr><th>virtual node</th><th>weight</th><th>share</th>'
            f"<th>port</th></tr>{rows}</table>"
        )
        if rows
        else ""
    )
    return f'<div id="resolution" class="result {css}"><p>{escape(str(result))}</p>{table}</div>'
