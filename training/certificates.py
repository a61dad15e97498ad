"""The certificate PDF, drawn with reportlab on request (nothing stored: the row is the record)."""

from io import BytesIO

import qrcode
from django.utils import formats, timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from .models import Certificate

PORTAL_GREEN = colors.HexColor("#0b5d3b")


def display_nip(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if len(nip) == 18 else nip


def issued_on(certificate: Certificate) -> str:
    """The issue date in Indonesian, e.g. "28 November 2026"."""
    with translation.override("id"):
        return formats.date_format(timezone.localtime(certificate.issued_at), "j F Y")


def qr_image(url: str) -> ImageReader:
    buffer = BytesIO()
    qrcode.make(url, border=1).save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def render_pdf(certificate: Certificate) -> bytes:
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Sertifikat {certificate.module_title}")
    pdf.setAuthor("Pemerintah Kota Bandung")
    pdf.setSubject(certificate.code)

    pdf.setStrokeColor(PORTAL_GREEN)
    pdf.setLineWidth(4)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setLineWidth(1)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)

    center = width / 2
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 3.3 * cm, "PEMERINTAH KOTA BANDUNG")
    pdf.drawCentredString(center, height - 4.0 * cm, "Portal Kinerja ASN")
    pdf.setFillColor(PORTAL_GREEN)
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(center, height - 6.0 * cm, "SERTIFIKAT")
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 7.2 * cm, "diberikan kepada")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(center, height - 8.7 * cm, certificate.holder_name)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 9.6 * cm, f"NIP {display_nip(certificate.holder_nip)}")
    pdf.drawCentredString(
        center, height - 11.0 * cm, "telah menyelesaikan modul pelatihan dan lulus evaluasi"
    )
    # Long titles wrap onto a second line rather than running off the page.
    lines = simpleSplit(certificate.module_title, "Helvetica-Bold", 17, width - 7 * cm)[:2]
    pdf.setFont("Helvetica-Bold", 17 if len(lines) == 1 else 15)
    for n, line in enumerate(lines):
        pdf.drawCentredString(center, height - (12.0 + 0.7 * n) * cm, line)
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(
        center,
        height - (13.3 + 0.4 * (len(lines) - 1)) * cm,
        f"{certificate.jp} JP (jam pelajaran) · Bandung, {issued_on(certificate)}",
    )

    size = 3.6 * cm
    pdf.drawImage(qr_image(certificate.verify_url), 2.3 * cm, 2.3 * cm, size, size)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(2.3 * cm + size + 0.4 * cm, 4.6 * cm, f"Kode sertifikat: {certificate.code}")
    pdf.drawString(2.3 * cm + size + 0.4 * cm, 4.1 * cm, "Periksa keaslian di:")
    pdf.drawString(2.3 * cm + size + 0.4 * cm, 3.6 * cm, certificate.verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
