"""The Dokumen Evaluasi Kinerja Pegawai as PDF (reportlab, imported by its one view only)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.domain import berakhlak_values

from .models import (
    AnnualRating,
    FeedbackMessage,
    PeriodicReport,
    Realisasi,
    Skp,
    predikat_choices,
    rating_choices,
)


def evaluation_pdf(
    *,
    skp: Skp,
    report: PeriodicReport | None = None,
    annual: AnnualRating | None = None,
    capaian: str = "",
) -> bytes:
    """The document's official sections: identities, capaian organisasi, hasil kerja with
    realisasi and umpan balik, perilaku kerja per BerAKHLAK value, predikat, signatures."""
    styles = getSampleStyleSheet()
    normal, heading = styles["BodyText"], styles["Heading4"]
    rating_label, predikat_label = dict(rating_choices()), dict(predikat_choices())
    employee = skp.employee
    penilai = skp.pejabat_penilai
    atasan = skp.atasan_pejabat_penilai

    def p(text) -> Paragraph:
        return Paragraph(escape(str(text or "–")), normal)

    def table(rows, widths) -> Table:
        result = Table(rows, colWidths=widths, repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ]
            )
        )
        return result

    if annual is not None:
        period_text = _("Periode: tahunan %(year)s") % {"year": skp.cycle.year}
        hasil, perilaku, predikat = (
            annual.rating_hasil_kerja,
            annual.rating_perilaku_kerja,
            annual.predikat,
        )
    else:
        period_text = _("Periode: %(period)s (%(start)s – %(end)s)") % {
            "period": report.period,
            "start": report.period.start.strftime("%d-%m-%Y"),
            "end": report.period.end.strftime("%d-%m-%Y"),
        }
        hasil, perilaku, predikat = (
            report.rating_hasil_kerja,
            report.rating_perilaku_kerja,
            report.predikat,
        )

    story = [
        Paragraph(_("DOKUMEN EVALUASI KINERJA PEGAWAI"), styles["Title"]),
        Paragraph(_("Pemerintah Kota Bandung"), styles["Heading3"]),
        p(period_text),
        Spacer(1, 0.3 * cm),
    ]

    def identity(title, person, name_fallback="") -> list:
        return [
            [Paragraph(f"<b>{title}</b>", normal), ""],
            [p(_("Nama")), p(person.full_name if person else name_fallback)],
            [p(_("NIP")), p(person.nip if person else "")],
            [
                p(_("Pangkat/golongan")),
                p(getattr(person, "pangkat_golongan", "") if person else ""),
            ],
            [p(_("Jabatan")), p(person.jabatan if person else "")],
            [p(_("Unit kerja")), p(person.org_unit.label if person and person.org_unit_id else "")],
        ]

    rows = (
        identity(_("PEGAWAI YANG DINILAI"), employee)
        + identity(_("PEJABAT PENILAI KINERJA"), penilai, skp.pejabat_penilai_name)
        + identity(_("ATASAN PEJABAT PENILAI KINERJA"), atasan, skp.atasan_pejabat_penilai_name)
    )
    story += [table(rows, [5 * cm, 11.5 * cm]), Spacer(1, 0.3 * cm)]

    story.append(Paragraph(_("CAPAIAN KINERJA ORGANISASI"), heading))
    story.append(p(capaian or _("Belum ditetapkan")))

    story.append(Paragraph(_("HASIL KERJA"), heading))
    realisasi = {}
    feedback: dict[int, list[str]] = {}
    value_feedback: dict[str, list[str]] = {}
    reports = [report] if report is not None else list(skp.reports.all())
    report_ids = [r.pk for r in reports if r is not None]
    for item in Realisasi.objects.filter(report_id__in=report_ids).select_related("report__period"):
        realisasi.setdefault(item.indicator_id, []).append(
            f"{item.report.period.label}: {item.display}" if report is None else item.display
        )
    for message in FeedbackMessage.objects.filter(report_id__in=report_ids).select_related(
        "author"
    ):
        line = f"{message.author.full_name}: {message.body}"
        if message.rhk_id:
            feedback.setdefault(message.rhk_id, []).append(line)
        else:
            value_feedback.setdefault(message.value_code, []).append(line)
    rows = [
        [
            p(_("Rencana hasil kerja")),
            p(_("Indikator dan target")),
            p(_("Realisasi")),
            p(_("Umpan balik")),
        ]
    ]
    for rhk in skp.rhks.prefetch_related("indicators"):
        indicators = list(rhk.indicators.all())
        rows.append(
            [
                p(f"{rhk.get_jenis_display()}: {rhk.text}"),
                p("; ".join(f"{i.text} ({i.target.normalize():f} {i.unit})" for i in indicators)),
                p("; ".join(v for i in indicators for v in realisasi.get(i.pk, []))),
                p(" | ".join(feedback.get(rhk.pk, []))),
            ]
        )
    story += [table(rows, [4.5 * cm, 4.5 * cm, 3.5 * cm, 4 * cm])]

    story.append(Paragraph(_("PERILAKU KERJA"), heading))
    expectations = {e.value_code: e.text for e in skp.expectations.all()}
    rows = [[p(_("Nilai BerAKHLAK")), p(_("Ekspektasi khusus pimpinan")), p(_("Umpan balik"))]]
    for value in berakhlak_values():
        rows.append(
            [
                p(value["name"]),
                p(expectations.get(value["code"], "")),
                p(" | ".join(value_feedback.get(value["code"], []))),
            ]
        )
    story += [table(rows, [4 * cm, 6 * cm, 6.5 * cm])]

    story.append(Paragraph(_("PREDIKAT KINERJA PEGAWAI"), heading))
    rows = [
        [p(_("Rating hasil kerja")), p(rating_label.get(hasil, hasil or _("Belum dinilai")))],
        [
            p(_("Rating perilaku kerja")),
            p(rating_label.get(perilaku, perilaku or _("Belum dinilai"))),
        ],
        [p(_("Predikat")), p(predikat_label.get(predikat, predikat or _("Belum dinilai")))],
    ]
    story += [table(rows, [5 * cm, 11.5 * cm]), Spacer(1, 0.8 * cm)]

    def sign(title, person, fallback="") -> list:
        return [
            p(title),
            Spacer(1, 1.5 * cm),
            p(person.full_name if person else fallback),
            p(_("NIP %(nip)s") % {"nip": person.nip} if person else ""),
        ]

    signatures = Table(
        [
            [
                sign(_("Pegawai yang dinilai"), employee),
                sign(_("Pejabat penilai kinerja"), penilai, skp.pejabat_penilai_name),
                sign(_("Atasan pejabat penilai kinerja"), atasan, skp.atasan_pejabat_penilai_name),
            ]
        ],
        colWidths=[5.5 * cm] * 3,
    )
    story.append(signatures)

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Dokumen Evaluasi Kinerja Pegawai"),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    ).build(story)
    return buffer.getvalue()
