"""The topology graph drawn as a standalone SVG (no script, no external resource), laid out
in columns in the direction traffic flows: gateways, gateway routes, services, routers,
routes, nodes. Calls from a node to its backends curve back, dashed."""

from __future__ import annotations

from html import escape

from .document import MeshView
from .graph import KIND_WORDS, Graph, Vertex, build

# The picture's columns, left to right in the direction traffic flows.
COLUMNS = (
    "virtualGateway",
    "gatewayRoute",
    "virtualService",
    "virtualRouter",
    "route",
    "virtualNode",
)
FILL = {
    "virtualGateway": "#fde2c8",
    "gatewayRoute": "#fff1c1",
    "virtualService": "#d6eaff",
    "virtualRouter": "#e4dcff",
    "route": "#efe9ff",
    "virtualNode": "#d9f2dc",
}
ROW, GAP, PAD, CHAR, LINE = 58, 70, 20, 7.2, 15  # px: row pitch, column gap, margin, glyph


def _lines(vertex: Vertex) -> list[str]:
    name = vertex.name.split("/")[-1] if vertex.kind in ("route", "gatewayRoute") else vertex.name
    return [f"{KIND_WORDS[vertex.kind]} {name}", *([vertex.detail] if vertex.detail else [])]


def render(view: MeshView) -> str:
    graph = build(view)
    return draw(graph, title=f"mesh {view.name}")


def draw(graph: Graph, title: str) -> str:
    columns = [[v for v in graph.vertices if v.kind == kind] for kind in COLUMNS]
    columns = [column for column in columns if column]
    box: dict[str, tuple[float, float, float, float]] = {}  # id -> x, y, width, height
    x = right = float(PAD)
    for column in columns:
        width = max(max(len(line) for line in _lines(v)) for v in column) * CHAR + 16
        for row, vertex in enumerate(column):
            box[vertex.id] = (x, PAD + 24 + row * ROW, width, ROW - 16)
        right = x + width
        # The gap to the next column leaves room for the labels of the edges leaving this one.
        ids = {v.id for v in column}
        labels = [len(e.label) for e in graph.edges if e.source in ids and not e.dashed]
        x += width + max(GAP, max(labels, default=0) * CHAR + 24)
    rows = max((len(column) for column in columns), default=0)
    width, height = max(right + PAD, 240), PAD * 2 + 24 + rows * ROW + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(title)}"'
        ' font-family="Helvetica, Arial, sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5"'
        ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<text x="{PAD}" y="{PAD + 8}" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for edge in graph.edges:
        sx, sy, sw, sh = box[edge.source]
        tx, ty, tw, th = box[edge.target]
        if tx > sx:  # forward: right side to left side
            x1, y1, x2, y2 = sx + sw, sy + sh / 2, tx, ty + th / 2
            bend = (x2 - x1) / 2
            path = (
                f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f}"
                f" {x2:.0f},{y2:.0f}"
            )
        else:  # backward (a node calling a service): under the boxes, bottom to bottom
            x1, y1, x2, y2 = sx + sw / 2, sy + sh, tx + tw / 2, ty + th
            low = max(y1, y2) + ROW / 2
            path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{low:.0f} {x2:.0f},{low:.0f} {x2:.0f},{y2:.0f}"
            x2, y2 = (x1 + x2) / 2, low - 6
        dash = ' stroke-dasharray="5,4"' if edge.dashed else ""
        out.append(
            f'<path class="edge" d="{path}" fill="none" stroke="#555"{dash}'
            ' marker-end="url(#arrow)"/>'
        )
        if edge.label:
            mx, my = ((x1 + x2) / 2, (y1 + y2) / 2 - 4) if tx > sx else (x2, y2)
            out.append(
                f'<text class="edge-label" x="{mx:.0f}" y="{my:.0f}" text-anchor="middle"'
                f' fill="#333">{escape(edge.label)}</text>'
            )
    for vertex in graph.vertices:
        bx, by, bw, bh = box[vertex.id]
        out.append(
            f'<g class="vertex" data-kind="{vertex.kind}" data-name="{escape(vertex.name)}">'
            f'<rect x="{bx:.0f}" y="{by:.0f}" width="{bw:.0f}" height="{bh:.0f}" rx="8"'
            f' fill="{FILL[vertex.kind]}" stroke="#666"/>'
        )
        for index, line in enumerate(_lines(vertex)):
            weight = ' font-weight="bold"' if index == 0 else ""
            out.append(
                f'<text x="{bx + 8:.0f}" y="{by + 17 + index * LINE:.0f}"{weight}>'
                f"{escape(line)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
