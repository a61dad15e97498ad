"""The site: public pages, success stories with their consent workflow, site settings.

Every model is imported here so Django registers it under the app label `cms`.
"""

from .consent import ConsentMissing, ConsentRequest, ConsentRequestQuerySet, ConsentTask
from .pages import HomePage, StandardPage, StoryIndexPage
from .site_chrome import SiteChrome
from .stories import (
    CONSENT_REFUSED_LOG_ACTION,
    LISTING_RENDITION,
    ConsentStatusPanel,
    FeaturedEmployee,
    RelatedStory,
    StoryManager,
    StoryPageForm,
    StoryQuerySet,
    StoryTag,
    SuccessStoryPage,
)

__all__ = [
    "CONSENT_REFUSED_LOG_ACTION",
    "LISTING_RENDITION",
    "ConsentMissing",
    "ConsentRequest",
    "ConsentRequestQuerySet",
    "ConsentStatusPanel",
    "ConsentTask",
    "FeaturedEmployee",
    "HomePage",
    "RelatedStory",
    "SiteChrome",
    "StandardPage",
    "StoryIndexPage",
    "StoryManager",
    "StoryPageForm",
    "StoryQuerySet",
    "StoryTag",
    "SuccessStoryPage",
]
