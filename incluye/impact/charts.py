"""Charts as server-rendered, accessible SVG (no JavaScript library, nothing for the CSP to
block): a bar chart, a line chart (time series) and a funnel. Geometry is computed here; the
markup is in templates/impact/charts/*.svg.html, each with <title>, <desc> and a data table."""

from dataclasses import dataclass, field

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 640, 22, 6, 190
LINE_HEIGHT, PAD = 220, 36
COLORS = ["#1b5e7a", "#c8553d", "#6a994e", "#8e5572", "#e0a100", "#4f6d7a"]


@dataclass
class Chart:
    kind: str
    title: str
    description: str
    rows: list  # (label, value or None when hidden, shown text)
    width: int = WIDTH
    height: int = 0
    shapes: list = field(default_factory=list)
    slug: str = ""


def _shown(value, hidden_text: str) -> str:
    return (
        hidden_text
        if value is None
        else f"{value:,}".replace(",", " ")
        if isinstance(value, int)
        else str(value)
    )


def bar_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """Horizontal bars: one per (label, value); a hidden value draws no bar and says so."""
    peak = max([v for _l, v in series if isinstance(v, int | float)] or [1]) or 1
    shapes = []
    for i, (label, value) in enumerate(series):
        y = i * (BAR_HEIGHT + GAP)
        length = 0 if value is None else round((WIDTH - LABEL_WIDTH - 80) * float(value) / peak)
        shapes.append(
            {
                "label": label,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": max(length, 0),
                "value_x": LABEL_WIDTH + max(length, 0) + 6,
                "shown": _shown(value, hidden_text),
                "color": COLORS[0],
            }
        )
    rows = [(s["label"], s["shown"]) for s in shapes]
    return Chart(
        "bar", title, description, rows, height=len(series) * (BAR_HEIGHT + GAP) + 4, shapes=shapes, slug=slug
    )


def funnel_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """Centered bars, narrowing stage by stage."""
    chart = bar_chart(title, description, series, slug=slug, hidden_text=hidden_text)
    room = WIDTH - LABEL_WIDTH - 80
    for shape in chart.shapes:
        shape["x"] = LABEL_WIDTH + (room - shape["width"]) // 2
        shape["value_x"] = LABEL_WIDTH + room + 8
        shape["color"] = COLORS[2]
    chart.kind = "funnel"
    return chart


def line_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """A time series: points joined by a line; a hidden month breaks the line."""
    values = [v for _l, v in series if isinstance(v, int | float)]
    peak = max(values or [1]) or 1
    n = max(len(series) - 1, 1)
    inner_w, inner_h = WIDTH - 2 * PAD, LINE_HEIGHT - 2 * PAD
    points, segments, current = [], [], []
    for i, (label, value) in enumerate(series):
        x = PAD + round(inner_w * i / n)
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = PAD + inner_h - round(inner_h * float(value) / peak)
        points.append({"x": x, "y": y, "label": label, "shown": _shown(value, hidden_text)})
        current.append(f"{x},{y}")
    if current:
        segments.append(current)
    ticks = []
    step = max(1, len(series) // 6)
    for i in range(0, len(series), step):
        ticks.append({"x": PAD + round(inner_w * i / n), "label": series[i][0]})
    rows = [(label, _shown(v, hidden_text)) for label, v in series]
    chart = Chart("line", title, description, rows, height=LINE_HEIGHT, slug=slug)
    chart.shapes = [{"points": " ".join(s)} for s in segments]
    chart.points, chart.ticks = points, ticks
    chart.peak = _shown(int(peak) if float(peak).is_integer() else peak, hidden_text)
    chart.base_y, chart.top_y, chart.right_x = PAD + inner_h, PAD, PAD + inner_w
    return chart
