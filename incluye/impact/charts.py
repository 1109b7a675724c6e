"""Charts as server-rendered, accessible SVG (no JavaScript library, nothing for the CSP to block):
horizontal bars, a time series and a funnel. Geometry is computed here; the markup is in
templates/impact/charts/chart.html, each chart with its <title>, <desc> and a data table beside it.

Two rules this module keeps:

- **Numbers in the markup never pass through the locale.** Every coordinate is written here as a
  plain string with a "." decimal point ("15.39", never "15,39", which SVG reads as two numbers),
  so the template prints strings only. What a reader sees (the value beside a bar) is formatted
  for the reader's language, in text, not in an attribute.
- **Readable on a phone.** The drawing is 360 units wide, about the width of a phone's screen, so
  its 13-unit text stays 13 px there and only grows on a laptop. Each label sits on its own line
  above its bar, so long labels ("Huehuetenango", "Certificación de competencias") keep the whole
  width.

The value shown for a bar is exactly what the data table shows (a number, "<5" or "*"): a hidden
cell draws no bar, and says why in the same words as the table.
"""

from dataclasses import dataclass, field

from django.utils import formats

WIDTH = 360  # drawing units: about a phone's width in CSS pixels
FONT = 13  # text size in drawing units (≥ 12 px on a 360 px wide phone)
LABEL_LINE = 18  # the label's line above its bar
BAR = 16  # the bar's thickness
GAP = 10  # between one category and the next
VALUE_ROOM = 56  # room kept right of the longest bar for its value
LINE_HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 200, 40, 12, 16, 28
COLORS = {"bar": "#1b5e7a", "funnel": "#3f7d3a", "line": "#1b5e7a", "ink": "#1d2430", "axis": "#5a6472"}


def svg_number(value) -> str:
    """A number for SVG markup: "." decimals, at most 2, never grouped, never localized."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def shown_number(value) -> str:
    """A number for the reader: in the active language's format (grouped, local decimal mark)."""
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(round(value, 2), decimal_pos=None, use_l10n=True, force_grouping=True)
    return formats.number_format(int(value), use_l10n=True, force_grouping=True)


@dataclass
class Chart:
    kind: str
    title: str
    description: str
    rows: list  # (label, shown text) for the data table: exactly what the chart shows
    width: str = svg_number(WIDTH)
    height: str = "0"
    shapes: list = field(default_factory=list)
    slug: str = ""
    font_size: str = svg_number(FONT)
    points: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    axis: dict = field(default_factory=dict)


def _triples(series, hidden_text: str) -> list[tuple]:
    """(label, number or None, shown text): the series as indicators give it. A pair
    (label, number or None) is shown as the number, or `hidden_text` when None."""
    result = []
    for item in series:
        if len(item) == 3:
            label, value, shown = item
        else:
            label, value = item
            shown = None
        if not isinstance(value, int | float) or isinstance(value, bool):
            value = None
        if shown is None:
            shown = hidden_text if value is None else shown_number(value)
        elif isinstance(shown, int | float) and not isinstance(shown, bool):
            shown = shown_number(shown)
        result.append((str(label), value, str(shown)))
    return result


def bar_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """Horizontal bars, one per (label, value[, shown]), each label on its own line above its bar."""
    items = _triples(series, hidden_text)
    peak = max([v for _l, v, _s in items if v is not None] or [1]) or 1
    room = WIDTH - VALUE_ROOM
    shapes = []
    for i, (label, value, shown) in enumerate(items):
        top = i * (LABEL_LINE + BAR + GAP)
        length = 0 if value is None else max(room * float(value) / peak, 0)
        if value and length < 2:
            length = 2  # a small, non-zero count stays visible
        shapes.append(
            {
                "label": label,
                "shown": shown,
                "hidden": value is None,
                "label_y": svg_number(top + FONT),
                "y": svg_number(top + LABEL_LINE),
                "x": "0",
                "width": svg_number(length),
                "height": svg_number(BAR),
                "value_x": svg_number(length + 6),
                "value_y": svg_number(top + LABEL_LINE + BAR - 3),
                "color": COLORS["bar"],
            }
        )
    height = len(items) * (LABEL_LINE + BAR + GAP)
    return Chart(
        "bar",
        title,
        description,
        [(label, shown) for label, _v, shown in items],
        height=svg_number(max(height, 1)),
        shapes=shapes,
        slug=slug,
    )


def funnel_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """Bars centred on one axis, narrowing stage by stage; the value after the widest bar."""
    chart = bar_chart(title, description, series, slug=slug, hidden_text=hidden_text)
    room = WIDTH - VALUE_ROOM
    for shape in chart.shapes:
        width = float(shape["width"])
        shape["x"] = svg_number((room - width) / 2)
        shape["value_x"] = svg_number(room + 6)
        shape["color"] = COLORS["funnel"]
    chart.kind = "funnel"
    return chart


def line_chart(title: str, description: str, series: list, *, slug: str, hidden_text: str = "<5") -> Chart:
    """A time series: points joined by a line; a hidden month breaks the line."""
    items = _triples(series, hidden_text)
    values = [v for _l, v, _s in items if v is not None]
    peak = max(values or [1]) or 1
    steps = max(len(items) - 1, 1)
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = LINE_HEIGHT - PAD_TOP - PAD_BOTTOM
    points, segments, current = [], [], []
    for i, (label, value, shown) in enumerate(items):
        x = PAD_LEFT + inner_w * i / steps
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = PAD_TOP + inner_h - inner_h * float(value) / peak
        points.append({"x": svg_number(x), "y": svg_number(y), "label": label, "shown": shown})
        current.append(f"{svg_number(x)},{svg_number(y)}")
    if current:
        segments.append(current)
    step = max(1, -(-len(items) // 4))  # at most 4 or 5 month labels: they must not overlap on a phone
    ticks = [
        {"x": svg_number(PAD_LEFT + inner_w * i / steps), "label": items[i][0]}
        for i in range(0, len(items), step)
    ]
    chart = Chart(
        "line",
        title,
        description,
        [(label, shown) for label, _v, shown in items],
        height=svg_number(LINE_HEIGHT),
        slug=slug,
        points=points,
        ticks=ticks,
    )
    chart.shapes = [{"points": " ".join(segment)} for segment in segments]
    chart.axis = {
        "left": svg_number(PAD_LEFT),
        "right": svg_number(PAD_LEFT + inner_w),
        "top": svg_number(PAD_TOP),
        "base": svg_number(PAD_TOP + inner_h),
        "peak": shown_number(peak),
        "peak_x": svg_number(PAD_LEFT - 4),
        "peak_y": svg_number(PAD_TOP + FONT / 3),
        "zero_y": svg_number(PAD_TOP + inner_h + FONT / 3),
        "tick_y": svg_number(LINE_HEIGHT - 8),
    }
    return chart
