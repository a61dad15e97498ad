import pytest

from performance.rules import predikat, rating_codes
from portal.domain import berakhlak_values, predikat_levels, predikat_matrix, rating_levels


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        ("di_atas", "di_atas", "sangat_baik"),
        ("di_atas", "sesuai", "baik"),
        ("di_atas", "di_bawah", "kurang_misconduct"),
        ("sesuai", "di_atas", "baik"),
        ("sesuai", "sesuai", "baik"),
        ("sesuai", "di_bawah", "kurang_misconduct"),
        ("di_bawah", "di_atas", "butuh_perbaikan"),
        ("di_bawah", "sesuai", "butuh_perbaikan"),
        ("di_bawah", "di_bawah", "sangat_kurang"),
    ],
)
def test_all_nine_predikat_cells(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected


@pytest.mark.parametrize(
    ("hasil", "perilaku"),
    [("istimewa", "sesuai"), ("sesuai", ""), ("Di Atas Ekspektasi", "sesuai"), ("", "")],
)
def test_unknown_codes_raise_value_error(hasil, perilaku):
    with pytest.raises(ValueError):
        predikat(hasil, perilaku)


def test_matrix_follows_the_domain_data_not_a_retyped_copy():
    labels = {level["code"]: level["label"] for level in rating_levels()["scale"]}
    predikat_label = {level["code"]: level["label"] for level in predikat_levels()}
    for hasil in rating_codes():
        for perilaku in rating_codes():
            assert (
                predikat_label[predikat(hasil, perilaku)]
                == predikat_matrix()[labels[hasil]][labels[perilaku]]
            )


def test_domain_loader_gives_seven_berakhlak_values_with_three_indicators_each():
    values = berakhlak_values()
    assert [v["code"] for v in values][:2] == ["berorientasi_pelayanan", "akuntabel"]
    assert len(values) == 7
    assert all(len(v["indicators"]) == 3 for v in values)
