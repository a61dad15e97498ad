"""Frames written around the body between two tags, for the portal's pages ({% load frames %}).

    {% card id="judul-grafik" heading=_("Grafik") icon="bar-chart" col="col-12" class="h-100" %}
      … the card's body …
    {% endcard %}

writes components/card.html: a <section class="card shadow-sm {class}"> labelled by its <h2 id={id}>
(`heading`, after the Bootstrap icon `icon` if given, followed by `after` if given), the body in its
card-body, all in a <div class={col}> when `col` is given.

    {% table _("Modul") _("JP") _("Tindakan") end="2" hide="3" class="mb-0" %}
      … the rows …
    {% endtable %}

writes components/table.html: a scrolling table.table-sm with one column heading per argument, the
columns numbered (from 1) in `end` right-aligned and those in `hide` for screen readers only, and the
rows as its tbody; `class`: more classes of the table.

The body is rendered in the page's context; the frame sees only its own parameters.
"""

from django import template
from django.template.base import kwarg_re
from django.template.loader import get_template

register = template.Library()


class FrameNode(template.Node):
    def __init__(self, frame: str, nodelist: template.NodeList, args: list, params: dict) -> None:
        self.frame = frame
        self.nodelist = nodelist
        self.args = args
        self.params = params

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.params.items()}
        values["body"] = self.nodelist.render(context)
        if self.args:
            end, hide = (set(str(values.pop(name, "")).split(",")) for name in ("end", "hide"))
            values["columns"] = [
                {"text": head.resolve(context), "end": str(n) in end, "hide": str(n) in hide}
                for n, head in enumerate(self.args, 1)
            ]
        return get_template(f"components/{self.frame}.html").render(values)


def _frame(parser, token, frame: str, required: tuple) -> FrameNode:
    args, params = [], {}
    for bit in token.split_contents()[1:]:
        name, value = kwarg_re.match(bit).groups()
        if name:
            params[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(value))
    missing = [name for name in required if name not in params]
    if missing or (frame == "card" and args):
        raise template.TemplateSyntaxError(f"{{% {frame} %}}: see portal/templatetags/frames.py")
    nodelist = parser.parse((f"end{frame}",))
    parser.delete_first_token()
    return FrameNode(frame, nodelist, args, params)


@register.tag
def card(parser, token) -> FrameNode:
    return _frame(parser, token, "card", ("id", "heading"))


@register.tag
def table(parser, token) -> FrameNode:
    return _frame(parser, token, "table", ())
