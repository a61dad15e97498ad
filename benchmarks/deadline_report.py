"""The deadline hour's accounting and its two lines (bench_deadline): the fan-out latencies and
reach from the sockets' receipts, lost points from the ledger against the awards made, scores
against the ledger, and the `deadline-hour-submission` / `deadline-hour-fanout` lines."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from . import common
from .bench_submission import verify
from .deadline_load import RATE, RECOGNITION_POINTS, Load
from .sockets import Clients


@dataclass
class Phases:
    """What the three phases measured."""

    mixed: dict[str, list[float]]  # request latencies by kind, everything at once
    mixed_counts: dict[str, int]
    alone: list[float]  # submission latencies, no socket open
    fanout: dict[str, list[float]]  # probe latencies on every socket: "alone", "mixed"
    reached: int  # sockets that got every ledger entry made while they were open
    sockets: int


def fanout_latencies(groups: list[Clients], probes: list[tuple[int, float]]) -> list[float]:
    started = dict(probes)
    out = []
    for clients in groups:
        for log in clients.received:
            out += [at - started[seq] for seq, at in log if seq in started]
    return out


def reach(groups: list[Clients], seqs: set[int]) -> tuple[int, int]:
    sockets = [log for clients in groups for log in clients.received]
    return sum(1 for log in sockets if seqs <= {s for s, _ in log}), len(sockets)


def ms(values: list[float], q: float) -> float:
    return common.percentile(values, q) * 1000


def ledger_state(users) -> tuple[int, dict[int, int]]:
    from leaderboard.models import ALL_TIME, PointEntry, Score

    last = PointEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    scores = dict(
        Score.objects.filter(season=ALL_TIME, user__in=users).values_list("user_id", "total")
    )
    return last, scores


def accounting(users, before: tuple[int, dict], awarded: int) -> tuple[int, int]:
    """(points missing from the ledger, people whose all-time score moved by other than
    their ledger sum) since `before`."""
    from django.db.models import Sum

    from leaderboard.models import PointEntry

    first, scores = before
    new = PointEntry.objects.filter(pk__gt=first)
    ledger = new.aggregate(s=Sum("points"))["s"] or 0
    per_user = dict(new.values("user").annotate(s=Sum("points")).values_list("user", "s"))
    _last, now = ledger_state(users)
    wrong = sum(
        1 for user, total in now.items() if total - scores.get(user, 0) != per_user.get(user, 0)
    )
    wrong += sum(1 for user in per_user if user not in now)
    return awarded - ledger, wrong


def report(args, load: Load, probes: dict, before: tuple[int, dict], touched, phases: Phases):
    """Checks the submissions and the ledger, prints the two lines; True when anything was
    lost or failed."""
    from django.conf import settings

    mixed, mixed_counts, alone = phases.mixed, phases.mixed_counts, phases.alone
    reached, sockets, latencies = phases.reached, phases.sockets, phases.fanout
    submitted = load.reports.submitted
    verify(submitted)
    awarded = (
        settings.PERFORMANCE_ON_TIME_POINTS * len(submitted)
        + RECOGNITION_POINTS * load.recognitions
        + RECOGNITION_POINTS * (len(probes["alone"]) + len(probes["mixed"]))
    )
    lost, wrong_scores = accounting(touched, before, awarded)
    errors = len(load.errors)
    for message in load.errors[:5]:
        sys.stderr.write(f"deadline-hour: error {message[:500]}\n")
    account = f"errors={errors} lost={lost} scores-off={wrong_scores} reach={reached}of{sockets}"
    sub_mixed, sub_alone = mixed.get("submission", []), alone
    mix = " ".join(
        f"{k}={mixed_counts.get(k, 0)}" for k in ("submission", "login", "view", "recognition")
    )
    common.line(
        "deadline-hour-submission",
        ms(sub_mixed, 99) / ms(sub_alone, 99),
        f"{ms(sub_mixed, 99):.0f}ms-p99/{ms(sub_mixed, 50):.0f}ms-p50",
        f"{ms(sub_alone, 99):.0f}ms-p99/{ms(sub_alone, 50):.0f}ms-p50",
        f"{account} rate={RATE * args.speedup:.2f}/s mixed:{mix} "
        f"login-p50={ms(mixed.get('login', []), 50):.0f}ms "
        f"view-p99={ms(mixed.get('view', []), 99):.0f}ms",
    )
    fan_mixed, fan_alone = latencies["mixed"], latencies["alone"]
    common.line(
        "deadline-hour-fanout",
        ms(fan_mixed, 99) / ms(fan_alone, 99),
        f"{ms(fan_mixed, 99):.1f}ms-p99/{ms(fan_mixed, 50):.1f}ms-p50",
        f"{ms(fan_alone, 99):.1f}ms-p99/{ms(fan_alone, 50):.1f}ms-p50",
        f"{account} sockets={args.sockets}+{args.kiosks}kiosk "
        f"probes={len(probes['mixed'])}+{len(probes['alone'])} seconds={args.seconds} "
        f"speedup={args.speedup}",
    )
    return bool(errors or lost or wrong_scores or reached != sockets)
