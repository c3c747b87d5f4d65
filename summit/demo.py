"""The demo summit for `make run`: deterministic, and created only once."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from summit.models import AgendaItem, Reflection, Summit, SummitPrompt
from twh.core.moderation import Status

DEMO_TITLE = "Together We Heal: the Healing Summit"
DEMO_DESCRIPTION = (
    "The campaign closes with a virtual healing summit, where participants reflect on the "
    "progress made and envision a path forward for the coming year. Partners, ambassadors, "
    "anchor organizations and City staff are all welcome."
)
# Staff translate the summit in admin; the demo fills Spanish, so the fallback shows elsewhere.
SPANISH = {
    "title": "Together We Heal: la Cumbre de Sanación",
    "description": (
        "La campaña termina con una cumbre de sanación virtual, donde los participantes "
        "reflexionan sobre el progreso logrado e imaginan un camino a seguir para el próximo año. "
        "Socios, embajadores, organizaciones ancla y personal de la Ciudad: todos son bienvenidos."
    ),
}
FRIDAY = 4

# (minutes after the start, title, speakers, description, Spanish title, Spanish description)
AGENDA = [
    (0, "Welcome and grounding", "OERJ staff", "An opening reflection and the community agreements.",
     "Bienvenida y centramiento", "Una reflexión de apertura y los acuerdos de la comunidad."),
    (20, "The progress we made", "Partners and ambassadors",
     "Stories from healing events across the city's community areas.",
     "El progreso que logramos",
     "Historias de eventos de sanación en las áreas comunitarias de la ciudad."),
    (75, "Breakout circles", "Anchor organizations", "Small groups reflect on what changed.",
     "Círculos en grupos pequeños", "Grupos pequeños reflexionan sobre lo que cambió."),
    (130, "A path forward for the coming year", "Youth and elder voices",
     "What we will carry into next year, together.",
     "Un camino a seguir para el próximo año", "Lo que llevaremos juntos al próximo año."),
    (165, "Closing", "", "Gratitude and next steps.", "Cierre", "Gratitud y próximos pasos."),
]

PROMPTS = [("What healing did you witness in your neighbourhood?",
            "¿Qué sanación presenciaste en tu vecindario?"),
           ("Who will you invite to the table next year?",
            "¿A quién invitarás a la mesa el próximo año?")]

REFLECTIONS = [
    ("progress", None, "Maria", "Our block club met for the first time in years. We listened more than we talked."),
    ("forward", None, "", "Next year I want our youth council to host a dialogue with the district police."),
    ("summit", 0, "Deshawn", "A story circle at the library brought three generations of my family together."),
    ("progress", None, "A Pilsen neighbour", "Sharing food across Cermak Road felt like the start of something."),
]


def summit_date(today: date | None = None) -> date:
    """The last Friday on or before CAMPAIGN_END; without one, the last Friday of next January."""
    if settings.CAMPAIGN_END:
        day = settings.CAMPAIGN_END
    else:
        today = today or timezone.localdate()
        day = date(today.year + 1, 1, 31)
    return day - timedelta(days=(day.weekday() - FRIDAY) % 7)


def _chicago(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


@transaction.atomic
def seed_summit() -> tuple[Summit, bool]:
    """(summit, created). Leaves an existing demo summit, and whatever staff changed, alone."""
    existing = Summit.objects.filter(title_en=DEMO_TITLE).first()
    if existing is not None:
        return existing, False
    day = summit_date()
    starts = _chicago(day, 10)
    now = timezone.now()
    is_current = not Summit.objects.filter(is_current=True).exists()
    summit = Summit.objects.create(
        title_en=DEMO_TITLE,
        title_es=SPANISH["title"],
        description_en=DEMO_DESCRIPTION,
        description_es=SPANISH["description"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        meeting_url="https://meet.example.org/together-we-heal-summit",
        capacity=300,
        registration_closes_at=starts - timedelta(hours=1),
        is_current=is_current,
    )
    for minutes, title, speakers, description, title_es, description_es in AGENDA:
        AgendaItem.objects.create(summit=summit, starts_at=starts + timedelta(minutes=minutes),
                                  title_en=title, title_es=title_es, speakers=speakers,
                                  description_en=description, description_es=description_es)
    prompts = [SummitPrompt.objects.create(summit=summit, text_en=text, text_es=text_es, position=i)
               for i, (text, text_es) in enumerate(PROMPTS)]
    for theme, prompt, name, text in REFLECTIONS:
        Reflection.objects.create(
            summit=summit, theme=theme, summit_prompt=prompts[prompt] if prompt is not None else None,
            text=text, display_name=name, status=Status.APPROVED, moderated_at=now,
        )
    return summit, True
