"""Replace Wagtail's welcome page by the portal's HomePage and point the default Site at it."""

from django.db import migrations

HOME = {
    "title": "Portal Kinerja ASN Kota Bandung",
    "hero_title": "Belajar, melapor, dan diapresiasi — dalam satu portal",
    "hero_intro": (
        "Portal ini membantu ASN Pemerintah Kota Bandung memahami dan menjalankan pengelolaan "
        "kinerja sesuai PermenPANRB Nomor 6 Tahun 2022: pelatihan sosialisasi, SKP dan laporan "
        "berkala dengan umpan balik atasan, serta apresiasi perilaku BerAKHLAK."
    ),
    "body": (
        "<h2>Apa yang bisa Anda lakukan di sini</h2>"
        "<ul><li><b>Belajar</b> — modul pelatihan singkat tentang SKP, umpan balik berkelanjutan, "
        "dan predikat kinerja, lengkap dengan kuis dan sertifikat JP.</li>"
        "<li><b>Melapor</b> — menyusun SKP yang selaras dengan atasan, melaporkan realisasi dan "
        "bukti dukung secara berkala, dan berdialog dengan atasan.</li>"
        "<li><b>Diapresiasi</b> — atasan memberi apresiasi untuk perilaku BerAKHLAK, tampil di papan "
        "apresiasi di setiap kantor.</li></ul>"
    ),
}


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        slug="home",
        locale=locale,
        live=True,
        draft_title=HOME["title"],
        **HOME,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": HOME["title"]},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
