"""Component styles as Rich styles that read well on the current theme.

Textual hands back `$text-muted` (`auto 60%`) and other translucent colours
unblended when asked for a partial Rich style, which turns muted text white on
a light theme. Blending them over the widget's real background here keeps
every colour in `app.tcss` and every theme legible.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The Rich style of component class `name` of `widget`, colours resolved and blended."""
    styles = widget.get_component_styles(name)
    _, background = widget.background_colors
    color = None
    if styles.has_rule("color"):
        wanted = styles.color
        if styles.auto_color:
            wanted = background.get_contrast_text(wanted.a)
        color = (background + wanted).rich_color
    bgcolor = None
    if styles.has_rule("background") and styles.background.a > 0:
        bgcolor = (background + styles.background).rich_color
    return Style(color=color, bgcolor=bgcolor) + styles.text_style
