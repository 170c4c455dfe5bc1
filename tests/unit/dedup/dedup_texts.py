# ruff: noqa: E501  (paragraphs of prose are kept one per line, as cleaned articles are)
"""Articles written for the dedup tests, and small builders.

Each story comes as an original and an independent write-up of the same event by another outlet (same
names, places and numbers, different wording), so tests can check that shared entities and vocabulary are
never enough to call a copy. None of this text is from the seed pages.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agents.dedup import DedupInput

T0 = datetime(2025, 4, 28, 9, 0, tzinfo=UTC)

EN_ORIGINAL = """Floodwaters forced more than four thousand residents of the river town of Carden to leave their homes on Monday, after three days of heavy rain pushed the Ulm river two metres above its usual level.

The regional governor, Maria Lenz, said emergency crews had rescued sixty people from rooftops overnight and that two schools on the eastern bank had been turned into shelters. No deaths have been reported so far, she told reporters at a briefing in the town hall.

Forecasters expect the rain to ease by Wednesday, but warned that the river could keep rising for another day as water drains from the hills to the north. Engineers are checking the old stone bridge, which was closed to traffic on Sunday evening.

Local businesses along the harbour front said the damage would take months to repair. The national government has promised an emergency fund of twelve million euros, and the army sent two helicopters and a field kitchen to support the relief effort.

Residents who stayed behind described streets turned into canals and cars carried away by the current. The governor urged people to avoid the flooded districts and to follow instructions from the rescue teams until the water recedes."""

EN_INDEPENDENT = """Carden, a town on the Ulm, has evacuated about four thousand people as the river burst its banks following a weekend of torrential rain, officials said on Monday.

Governor Maria Lenz told a news conference that rescuers pulled sixty residents from the roofs of their houses during the night. Two schools are now being used as emergency shelters, and so far nobody has died.

Weather services said the storm should weaken by midweek. Even so, the level of the Ulm may go on rising because runoff from the northern hills is still reaching the valley. The historic stone bridge has been shut while engineers assess it.

Shop owners near the harbour fear months of repairs. The government in the capital pledged twelve million euros in emergency aid, while soldiers arrived with helicopters and a mobile kitchen.

People who refused to leave spoke of roads that had become rivers and of vehicles swept downstream. Lenz asked the public to keep away from the affected neighbourhoods."""

AR_ORIGINAL = """أعلنت وزارة الصحة في مدينة الزهراء، صباح اليوم الثلاثاء، افتتاح مستشفى جديد للأطفال بسعة مئتين وخمسين سريرا، في خطوة قالت إنها ستخفف الضغط عن المستشفيات القديمة في العاصمة.

وقال وزير الصحة سامي الخطيب، خلال حفل الافتتاح، إن المستشفى يضم قسما متخصصا لجراحة القلب وآخر لحديثي الولادة، ويعمل فيه أكثر من ستمئة طبيب وممرض تم تدريب معظمهم خلال العامين الماضيين.

وأضاف الوزير أن تكلفة المشروع بلغت تسعين مليون دولار، ساهم فيها صندوق التنمية الإقليمي بنصف المبلغ، فيما تكفلت الحكومة بالباقي. وأشار إلى أن المستشفى سيستقبل المرضى من المحافظات المجاورة أيضا.

من جهتهم، رحب أولياء الأمور بالمشروع، وقالوا إن الانتظار في المستشفيات الحكومية كان يستمر أسابيع قبل الحصول على موعد. وطالب بعضهم بتوفير وسائل نقل مجانية للعائلات القادمة من القرى البعيدة.

ومن المقرر أن تبدأ المرحلة الثانية من المشروع العام المقبل، وتشمل إنشاء مركز أبحاث طبية ومدرسة للتمريض، بحسب ما أعلنت الوزارة في بيان رسمي نشرته على موقعها الإلكتروني."""

AR_INDEPENDENT = """افتتح وزير الصحة سامي الخطيب الثلاثاء مستشفى للأطفال في الزهراء يتسع لمئتين وخمسين سريرا، مؤكدا أنه سيقلل الازدحام في مستشفيات العاصمة.

ويحتوي المستشفى الجديد على وحدة لجراحة القلب ووحدة لرعاية المواليد، ويعمل به نحو ستمئة من الأطباء والممرضين الذين تلقى أغلبهم تدريبا خاصا في السنتين الأخيرتين.

وبلغت كلفة البناء تسعين مليون دولار، تحمل صندوق التنمية الإقليمي نصفها والحكومة النصف الآخر، بحسب الخطيب الذي أوضح أن أبواب المستشفى مفتوحة أمام سكان المحافظات القريبة.

وعبرت عائلات عن ارتياحها للمشروع، مشيرة إلى أن الحصول على موعد في المستشفيات العامة كان يتطلب أسابيع من الانتظار، بينما دعت أخرى إلى تأمين حافلات مجانية لأهالي القرى النائية.

وتعتزم الوزارة إطلاق مرحلة ثانية السنة القادمة تضم مركزا للبحوث الطبية ومعهدا لتعليم التمريض."""

EN_ADDITION = """Late on Monday night the river broke through a temporary dyke near the railway station, and police ordered a second evacuation covering the northern suburbs of Breda Heights and Old Mill, where around two thousand more people live.

Volunteers from neighbouring towns filled sandbags through the night in the car park of the football stadium, and the regional railway company suspended all trains between Carden and the coast until at least Friday.

Insurance companies said they had already received more than nine hundred claims. An association of farmers warned that flooded fields in the valley would delay the spring harvest, and asked the ministry of agriculture for direct compensation.

Environmental groups said the flood showed that the wetlands drained in the nineteen seventies should be restored, so that the valley could absorb heavy rain again instead of channelling it straight into the town."""

AR_ADDITION = """وفي تطور لاحق، أعلنت الوزارة مساء اليوم نفسه توقيع اتفاقية مع جامعة الشمال لتدريب مئة وعشرين طبيبا مقيما في المستشفى الجديد، على أن يبدأ البرنامج في شهر سبتمبر المقبل بتمويل من منحة دولية.

كما كشف مدير المستشفى نبيل حداد أن إدارة المستشفى ستطلق تطبيقا على الهواتف الذكية لحجز المواعيد، يتيح للعائلات متابعة دورها في الانتظار وتلقي نتائج الفحوص المخبرية دون الحاجة إلى الحضور.

وأوضح حداد أن المستشفى سيعمل بالطاقة الشمسية جزئيا، إذ تم تركيب ألفي لوح شمسي على سطح المبنى ومواقف السيارات، وهو ما سيوفر نحو ثلث احتياجات المستشفى من الكهرباء ويخفض فاتورة التشغيل السنوية.

وفي سياق متصل، أعلنت نقابة الممرضين أنها ستنظم حملة توظيف واسعة الشهر المقبل لسد النقص في الكوادر، مطالبة بتحسين الرواتب وظروف العمل في المستشفيات الحكومية كافة."""

QUOTATION = (
    "We will not rest until every family that lost its home has a safe place to sleep, every child is "
    "back at school, every road is open again and every business that was ruined has received the help "
    "it was promised, because a country is judged by how it treats people on the worst day of their lives"
)

UNRELATED_EN = """The city council of Valmora approved a new cycling plan on Thursday that will add forty kilometres of protected bike lanes over the next five years, connecting the university district with the central station and the industrial park.

Council members argued for three hours about the cost, which is estimated at twenty-two million euros, before the plan passed by a narrow majority. Opponents said the money would be better spent on repairing potholes and extending the tram line to the western suburbs.

Cycling associations welcomed the vote but asked for faster work on the most dangerous junctions, where four cyclists were injured last year. The mayor said construction of the first section would begin in the autumn."""

BOILERPLATE_HEADER = "Home | World | Business | Sport | Culture | Weather | Video | Live coverage of the day"
BOILERPLATE_FOOTER = (
    "Copyright 2025 Example Media Group. All rights reserved. Sign up for our morning newsletter to "
    "receive the most important stories of the day in your inbox, and follow us on all social networks."
)


def item(
    article_id: str, text: str, *, source: str = "site-a", hours: float = 0.0, title: str = ""
) -> DedupInput:
    return DedupInput(article_id, source, title, text, T0 + timedelta(hours=hours))


SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"


def load_seeds() -> list[dict[str, str]] | None:
    path = SHARED / "seeds" / "articles.jsonl"
    if not path.exists():
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def simple_clean(text: str) -> str:
    """Keep lines that read like body text: twelve words or more, ending like a sentence."""
    kept = []
    for line in text.split("\n"):
        stripped = line.strip().rstrip("\"'”»)]")
        if len(stripped.split()) >= 12 and stripped[-1:] in ".!?؟":
            kept.append(line.strip())
    return "\n\n".join(kept)


def seed_time(seed: dict[str, str]) -> datetime:
    return datetime.fromisoformat(seed["fetched_at"].replace("Z", "+00:00"))
