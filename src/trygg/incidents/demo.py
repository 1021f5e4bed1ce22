"""Demo data: Nacka's incident categories and the police's real events for all of Sweden."""

from __future__ import annotations

import time

from django.conf import settings

from trygg.incidents import services
from trygg.incidents.management.commands._police import write_counts

POLICE_FILE = "polisen/polisen_events_all.jsonl.gz"


def load(world, stdout) -> None:
    nacka = world.organisations["nacka"]
    categories = services.categories_ensure_defaults(nacka)
    stdout.write(f"Händelsekategorier för {nacka}: {len(categories)}.")
    path = settings.REFERENCE_DATA_DIR / POLICE_FILE
    if not path.exists():
        stdout.write(f"Polisens händelser: {path} saknas – hoppar över.")
        return
    started = time.perf_counter()
    counts = services.police_events_import(
        actor=None, source=path, filename=path.name, organisation=nacka
    )
    stdout.write(f"Polisens händelser ({time.perf_counter() - started:.1f} s):")
    write_counts(stdout, counts)
    from trygg.incidents.models import PoliceEvent

    for key in ("Nacka", "Stockholm"):
        area = world.areas.get(key)
        if key == "Stockholm" or area is None:
            from trygg.core.models import Area

            area = Area.objects.filter(kind="kommun", name=key).first()
        if area is not None:
            n = PoliceEvent.objects.filter(kommun=area, is_summary=False).count()
            stdout.write(f"  varav i {area.name}: {n}")
