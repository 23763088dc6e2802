"""Titles (称号): certificate numbers, granting a title, and its status over time.

A certificate number comes from the pattern of the nearest `TitleConfig` of the naming
jurisdiction (default "{kind}-{year}-{seq:04d}"): {kind} is LSSQ (绿色社区) or SFLSSQ (省级示范
绿色社区), {seq} one more than the highest running number already used with the same text
around it, read from the numbers that exist (imported numbers and gaps included). Two grants at
once cannot take the same number: the settings row is locked while numbering and a clash on the
unique certificate number is retried with the next number.

Status: valid ↔ under rectification (限期整改); either → revoked (除名), which is final.
"""

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.models import Community

from ..models import Application, NamingDecision, Title, TitleConfig, TitleKind, TitleStatus
from ..policies_titles import can_change_title, can_grant_title
from ..selectors_titles import nearest_title_config

KIND_ABBREVIATIONS = {TitleKind.GREEN: "LSSQ", TitleKind.DEMONSTRATION: "SFLSSQ"}
DEFAULT_PATTERN = "{kind}-{year}-{seq:04d}"
MAX_NUMBER = 60  # Title.certificate_number's length
GRANT_ATTEMPTS = 5
TRANSITIONS = {
    TitleStatus.VALID: {TitleStatus.UNDER_RECTIFICATION, TitleStatus.REVOKED},
    TitleStatus.UNDER_RECTIFICATION: {TitleStatus.VALID, TitleStatus.REVOKED},
    TitleStatus.REVOKED: set(),
}


@dataclass(frozen=True)
class CertificateSeries:
    """The numbers of one pattern, kind and year: `prefix` + running number + `suffix`."""

    prefix: str
    suffix: str
    seq_spec: str  # the format spec of {seq}, e.g. "04d"

    def format(self, seq: int) -> str:
        return f"{self.prefix}{format(seq, self.seq_spec)}{self.suffix}"

    def parse(self, number: str) -> int | None:
        """The running number of a certificate number of this series, else None."""
        if not number.startswith(self.prefix) or not number.endswith(self.suffix):
            return None
        middle = number[len(self.prefix) : len(number) - len(self.suffix)]
        return int(middle) if middle.isascii() and middle.isdigit() else None


def certificate_series(pattern: str, kind: str, year: int) -> CertificateSeries:
    """Split a pattern around {seq}; ApplicationError when it is not a usable pattern."""
    abbreviation = KIND_ABBREVIATIONS[TitleKind(kind)]
    parts: list[str] = []
    seq_at, seq_spec = -1, "d"
    try:
        for literal, name, spec, conversion in string.Formatter().parse(pattern):
            parts.append(literal)
            if name is None:
                continue
            if name == "seq" and seq_at < 0 and not conversion:
                seq_at, seq_spec = len(parts), spec or "d"
                format(1, seq_spec)
                parts.append("")
            elif name in ("kind", "year"):
                value = abbreviation if name == "kind" else year
                parts.append(format(value if not conversion else str(value), spec or ""))
            else:
                raise ValueError(name)
    except (ValueError, KeyError, IndexError) as exc:
        raise ApplicationError(
            _("The certificate number pattern %(pattern)s is not valid.") % {"pattern": pattern}
        ) from exc
    if seq_at < 0:
        raise ApplicationError(
            _("The certificate number pattern %(pattern)s has no {seq}.") % {"pattern": pattern}
        )
    series = CertificateSeries("".join(parts[:seq_at]), "".join(parts[seq_at + 1 :]), seq_spec)
    if len(series.format(1)) > MAX_NUMBER - 2:  # room for the running number to grow
        raise ApplicationError(
            _("The certificate number pattern %(pattern)s makes numbers that are too long.")
            % {"pattern": pattern}
        )
    return series


def series_for(
    *, region_code: str, kind: str, year: int, configs: list[TitleConfig] | None = None
) -> CertificateSeries:
    config = nearest_title_config(region_code, configs)
    pattern = config.certificate_pattern if config is not None else DEFAULT_PATTERN
    return certificate_series(pattern, kind, year)


def highest_seq(series: CertificateSeries) -> int:
    """The highest running number used in the series (0 when none)."""
    numbers = Title.objects.filter(certificate_number__startswith=series.prefix)
    if series.suffix:
        numbers = numbers.filter(certificate_number__endswith=series.suffix)
    seqs = (series.parse(n) for n in numbers.values_list("certificate_number", flat=True))
    return max((s for s in seqs if s is not None), default=0)


def certificate_number_next(*, region_code: str, kind: str, year: int) -> str:
    """The next certificate number of `kind` and `year` for the naming jurisdiction (or the
    community) `region_code`, e.g. SC-LSSQ-2022-0001."""
    series = series_for(region_code=region_code, kind=kind, year=year)
    return series.format(highest_seq(series) + 1)


def certificate_numbers_next(
    titles: Sequence[tuple[str, str, int]],
    *,
    taken: Iterable[str] = (),
    configs: list[TitleConfig] | None = None,
) -> list[str]:
    """Numbers for many titles at once (a naming batch, an import), in order: one for each
    (region code, kind, year), after the highest used in the database and in `taken`."""
    configs = list(TitleConfig.objects.all()) if configs is None else configs
    by_code = {c.region_code: c for c in configs}
    series: dict[tuple[str, str, int], CertificateSeries] = {}
    keys = []
    for code, kind, year in titles:
        config = nearest_title_config(code, [by_code[c] for c in _candidates(code, by_code)])
        key = (config.certificate_pattern if config else DEFAULT_PATTERN, kind, year)
        if key not in series:
            series[key] = certificate_series(*key)
        keys.append(key)
    taken = list(taken)
    last: dict[CertificateSeries, int] = {}
    for s in set(series.values()):
        in_file = (n for n in map(s.parse, taken) if n is not None)
        last[s] = max(highest_seq(s), max(in_file, default=0))
    numbers = []
    for key in keys:
        s = series[key]
        last[s] += 1
        numbers.append(s.format(last[s]))
    return numbers


def _candidates(code: str, by_code: dict[str, TitleConfig]) -> list[str]:
    return [c for n in (12, 9, 6, 4, 2) if (c := code[:n].ljust(12, "0")) in by_code]


def _live_title(community: Community, kind: str) -> Title | None:
    return (
        Title.objects.filter(community=community, kind=kind)
        .exclude(status=TitleStatus.REVOKED)
        .first()
    )


def _refuse_live(community: Community, kind: str) -> None:
    live = _live_title(community, kind)
    if live is not None:
        raise ApplicationError(
            _(
                "%(community)s already holds the title %(title)s (certificate %(number)s); "
                "it can be granted again only after that title is revoked."
            )
            % {
                "community": community.region.name,
                "title": live.get_kind_display(),
                "number": live.certificate_number,
            }
        )


def _check_grant(
    community: Community,
    kind: str,
    decision: NamingDecision | None,
    application: Application | None,
    certificate_number: str | None,
) -> None:
    if kind not in TitleKind.values:
        raise ApplicationError(_("Unknown title."))
    if decision is not None and decision.title_kind != kind:
        raise ApplicationError(_("The naming decision names another title."))
    if application is not None and (
        application.community_id != community.pk or application.title_kind != kind
    ):
        raise ApplicationError(_("The application is for another community or title."))
    _refuse_live(community, kind)
    if certificate_number is not None:
        if not certificate_number.strip() or len(certificate_number) > MAX_NUMBER:
            raise ApplicationError(_("The certificate number is empty or too long."))
        if Title.objects.filter(certificate_number=certificate_number).exists():
            raise ApplicationError(
                _("The certificate number %(number)s is already used.")
                % {"number": certificate_number}
            )


@transaction.atomic
def title_grant(
    *,
    actor: Any,
    community: Community,
    kind: str,
    year: int,
    named_on: date,
    decision: NamingDecision | None = None,
    application: Application | None = None,
    certificate_number: str | None = None,
) -> Title:
    """Grant `kind` to `community`: one live title per community and kind. Without a
    `certificate_number`, the next number of the naming jurisdiction's pattern is taken."""
    if not can_grant_title(actor, community):
        raise PermissionDenied(_("You may not grant titles to this community."))
    _check_grant(community, kind, decision, application, certificate_number)
    jurisdiction = decision.region.code if decision is not None else community.region.code
    config = nearest_title_config(jurisdiction)
    if config is not None:  # serialise numbering in this jurisdiction (PostgreSQL)
        TitleConfig.objects.select_for_update().filter(pk=config.pk).first()
    for attempt in range(1, GRANT_ATTEMPTS + 1):
        number = certificate_number or certificate_number_next(
            region_code=jurisdiction, kind=kind, year=year
        )
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the transaction usable
                title = Title.objects.create(
                    community=community, kind=kind, year=year, named_on=named_on,
                    certificate_number=number, status=TitleStatus.VALID, decision=decision,
                    application=application,
                )  # fmt: skip
            break
        except IntegrityError:
            # Someone else took the number or granted the title meanwhile.
            _check_grant(community, kind, decision, application, certificate_number)
            if certificate_number or attempt == GRANT_ATTEMPTS:
                raise ApplicationError(
                    _("The title could not be granted; please try again.")
                ) from None
    audit_record(
        actor=actor,
        verb="title.grant",
        target=title,
        region_code=community.region.code,
        summary=_("%(title)s granted to %(community)s, certificate %(number)s.")
        % {
            "title": title.get_kind_display(),
            "community": community.region.name,
            "number": title.certificate_number,
        },
        after={
            "community": community.region.code,
            "kind": kind,
            "year": year,
            "named_on": named_on,
            "certificate_number": title.certificate_number,
            "decision": decision.document_number if decision is not None else None,
        },
    )
    return title


@transaction.atomic
def title_set_status(*, actor: Any, title: Title, status: str, on: date, reason: str) -> Title:
    """Put a title under rectification, back to valid, or revoke it (final) on `on`."""
    if not can_change_title(actor, title):
        raise PermissionDenied(_("You may not change the status of this title."))
    locked = Title.objects.select_for_update().select_related("community__region").get(pk=title.pk)
    reason = reason.strip()
    if status not in TitleStatus.values:
        raise ApplicationError(_("Unknown status."), {"field": "status"})
    if status not in TRANSITIONS[TitleStatus(locked.status)]:
        message = (
            _("A revoked title cannot change any more.")
            if locked.status == TitleStatus.REVOKED
            else _("The title cannot go from %(old)s to %(new)s.")
            % {"old": locked.get_status_display(), "new": TitleStatus(status).label}
        )
        raise ApplicationError(message, {"field": "status"})
    if not reason:
        raise ApplicationError(_("Give the reason for the change."), {"field": "reason"})
    if on < locked.named_on or on > timezone.localdate():
        raise ApplicationError(
            _("The date must lie between the naming date (%(named_on)s) and today.")
            % {"named_on": locked.named_on.isoformat()},
            {"field": "on"},
        )
    if locked.status_changed_on is not None and on < locked.status_changed_on:
        raise ApplicationError(
            _("The date cannot be before the last status change (%(day)s).")
            % {"day": locked.status_changed_on.isoformat()},
            {"field": "on"},
        )
    old_status = TitleStatus(locked.status)
    before = {"status": locked.status, "status_changed_on": locked.status_changed_on}
    locked.status, locked.status_changed_on = status, on
    if status == TitleStatus.REVOKED:
        locked.revoked_on = on
    locked.save(update_fields=["status", "status_changed_on", "revoked_on", "updated_at"])
    audit_record(
        actor=actor,
        verb="title.status",
        target=locked,
        region_code=locked.community.region.code,
        summary=_("%(number)s: %(old)s → %(new)s on %(day)s. Reason: %(reason)s")
        % {
            "number": locked.certificate_number,
            "old": old_status.label,
            "new": locked.get_status_display(),
            "day": on.isoformat(),
            "reason": reason,
        },
        before=before,
        after={"status": status, "status_changed_on": on, "reason": reason},
    )
    title.status, title.status_changed_on, title.revoked_on = (
        locked.status,
        locked.status_changed_on,
        locked.revoked_on,
    )
    return locked
