from django import template

register = template.Library()


@register.inclusion_tag("impact/charts/chart.html")
def chart(chart):
    """{% chart chart %}: the SVG of a chart built by incluye.impact.charts, with its data table."""
    return {"chart": chart}
