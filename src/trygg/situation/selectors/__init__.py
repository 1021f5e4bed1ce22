"""Reads for the lägesbild: every figure of the situation pages and API comes from here.

One module per part of the picture: ``periods`` (spans of days, weeks, quarters),
``analysis`` (who sees what, and the :class:`Analysis` every selector takes), ``counts``
(the pre-computed counts and the small-count rule), ``time_of_week``, ``places`` (areas,
places, trend and headline), ``weekly`` (the veckobild), ``police``, ``problems``,
``statistics`` and ``map``.

The analyses read the pre-computed incident counts (IncidentCount, see situation.rollup)
through ``restrict()``, so that a user's figures cover exactly the reports they may see:
an area-limited member their areas, a partner (the police) the owner's reports.

Detail access ("detaljbehörighet") is VIEW in the owning organisation. Without it (a
partner) the pages show areas but no places or points, and every count between 1 and
SMALL_COUNT_THRESHOLD − 1 is shown as "<5": :func:`shown` is the one place that decides
it, through core's ``suppress`` rule, for pages, charts, exports and the API alike.
"""

from trygg.situation.selectors.analysis import (
    Analysis,
    analysis_areas,
    analysis_categories,
    default_organisation,
    has_detail_access,
    organisations_for,
)
from trygg.situation.selectors.counts import (
    MIN_BASE,
    Cell,
    Count,
    change_label,
    prepare,
    rate_label,
    shown,
    source_note,
)
from trygg.situation.selectors.map import map_data
from trygg.situation.selectors.periods import (
    LOCAL,
    PREVIOUS_WEEKS,
    SOURCE_POLICE,
    SOURCE_REPORTS,
    WEEKDAY_SHORT,
    Period,
    default_period,
    last_complete_week,
    parse_week,
    quarter_of,
    today,
    week_label,
    week_param,
    week_start_of,
)
from trygg.situation.selectors.places import (
    AreaRow,
    Headline,
    MonthRow,
    PlaceRow,
    area_counts,
    headline,
    monthly_trend,
    top_places,
)
from trygg.situation.selectors.police import (
    PoliceRow,
    PoliceSummary,
    police_counts,
    police_summary,
)
from trygg.situation.selectors.problems import (
    Named,
    ProblemReading,
    ProblemView,
    current_picture,
    measures_to_link,
    pictures_for,
    problem_view,
    problems_of,
    read_problems,
)
from trygg.situation.selectors.statistics import StatisticsBlock, StatRow, statistics
from trygg.situation.selectors.time_of_week import (
    TimeOfWeek,
    peak_label,
    time_of_week,
    when_label,
)
from trygg.situation.selectors.weekly import (
    RULE,
    FocusPlace,
    WeeklyPicture,
    WeeklyRow,
    is_deviation,
    threshold,
    weekly_picture,
)

__all__ = [
    "LOCAL",
    "MIN_BASE",
    "PREVIOUS_WEEKS",
    "RULE",
    "SOURCE_POLICE",
    "SOURCE_REPORTS",
    "WEEKDAY_SHORT",
    "Analysis",
    "AreaRow",
    "Cell",
    "Count",
    "FocusPlace",
    "Headline",
    "MonthRow",
    "Named",
    "Period",
    "PlaceRow",
    "PoliceRow",
    "PoliceSummary",
    "ProblemReading",
    "ProblemView",
    "StatRow",
    "StatisticsBlock",
    "TimeOfWeek",
    "WeeklyPicture",
    "WeeklyRow",
    "analysis_areas",
    "analysis_categories",
    "area_counts",
    "change_label",
    "current_picture",
    "default_organisation",
    "default_period",
    "has_detail_access",
    "headline",
    "is_deviation",
    "last_complete_week",
    "map_data",
    "measures_to_link",
    "monthly_trend",
    "organisations_for",
    "parse_week",
    "peak_label",
    "pictures_for",
    "police_counts",
    "police_summary",
    "prepare",
    "problem_view",
    "problems_of",
    "read_problems",
    "quarter_of",
    "rate_label",
    "shown",
    "source_note",
    "statistics",
    "threshold",
    "time_of_week",
    "today",
    "top_places",
    "week_label",
    "week_param",
    "week_start_of",
    "weekly_picture",
    "when_label",
]
