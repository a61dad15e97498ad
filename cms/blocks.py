"""StreamField blocks shared by the site's pages (training pages may reuse them)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


def caption_block(max_length: int) -> blocks.CharBlock:
    """The optional caption under a figure or a video."""
    return blocks.CharBlock(label=_("keterangan"), required=False, max_length=max_length)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("kutipan"))
    attribution = blocks.CharBlock(label=_("sumber kutipan"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Kutipan")
        template = "cms/blocks/quote.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("angka"), max_length=30, help_text=_("Contoh: 352 atau 40%"))
    label = blocks.CharBlock(label=_("keterangan"), max_length=120)


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("angka kunci"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        label = _("Angka kunci")
        template = "cms/blocks/key_figures.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("alamat video"), help_text=_("Alamat YouTube atau Vimeo"))
    caption = caption_block(200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video.html"


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("teks tautan"), max_length=60)
    url = blocks.CharBlock(label=_("alamat"), max_length=300, help_text=_("Contoh: /cerita/"))

    class Meta:
        icon = "link"
        label = _("Tautan")


def story_body_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        (
            "paragraph",
            blocks.RichTextBlock(
                label=_("Paragraf"),
                features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
                icon="pilcrow",
            ),
        ),
        ("image", ImageBlock(label=_("Gambar"), template="cms/blocks/image.html")),
        ("quote", QuoteBlock()),
        ("video", VideoBlock()),
        ("key_figures", KeyFiguresBlock()),
    ]
