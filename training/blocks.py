"""StreamField blocks of the training pages: lesson content and quiz questions."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.blocks import VideoBlock as SiteVideoBlock
from cms.blocks import caption_block

# --- lessons -----------------------------------------------------------------------------


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("gambar"))
    alt = blocks.CharBlock(
        label=_("teks alternatif"),
        max_length=200,
        help_text=_("Apa yang terlihat pada gambar, untuk pembaca layar."),
    )
    caption = caption_block(250)

    class Meta:
        icon = "image"
        label = _("Gambar")
        template = "training/blocks/figure.html"


class VideoBlock(SiteVideoBlock):
    """The site's video block with the lessons' hint, caption length and template."""

    video = EmbedBlock(label=_("alamat video"), help_text=_("Misalnya tautan YouTube."))
    caption = caption_block(250)

    class Meta:
        template = "training/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("dokumen"))
    title = blocks.CharBlock(label=_("judul tautan"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Dokumen")
        template = "training/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("jenis"),
        choices=[
            ("info", _("Informasi")),
            ("tip", _("Tips")),
            ("penting", _("Penting")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("isi"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Kotak sorotan")
        template = "training/blocks/callout.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Teks"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
        template="training/blocks/text.html",
    )
    image = FigureBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()


# --- quiz ----------------------------------------------------------------------------------


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("pilihan jawaban"), max_length=300)
    is_correct = blocks.BooleanBlock(label=_("jawaban benar"), required=False)

    class Meta:
        icon = "tick"
        label = _("Opsi jawaban")


class QuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("pertanyaan"))
    choices = blocks.ListBlock(AnswerChoiceBlock(), label=_("pilihan jawaban"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("penjelasan"), help_text=_("Ditampilkan kepada peserta setelah kuis dikirim.")
    )

    multiple = False

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["is_correct"])
        if self.multiple and correct < 1:
            message = _("Tandai minimal satu jawaban benar.")
        elif not self.multiple and correct != 1:
            message = _("Pertanyaan pilihan tunggal harus punya tepat satu jawaban benar.")
        else:
            return value
        raise StructBlockValidationError(block_errors={"choices": ValidationError(message)})


class SingleChoiceBlock(QuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Pilihan tunggal")


class MultipleChoiceBlock(QuestionBlock):
    multiple = True

    class Meta:
        icon = "list-ul"
        label = _("Pilihan ganda (lebih dari satu benar)")


class QuizBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()


def choice_token(question_id: str, choice_id: str) -> str:
    """An opaque id for one answer choice: nothing in it says whether it is correct."""
    message = f"quiz:{question_id}:{choice_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]
