"""Word lists the tagger relies on: titles that introduce a person, and function words that end a name.

Generic language data only (no site or story names), kept as text blocks so they read like lists.
Arabic/Persian entries are normalised once when the tagger is built.
"""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _words(block: str) -> tuple[str, ...]:
    return tuple(block.split())


# Titles and roles followed by a person's name in news prose ("الرئيس X", "وزير الخارجية X", "المتحدث
# باسم الكرملين X", "President X"), one per line. Words after the title that start with ال, entity
# mentions and fillers (باسم، لشؤون / of, for, the) are skipped before the name.
TITLE_TRIGGERS_AR = _lines(
    """
الرئيس
رئيس
الرئيسة
رئيسة
نائب الرئيس
رئيس الوزراء
رئيس وزراء
رئيسة الوزراء
الزعيم
زعيم
الزعيمة
وزير
وزيرة
الوزير
الوزيرة
المتحدث باسم
المتحدثة باسم
المتحدث الرسمي باسم
الناطق باسم
الناطقة باسم
الناطق الرسمي باسم
متحدث باسم
رئيس أركان
رئيس هيئة الأركان
قائد
القائد
الأمين العام
أمين عام
الأمينة العامة
السفير
سفير
السفيرة
المستشار
المستشارة
المبعوث
المبعوث الخاص
مبعوث
الجنرال
اللواء
العميد
العقيد
الفريق
المشير
الملك
الأمير
ولي العهد
السيناتور
النائب
عضو الكونغرس
حاكم
محافظ
عمدة
رئيس بلدية
مدير
مديرة
المدير العام
رئيس جهاز
رئيس المخابرات
قائد الجيش
المرشد
المرشد الأعلى
"""
)
TITLE_TRIGGERS_FA = _lines(
    """
رئیس جمهور
رئیس‌جمهور
رئیس جمهوری
نخست وزیر
نخست‌وزیر
وزیر
وزیر امور خارجه
سخنگوی
رهبر
دبیرکل
دبیر کل
فرمانده
سفیر
معاون
رئیس
ژنرال
سرلشکر
"""
)
TITLE_TRIGGERS_EN = _lines(
    """
President
Vice President
Prime Minister
Minister
Foreign Minister
Defence Minister
Defense Minister
spokesman
spokeswoman
spokesperson
Spokesman
Spokeswoman
Secretary-General
Secretary General
Secretary
Chancellor
General
Gen.
King
Prince
Crown Prince
Senator
Sen.
Ambassador
envoy
Envoy
leader
Leader
Chief of Staff
Commander
commander
Governor
Mayor
Director
Chairman
Chairwoman
Speaker
Rep.
Lt.
Colonel
Col.
Admiral
Adm.
Supreme Leader
"""
)

# Function words and reporting verbs: a name never contains one; they end a name run.
STOPWORDS_AR = _words(
    """
في من الى إلى على عن مع أن إن ان أنه إنه
انه بأن بان لأن قال قالت يقول تقول أكد أكدت أعلن أعلنت
أضاف أضافت أوضح أوضحت ذكر ذكرت أشار أشارت صرح صرحت خلال يوم
أمس اليوم بعد قبل عند حيث الذي التي الذين هذا هذه ذلك
تلك هو هي هم كان كانت قد لقد لم لن لا ما
ماذا كما أيضا ثم أو أم بل لكن لكنه حتى إذا اذا
إذ منذ عبر نحو لدى بين ضد حول دون غير كل بعض
أي و ف ب ل يا عام سنة شهر الأحد الاثنين الثلاثاء
الأربعاء الخميس الجمعة السبت صباح مساء وقال وقالت وأكد وأضاف فيما بينما
وفق وفقا نقلا بشأن لدى إثر عقب أمام وراء فوق تحت جدا
الآن أول آخر يؤكد تؤكد يعلن يبحث يلتقي يزور استقبل التقى بحث
زار دعا طالب شدد حذر نفى أشاد وصف رحب كشف أفاد نقل
قوله بقوله نظيره نظيرته السابق الحالي الجديد الأسبق
    أخيرا مؤخرا حاليا سابقا لاحقا فقط رسميا مقابل لديه لديها لديهم له لها لهم إنها أنها بأنها بأنه
    الذي التي اللذين منه منها عليه عليها فيه فيها مساء صباحا ليلا ظهر نهار الأسبوع الشهر العام
    يوم الأحد مما كذلك أمام بدوره بدورها بحسب حسب وكان وكانت وهو وهي وقد ولكن لكنها
    وزارة الحكومة المجلس الرئاسة البرلمان الوزراء العسكري
"""
)
STOPWORDS_FA = _words(
    """
در از به با که را این آن برای تا و یا
هم نیز گفت گفته است بود شد کرد می روز امروز دیروز
پس پیش بر اما ولی خود
"""
)
STOPWORDS_EN = _words(
    """
The A An And Or But In On At Of For To
From With By He She They It This That These Those Mr
Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December Said Says
Told On As After Before While When If Has Had Have Was
Is
    International National Airport University Street Square Avenue Road Bridge Ministry Council Party Army
    Force Forces Agency News Bank Group Company Corporation Hospital School Center Centre Stadium Club
    Department Office Committee Assembly Parliament Court Foundation Institute Association Union League
    Organization Organisation Authority Station Port Palace Mosque Church Museum Hotel Tower Park Crossing
"""
)

# Words skipped between a title and the name.
TITLE_FILLERS_EN = frozenset(
    _words("of for the to at foreign affairs defence defense former acting deputy interior finance state")
)
TITLE_FILLERS_AR = frozenset(_words("باسم لشؤون شؤون لدى"))

# Common given names (Arabic names and foreign first names as Arabic/Persian news spells them). An Arabic-
# script name after a title is accepted when it starts with one of these, or when commas enclose it
# ("رئيس الأركان، فاليري جيراسيموف،"); without either cue a verb phrase could pass for a name.
GIVEN_NAMES = _words(
    """
    محمد أحمد محمود مصطفى علي عمر عثمان حسن حسين خالد سعيد سعد عبد عبدالله عبدالرحمن عبدالعزيز إبراهيم
    يوسف يحيى موسى عيسى سليمان صالح سالم فهد فيصل سلمان ناصر منصور طارق طلال وليد هشام هاني سامي رامي
    جمال كمال عادل نبيل ماجد مجيد رشيد حميد حمد راشد زايد تميم نايف بندر تركي مشعل نواف جاسم عباس جعفر
    قاسم كاظم مهدي هادي رضا حسان غسان بشار حافظ رفيق نجيب أنور جواد مسعود محسن مجتبى إسماعيل قيس نوري
    فؤاد ياسر ياسين إياد زياد رياض مروان عماد نزار وائل بسام أيمن أسامة إسحاق يعقوب داود هيثم شريف
    فاطمة مريم زينب عائشة خديجة ليلى هدى سارة نور رانيا ريم دينا منى سلمى هند لمى
    جو جون جورج جيمس جوزيف جاك جان جيروم دونالد بيل باراك هيلاري كامالا مايك مايكل مارك ماركو أنتوني
    أنطونيو ستيفن ستيف ديفيد دافيد ريتشارد روبرت توني بوريس كير ريشي ليز تيريزا إيمانويل فرانسوا نيكولا
    أولاف أنغيلا أنجيلا فريدريش فرانك ماريو جورجيا ماتيو بيدرو رجب هاكان مولود فلاديمير سيرغي سيرجي
    ديمتري دميتري دميتري فاليري ألكسندر الكسندر أليكسي ميخائيل يوري إيغور أندريه أندريه نيكولاي بافيل
    يفغيني فولوديمير دميترو أندري أولكسندر كيم مون يون لي شي وانغ جين تشو هو شينزو فوميو يوشيهيدي
    ناريندرا عمران شهباز نواز بنيامين يائير يوآف إيهود نفتالي إسحاق بيني أفيغدور آفي
    مسعود ابراهيم إبراهيم حسن محمدباقر محمدجواد عباس علي‌اکبر سید
    ماريا آنا كاترين كريستين أورسولا كايا كاجا جوزيب إيال أفيف جدعون يسرائيل روبرتو جوردان بيت جيه دي
    """
)
