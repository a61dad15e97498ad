"""{% card %}…{% endcard %}: the card frame of the portal's pages around the body between the tags.

    {% card id="judul-grafik" heading=_("Grafik") icon="bar-chart" col="col-12" class="h-100" %}
      … the card's body …
    {% endcard %}

writes components/card.html: a <section class="card shadow-sm {class}"> labelled by its <h2 id={id}>
(`heading`, after the Bootstrap icon `icon` if given, followed by `after` if given), the body in its
card-body, all in a <div class={col}> when `col` is given. The body is rendered in the page's context.
"""

from django import template
from django.template.base import token_kwargs
from django.template.loader import get_template

register = template.Library()


class CardNode(template.Node):
    def __init__(self, nodelist: template.NodeList, params: dict) -> None:
        self.nodelist = nodelist
        self.params = params

    def render(self, context) -> str:
        body = self.nodelist.render(context)
        values = {name: value.resolve(context) for name, value in self.params.items()}
        return get_template("components/card.html").render({**values, "body": body})


@register.tag
def card(parser, token) -> CardNode:
    bits = token.split_contents()[1:]
    params = token_kwargs(bits, parser)
    if bits or "id" not in params or "heading" not in params:
        raise template.TemplateSyntaxError(
            "{% card %} takes id=… heading=… and optional icon, col, class, after"
        )
    nodelist = parser.parse(("endcard",))
    parser.delete_first_token()
    return CardNode(nodelist, params)
