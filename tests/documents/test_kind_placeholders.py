"""A kind's decree prints the common placeholders and those its definition declares
(Workflow.placeholders): the editor's list, the values of a file and the sample preview
all follow the declaration."""

import dataclasses

from app.documents import placeholders
from app.documents.placeholders import COMMON, GROUPS, KindPlaceholders
from app.workflow import registry


def test_a_kinds_decree_scope_is_the_common_groups_and_its_declared_ones(monkeypatch):
    assert {name.split(".")[0] for name in placeholders.placeholders("pkkpr_nb")} == {
        *COMMON, "lokasi", "krk", "pertek", "rekomendasi"}
    only_location = KindPlaceholders(
        "Keputusan uji", {"lokasi": GROUPS["lokasi"]}, lambda values, application: None,
        lambda values, today: values["lokasi"].update(alamat="Jl. Uji 1"))
    declared = dataclasses.replace(registry.WORKFLOWS["pkkpr_nb"], placeholders=only_location)
    monkeypatch.setitem(registry.WORKFLOWS, "pkkpr_nb", declared)
    assert placeholders.placeholders("pkkpr_nb") == {
        f"{group}.{name}" for group in (*COMMON, "lokasi") for name in GROUPS[group]}
    assert placeholders.scope_label("pkkpr_nb") == "Keputusan uji"
    office = type("Office", (), {"office": "DPMPTSP", "city": "Blitar"})()
    sample = placeholders.sample_context("pkkpr_nb", office)
    assert sample["lokasi"]["alamat"] == "Jl. Uji 1" and "krk" not in sample
