"""The clients of issue 21, each with the exact answer Find my massage must give them.

Used by the AppTest page tests (tests/app_pages/test_find_safety.py) and the browser tests at
390x844 (tests/browser/test_find_phone.py). The texts are the catalog's (data/red_flags.csv) and
the explanation's; a change of wording there is a change of these answers, made on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_MEDICAL_ADVICE = "This tool compares kinds of massage. It is not medical advice."
PROVIDER_FIRST = (
    "**Talk to a healthcare provider first.** What you ticked needs a healthcare provider's "
    "advice before any massage. So this page does not recommend one for now."
)
WITH_CARE = (
    "**Massage with care.** What you ticked does not rule out massage. Tell your therapist "
    "about it before you start."
)


@dataclass(frozen=True)
class Client:
    id: str
    what: str
    preset: str
    flags: tuple[str, ...]
    notice: str | None  # the safety box's alert (markdown), None when nothing is ticked
    items: str | None  # the safety box's list (markdown)
    verdict: str
    live: str  # the live verdict beside the sliders (its text as the browser shows it)
    green: bool


PREGNANT = Client(
    "pregnant",
    "third trimester of pregnancy, 'Treat myself'",
    "treat_myself",
    ("pregnancy_later",),
    WITH_CARE,
    "- **I am pregnant and past the first 3 months (13 weeks or more).** Massage can go ahead "
    "with care. Let your midwife or doctor know you plan to have one.\n"
    "  - Tell your therapist: How many weeks pregnant you are. Also any swelling, high blood "
    "pressure or pain.\n"
    "  - Look for: Someone trained in massage for pregnant women.\n"
    "  - Source: University of Minnesota, Earl E. Bakken Center: Taking Charge of Your "
    "Wellbeing: Safety precautions",
    "Spa massage clearly fits you best: 96% against 30% for Medical massage. "
    "That is a lead of 66 points.",
    "Your answer now: Spa massage clearly ahead: 96% against 30% for Medical massage.",
    False,
)
AFTER_SURGERY = Client(
    "after_surgery",
    "a runner six weeks after knee surgery, 'Recover from an injury'",
    "injury",
    ("recent_surgery",),
    PROVIDER_FIRST,
    "- **I had surgery 6 weeks ago or less, or a surgery wound has not fully healed.** Ask "
    "your surgeon when massage is safe, and where. Until then, no pressure on or near the "
    "operation site. Deep pressure there should wait at least 6 weeks.\n"
    "  - Tell your therapist: What surgery you had, when, and where the scar is.\n"
    "  - Look for: A therapist who will keep away from the scar until it has healed.\n"
    "  - Source: Michigan State University, cancer pain education site: Cautions for massage",
    "Medical massage clearly fits you best: 88% against 24% for Spa massage. "
    "That is a lead of 64 points.",
    "Your answer now: talk to a healthcare provider first. For later: Medical massage clearly "
    "ahead: 88% against 24% for Spa massage.",
    False,
)
BLOOD_THINNERS = Client(
    "blood_thinners",
    "takes a blood thinner, 'Ease ongoing pain'",
    "chronic_pain",
    ("blood_thinners",),
    WITH_CARE,
    "- **I take a blood thinner (for example warfarin).** Massage can go ahead with care: "
    "gentle pressure only, with no deep tissue or forceful work. You may bruise more easily.\n"
    "  - Tell your therapist: That you take a blood thinner, and its name.\n"
    "  - Look for: A therapist who will keep the pressure gentle. If you choose medical "
    "massage, ask for no deep tissue work.\n"
    "  - Source: NCCIH (US National Institutes of Health): Massage Therapy: What You Need To "
    "Know",
    "Medical massage clearly fits you best: 83% against 32% for Spa massage. "
    "That is a lead of 51 points.",
    "Your answer now: Medical massage clearly ahead: 83% against 32% for Spa massage.",
    False,
)
UNWIND = Client(
    "unwind",
    "unwind after a hard week, none of the safety items apply",
    "unwind",
    (),
    None,
    None,
    "Spa massage clearly fits you best: 93% against 33% for Medical massage. "
    "That is a lead of 60 points.",
    "Your answer now: Spa massage clearly ahead: 93% against 33% for Medical massage.",
    True,
)
SAFETY_CLIENTS = (PREGNANT, AFTER_SURGERY, BLOOD_THINNERS)
CLIENTS = (*SAFETY_CLIENTS, UNWIND)
