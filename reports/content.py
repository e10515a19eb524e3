"""What a report says, as plain data: the general assessment, each registered theme with what
was done and its targets (registered and achieved values), and the common indicators.

The same shape is built from the unit's approved registration (the skeleton of a new report),
read from a saved report, and compared to tell whether a save changed anything. The names of
the form's fields are defined here too, because the services report each problem under the name
of the field it concerns (``theme-3-target-0-achieved``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

NARRATIVE = "narrative"
FILES = "attachments"


def done_field(theme_id) -> str:
    return f"theme-{theme_id}-done"


def achieved_field(theme_id, position) -> str:
    return f"theme-{theme_id}-target-{position}-achieved"


def indicator_field(indicator_id) -> str:
    return f"indicator-{indicator_id}"


@dataclass
class TargetLine:
    position: int
    name: str
    unit: str
    key: str
    target: Decimal
    achieved: Decimal | None = None

    @property
    def percent(self) -> int | None:
        """The share of the target achieved, in percent (None without a target or result)."""
        if self.achieved is None or not self.target:
            return None
        return round(self.achieved * 100 / self.target)


@dataclass
class ThemeLine:
    theme_id: int
    number: int
    title: str
    commitment: str
    done: str = ""
    targets: list[TargetLine] = field(default_factory=list)


@dataclass
class ReportContent:
    narrative: str = ""
    themes: list[ThemeLine] = field(default_factory=list)
    indicators: dict[int, Decimal] = field(default_factory=dict)

    def comparable(self) -> tuple:
        def norm(value):
            return value.normalize() if isinstance(value, Decimal) else value

        return (
            self.narrative,
            tuple(
                (
                    t.theme_id,
                    t.commitment,
                    t.done,
                    tuple(
                        (x.position, x.name, x.unit, norm(x.target), norm(x.achieved))
                        for x in t.targets
                    ),
                )
                for t in sorted(self.themes, key=lambda t: t.theme_id)
            ),
            tuple(sorted((k, norm(v)) for k, v in self.indicators.items())),
        )

    @property
    def target_count(self) -> int:
        return sum(len(t.targets) for t in self.themes)

    @property
    def targets_filled(self) -> int:
        return sum(1 for t in self.themes for x in t.targets if x.achieved is not None)


def skeleton(registration_content) -> ReportContent:
    """An empty report on the themes and targets of a registration
    (``registrations.content.Content``)."""
    from registrations.models import target_key

    return ReportContent(
        themes=[
            ThemeLine(
                theme_id=entry.theme_id,
                number=entry.number,
                title=entry.title,
                commitment=entry.commitment,
                targets=[
                    TargetLine(
                        position=position,
                        name=t.name,
                        unit=t.unit,
                        key=target_key(t.name, t.unit),
                        target=t.value,
                    )
                    for position, t in enumerate(entry.targets)
                ],
            )
            for entry in registration_content.themes
        ]
    )


def merged(base: ReportContent, saved: ReportContent | None) -> ReportContent:
    """The skeleton of the registration with what a saved report already says: the text of
    each theme, the achieved value of each target (found by its position when it is the same
    target, by its name and unit otherwise), the indicators and the assessment."""
    if saved is None:
        return base
    themes = {t.theme_id: t for t in saved.themes}
    for line in base.themes:
        old = themes.get(line.theme_id)
        if old is None:
            continue
        line.done = old.done
        by_position = {x.position: x for x in old.targets}
        by_key: dict[str, TargetLine] = {}
        for x in old.targets:
            by_key.setdefault(x.key, x)
        for target in line.targets:
            match = by_position.get(target.position)
            if match is None or match.key != target.key:
                match = by_key.get(target.key)
            if match is not None:
                target.achieved = match.achieved
    base.narrative = saved.narrative
    base.indicators = dict(saved.indicators)
    return base


def content_of(report) -> ReportContent:
    """The content of a saved report from its rows; prefetch :data:`CONTENT_PREFETCH` to read
    it without further queries."""
    themes = sorted(report.themes.all(), key=lambda t: (t.theme.number, t.theme_id))
    return ReportContent(
        narrative=report.narrative,
        themes=[
            ThemeLine(
                theme_id=t.theme_id,
                number=t.theme.number,
                title=t.theme.title,
                commitment=t.commitment,
                done=t.done,
                targets=[
                    TargetLine(x.position, x.name, x.unit, x.key, x.target, x.achieved)
                    for x in sorted(t.targets.all(), key=lambda x: (x.position, x.pk))
                ],
            )
            for t in themes
        ],
        indicators={v.indicator_id: v.value for v in report.indicator_values.all()},
    )


CONTENT_PREFETCH = ("themes__theme", "themes__targets", "indicator_values")
