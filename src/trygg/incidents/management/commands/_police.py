"""Shared output of the police event commands."""

from __future__ import annotations

from trygg.core.models import Area


def ensure_geography(stdout) -> None:
    """The 290 kommuner must exist before events can be placed in them."""
    from trygg.core.choices import AreaKind
    from trygg.core.reference import load_reference_geography

    if Area.objects.filter(kind=AreaKind.KOMMUN).exclude(code="").count() < 290:
        counts = load_reference_geography()
        stdout.write(f"Geografi: {counts['created']} nya områden laddades först.")


def write_counts(stdout, counts: dict) -> None:
    outcome = counts["by_resolution"]
    stdout.write(
        f"Händelser i filen: {counts['events']:,}".replace(",", " ")
        + f" · nya: {counts['created']:,}".replace(",", " ")
        + f" · fanns redan: {counts['existing']:,}".replace(",", " ")
        + (f" · dubbletter i filen: {counts['duplicates']}" if counts["duplicates"] else "")
    )
    stdout.write("Placering i kommun (sammanfattningar ej medräknade):")
    stdout.write(f"  kommun i location:        {outcome['location']:>7}")
    stdout.write(f"  kommun ur rubriken:       {outcome['name']:>7}")
    stdout.write(f"  endast län:               {outcome['county']:>7}")
    stdout.write(f"  okänd:                    {outcome['unknown']:>7}")
    stdout.write(f"Sammanfattningar (natt/kväll), räknade för sig: {counts['summaries']:>7}")
    if counts.get("kommun_missing_area"):
        stdout.write(
            f"Varning: {counts['kommun_missing_area']} händelser har en kommunkod utan område "
            "(kör load_geography)."
        )
