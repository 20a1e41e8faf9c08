from django import template
from django.template.loader import render_to_string

register = template.Library()

WIDTH, HEIGHT, GAP = 300, 80, 2


@register.simple_tag
def bar_chart(rows: list[dict], key: str, maximum: int, labelled_by: str) -> str:
    """A small bar chart as inline SVG (attributes, no style: the CSP allows it), drawn on the server.

    Decorative for screen readers beside its table: it is one image with the heading as its name.
    """
    count = max(1, len(rows))
    width = WIDTH / count
    bars = []
    for n, row in enumerate(rows):
        value = row[key]
        height = round(HEIGHT * value / maximum, 1) if maximum else 0
        bars.append(
            {
                "x": round(n * width + GAP / 2, 1),
                "y": round(HEIGHT - height, 1),
                "width": round(max(1, width - GAP), 1),
                "height": height,
                "title": f"{row['day']:%a %d %b}: {value}",
            }
        )
    return render_to_string(
        "reviews/_bar_chart.svg",
        {"bars": bars, "width": WIDTH, "height": HEIGHT, "labelled_by": labelled_by, "maximum": maximum},
    )
