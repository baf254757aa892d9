"""The DIALOG scale, version 1, in the English reference wording (docs/dialog.md).

The wording lives here, frozen with the migration, so later edits made by clinic
admins (which create new versions) never rewrite what old sessions were asked.
"""

from django.db import migrations

HELP_QUESTION = "Do you need more help in this area?"

DOMAINS = [
    ("mental_health", "life", "Mental health", "How satisfied are you with your mental health?"),
    (
        "physical_health",
        "life",
        "Physical health",
        "How satisfied are you with your physical health?",
    ),
    ("job", "life", "Job situation", "How satisfied are you with your job situation?"),
    ("accommodation", "life", "Accommodation", "How satisfied are you with your accommodation?"),
    (
        "leisure",
        "life",
        "Leisure activities",
        "How satisfied are you with your leisure activities?",
    ),
    ("friendships", "life", "Friendships", "How satisfied are you with your friendships?"),
    ("partner_family", "life", "Partner/family", "How satisfied are you with your partner/family?"),
    ("safety", "life", "Personal safety", "How satisfied are you with your personal safety?"),
    ("medication", "treatment", "Medication", "How satisfied are you with your medication?"),
    (
        "practical_help",
        "treatment",
        "Practical help",
        "How satisfied are you with the practical help you receive?",
    ),
    (
        "professionals",
        "treatment",
        "Meetings with professionals",
        "How satisfied are you with consultations with mental health professionals?",
    ),
]

LABELS = [
    "totally dissatisfied",
    "very dissatisfied",
    "fairly dissatisfied",
    "in the middle",
    "fairly satisfied",
    "very satisfied",
    "totally satisfied",
]

STEPS = [
    (
        "understanding",
        "Understanding",
        "Ask why the patient gave this rating, then what is nevertheless working: "
        "why is it not lower? Ask how they cope now and acknowledge it. The aim is to "
        "understand the situation, not to solve it yet.",
        [
            "Why did you give this rating?",
            "What is nevertheless working? Why is it not lower?",
            "How are you coping with it at the moment?",
        ],
    ),
    (
        "looking_forward",
        "Looking forward",
        "Help the patient picture a better situation. Keep it concrete and about doing "
        "something, framed as the presence of something rather than the absence of a "
        "problem. The smallest step matters most.",
        [
            "Best case: what would be different if you rated this 7?",
            "Smallest step: what would make it one point better?",
        ],
    ),
    (
        "exploring_options",
        "Exploring options",
        "Collect options from all three sides without judging them yet: the patient, "
        "the clinician and the service, and other people such as family, friends, "
        "carers or peers.",
        [
            "What can you do?",
            "What can I, or the service, do?",
            "What can others do: family, friends, carers, peers?",
        ],
    ),
    (
        "agreeing_actions",
        "Agreeing on actions",
        "Agree one or more concrete actions, each with who will do it and, if useful, "
        "by when. If the patient is not ready, agree that they will think about the "
        "options: that is a valid outcome, reviewed next time.",
        [
            "What will be done, and by whom?",
            "By when?",
        ],
    ),
]


def seed(apps, schema_editor):
    ScaleVersion = apps.get_model("scale", "ScaleVersion")
    Domain = apps.get_model("scale", "Domain")
    RatingLabel = apps.get_model("scale", "RatingLabel")
    Step = apps.get_model("scale", "Step")
    StepPrompt = apps.get_model("scale", "StepPrompt")
    if ScaleVersion.objects.filter(number=1).exists():
        return
    # modeltranslation's fields in a historical model are plain columns: fill
    # both the English column and the original (which it mirrors) explicitly.
    version = ScaleVersion.objects.create(
        number=1,
        is_current=True,
        help_question=HELP_QUESTION,
        help_question_en=HELP_QUESTION,
        note="English reference wording",
    )
    for position, (key, kind, short_name, question) in enumerate(DOMAINS, start=1):
        Domain.objects.create(
            version=version,
            key=key,
            position=position,
            kind=kind,
            short_name=short_name,
            short_name_en=short_name,
            question=question,
            question_en=question,
        )
    for value, text in enumerate(LABELS, start=1):
        RatingLabel.objects.create(version=version, value=value, text=text, text_en=text)
    for number, (key, title, guidance, prompts) in enumerate(STEPS, start=1):
        step = Step.objects.create(
            version=version,
            number=number,
            key=key,
            title=title,
            title_en=title,
            guidance=guidance,
            guidance_en=guidance,
        )
        for position, text in enumerate(prompts, start=1):
            StepPrompt.objects.create(step=step, position=position, text=text, text_en=text)


def unseed(apps, schema_editor):
    for model in ("StepPrompt", "Step", "RatingLabel", "Domain"):
        manager = apps.get_model("scale", model).objects
        lookup = "step__version__number" if model == "StepPrompt" else "version__number"
        manager.filter(**{lookup: 1}).delete()
    apps.get_model("scale", "ScaleVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("scale", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
