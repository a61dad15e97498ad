"""RSS 2.0 and Atom feeds of the latest published stories."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import SuccessStoryPage

FEED_SIZE = 20


class StoriesFeed(Feed):
    title = _("Cerita sukses ASN Kota Bandung")
    description = _("Cerita terbaru dari Portal Kinerja ASN Kota Bandung.")
    link = "/cerita/"

    def items(self):
        return (
            SuccessStoryPage.objects.live()
            .public()
            .select_related("org_unit")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item: SuccessStoryPage) -> str:
        return item.title

    def item_description(self, item: SuccessStoryPage) -> str:
        return item.intro

    def item_link(self, item: SuccessStoryPage) -> str:
        return item.get_url()

    def item_pubdate(self, item: SuccessStoryPage):
        return item.first_published_at

    def item_updateddate(self, item: SuccessStoryPage):
        return item.last_published_at

    def item_categories(self, item: SuccessStoryPage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed
    subtitle = StoriesFeed.description
