"""One test per kind of boilerplate, on text written for the test (not the seeds)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.clean import Cleaner, PageInput
from agents.errors import BadArticle

FETCHED = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)  # a Monday
TITLE = "البرلمان يناقش قانون الموازنة الجديد وسط خلافات بين الكتل"
P1 = "ناقش البرلمان في جلسته المسائية مشروع قانون الموازنة العامة للعام المقبل، وسط خلافات حادة بين الكتل النيابية حول حجم الإنفاق."  # noqa: E501
P2 = "وقال رئيس اللجنة المالية إن المشروع يتضمن زيادة في مخصصات التعليم والصحة، مع خفض النفقات التشغيلية للوزارات بنسبة عشرة في المئة."  # noqa: E501
P3 = "ومن المنتظر أن يصوت المجلس على القانون بصيغته النهائية خلال الأسبوع المقبل، بعد إدخال التعديلات التي أوصت بها اللجان المختصة."  # noqa: E501


def clean(*lines: str, **page: object) -> tuple[str, str, object]:
    result = Cleaner({}).clean(
        PageInput(source="test-site", text="\n".join(lines), fetched_at=FETCHED, **page)
    )
    return result.title, result.text, result


def test_masthead_and_repeated_site_name_before_the_title_are_dropped() -> None:
    title, text, _ = clean(
        "صوت المدينة", "صوت المدينة", "رئيس مجلس الإدارة سعيد كامل رئيس التحرير منى فؤاد", TITLE, P1, P2
    )
    assert title == TITLE
    assert "صوت المدينة" not in text and "رئيس التحرير" not in text
    assert text.startswith(P1)


def test_navigation_line_of_concatenated_headlines_is_dropped() -> None:
    nav = " ".join(
        [
            "ارتفاع أسعار الوقود في الأسواق المحلية",
            "المنتخب يتأهل إلى نهائي البطولة العربية",
            "تحذير من موجة حر شديدة تضرب البلاد",
            "افتتاح معرض الكتاب بمشاركة واسعة من الناشرين",
            "الحكومة تعلن خطة جديدة لدعم المزارعين",
        ]
    )
    title, text, _ = clean(nav, TITLE, P1, P2)
    assert title == TITLE
    assert "المنتخب يتأهل" not in text


def test_section_crumbs_are_dropped() -> None:
    title, text, _ = clean("أخبارسياسة", "الرئيسية > أخبار > سياسة", TITLE, P1, P2)
    assert title == TITLE
    assert "أخبارسياسة" not in text and "الرئيسية" not in text


def test_lines_in_another_language_are_dropped_even_inside_the_body() -> None:
    persian = "برای دریافت آخرین اخبار در کانال تلگرام ما عضو شوید"
    _, text, result = clean(
        "به یاد همه شهیدان این سرزمین", TITLE, P1, persian, P2, "Follow us on Google News", P3
    )
    assert result.language == "ar"
    assert "تلگرام" not in text and "سرزمین" not in text and "Google" not in text
    assert P3 in text


def test_title_repeated_twice_is_kept_once_as_the_title() -> None:
    title, text, _ = clean(TITLE, TITLE, P1, P2)
    assert title == TITLE
    assert TITLE not in text


def test_image_caption_repeated_twice_is_dropped() -> None:
    caption = "جانب من جلسة البرلمان"
    _, text, _ = clean(TITLE, caption, caption, P1, P2)
    assert caption not in text


@pytest.mark.parametrize("label", ["موضوعات متعلقة", "مقالات ذات صلة", "Related articles", "مطالب مرتبط"])
def test_related_block_ends_the_article(label: str) -> None:
    _, text, _ = clean(TITLE, P1, P2, label, "الحكومة تعلن خطة جديدة لدعم المزارعين", "ارتفاع أسعار الوقود")
    assert label not in text and "المزارعين" not in text
    assert text.endswith(P2)


def test_back_to_top_button_is_dropped() -> None:
    _, text, _ = clean(TITLE, P1, P2, "زر الذهاب إلى الأعلى")
    assert "الأعلى" not in text


def test_recommended_stories_list_is_dropped_up_to_its_end_marker_and_body_continues() -> None:
    _, text, _ = clean(
        TITLE,
        P1,
        "قصص موصى بها",
        "قائمة من 3 عناصر",
        "• قائمة 1 من 3ارتفاع أسعار الذهب",
        "• قائمة 2 من 3 هل تنجح خطة الإنقاذ؟",
        "• قائمة 3 من 3تعادل مثير في الدوري",
        "نهاية القائمة",
        P2,
        P3,
    )
    assert "قائمة" not in text and "الذهب" not in text and "موصى" not in text
    assert P2 in text and P3 in text


def test_tag_line_is_extracted_and_ends_the_article() -> None:
    _, text, result = clean(TITLE, P1, P2, "كلمات دلالية: البرلمان، الموازنة، الضرائب")
    assert "كلمات دلالية" not in text
    assert result.tags == ["البرلمان", "الموازنة", "الضرائب"]


def test_read_also_label_and_the_other_article_after_the_end_of_this_one_are_dropped() -> None:
    other = "أعلنت وزارة الصحة تسجيل انخفاض في عدد الإصابات بالإنفلونزا الموسمية خلال الأسبوع الماضي في معظم المحافظات."  # noqa: E501
    _, text, result = clean(
        TITLE, P1, P2, "المصدر: وكالات", "إقرأ أيضاً:", "انخفاض الإصابات بالإنفلونزا", other
    )
    assert "إقرأ" not in text and "الإنفلونزا" not in text and "المصدر" not in text
    assert result.attribution == "وكالات"


def test_inline_read_also_teaser_inside_the_body_is_dropped_and_body_continues() -> None:
    _, text, _ = clean(TITLE, P1, "اقرأ أيضا: الحكومة تعلن خطة جديدة لدعم المزارعين", P2, P3)
    assert "المزارعين" not in text
    assert P2 in text and P3 in text


def test_read_also_label_on_its_own_drops_the_teaser_headline_after_it() -> None:
    _, text, _ = clean(TITLE, P1, "اقرأ أيضا", "الحكومة تعلن خطة جديدة لدعم المزارعين", P2, P3)
    assert "المزارعين" not in text
    assert P2 in text


@pytest.mark.parametrize("counter", ["3 مشاهدات", "1,250 مشاهدة", "٥ دقائق قراءة", "12 views", "۱۲ بازدید"])
def test_view_counters_are_dropped(counter: str) -> None:
    _, text, _ = clean(TITLE, counter, P1, P2)
    assert counter not in text


def test_figure_marker_and_credited_caption_are_dropped() -> None:
    _, text, _ = clean(
        TITLE,
        P1,
        "<الشكل>جانب من الجلسة",
        "نواب خلال التصويت على القانون في القاعة الرئيسية [ملف: رويترز]",
        P2,
    )
    assert "الشكل" not in text and "رويترز" not in text


def test_byline_and_dates_are_extracted_not_kept() -> None:
    title, text, result = clean(TITLE, "بقلم: ليلى حسن", "تاريخ النشر: 2nd, June 2025 GMT", P1, P2)
    assert title == TITLE
    assert "ليلى" not in text and "تاريخ النشر" not in text
    assert result.byline == "ليلى حسن"
    assert result.published_at == datetime(2025, 6, 2, tzinfo=UTC)
    assert result.published_precision == "date"


def test_relative_weekday_in_the_lead_resolves_against_fetched_at() -> None:
    lead = "أعلنت الحكومة اليوم الأحد عن حزمة إجراءات جديدة لدعم الأسر محدودة الدخل في جميع المحافظات."
    _, _, result = clean(TITLE, lead, P2)
    assert result.published_at == datetime(2025, 6, 1, tzinfo=UTC)  # the Sunday before Monday 2 June


def test_copyright_and_share_rows_after_the_body_are_dropped() -> None:
    _, text, _ = clean(TITLE, P1, P2, "شارك", "فيسبوك", "© 2025 صوت المدينة. جميع الحقوق محفوظة")
    assert text.endswith(P2)


def test_run_of_bare_headlines_inside_the_body_is_a_link_list() -> None:
    _, text, _ = clean(
        TITLE,
        P1,
        "ارتفاع أسعار الذهب في السوق المحلية",
        "المنتخب يتأهل إلى النهائي",
        "افتتاح معرض الكتاب الدولي",
        P2,
    )
    assert "الذهب" not in text and "معرض" not in text
    assert P2 in text


def test_subheadings_between_paragraphs_are_kept() -> None:
    _, text, _ = clean(TITLE, P1, "خلافات حول الإنفاق", P2, "موعد التصويت", P3)
    assert "خلافات حول الإنفاق" in text and "موعد التصويت" in text


def test_duplicated_paragraph_is_kept_once() -> None:
    _, text, _ = clean(TITLE, P1, P2, P1, P3)
    assert text.count(P1) == 1


def test_nothing_left_raises_bad_article() -> None:
    with pytest.raises(BadArticle) as caught:
        clean("زر الذهاب إلى الأعلى", "شارك", "موضوعات متعلقة")
    assert caught.value.reason == "empty_after_cleaning"


def test_no_text_and_no_html_is_no_body() -> None:
    with pytest.raises(BadArticle) as caught:
        Cleaner({}).clean(PageInput(source="s", text="  \n ", html=None))
    assert caught.value.reason == "no_body"


def test_crawler_title_hint_wins_and_display_text_is_unchanged() -> None:
    voweled = "وَقَالَ رَئِيسُ اللَّجْنَةِ إِنَّ الْمَشْرُوعَ يَتَضَمَّنُ زِيَادَةً فِي مُخَصَّصَاتِ التَّعْلِيمِ وَالصِّحَّةِ هذا العام."
    title, text, _ = clean(
        "عنوان جانبي في أعلى الصفحة",
        TITLE,
        P1,
        voweled,
        title="البرلمان يناقش قانون الموازنة الجديد وسط خلافات بين الكتل",
    )
    assert title == TITLE
    assert voweled in text


def test_english_page_chrome_is_dropped() -> None:
    body = [
        "The central bank kept interest rates unchanged on Tuesday, citing persistent inflation in services and a tight labour market.",  # noqa: E501
        "Policymakers said they would watch wage growth closely before considering any cut later in the year.",  # noqa: E501
    ]
    result = Cleaner({}).clean(
        PageInput(
            source="en-site",
            text="\n".join(
                [
                    "Skip to content",
                    "Menu",
                    "Central bank holds rates steady as inflation lingers",
                    "By Sam Lee",
                    *body,
                    "Share this article",
                    "Related stories",
                    "Markets slide on trade fears",
                ]
            ),
            fetched_at=FETCHED,
        )
    )
    assert result.language == "en"
    assert result.title == "Central bank holds rates steady as inflation lingers"
    assert result.byline == "Sam Lee"
    assert result.text == "\n\n".join(body)


def test_crawler_title_absent_from_the_page_is_used_without_the_site_name() -> None:
    title, text, _ = clean("صوت المدينة", P1, P2, title="البرلمان يقر الموازنة | صوت المدينة")
    assert title == "البرلمان يقر الموازنة"
    assert text.startswith(P1)


def test_crawler_published_at_is_trusted_unless_after_fetching() -> None:
    stated = datetime(2025, 6, 1, 22, 30, tzinfo=UTC)
    *_, result = clean(TITLE, P1, P2, published_at=stated)
    assert (result.published_at, result.published_precision) == (stated, "datetime")
    *_, future = clean(
        TITLE, "تاريخ النشر: 1 يونيو 2025", P1, P2, published_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert future.published_at == datetime(2025, 6, 1, tzinfo=UTC)


def test_sentences_that_merely_start_like_a_label_stay_in_the_body() -> None:
    history = (
        "تاريخ 1948 ما زال حاضرا في ذاكرة سكان القرية، كما يقول كبار السن الذين عاشوا تلك الأيام الصعبة."
    )
    updated = (
        "Updated figures for 2024 show that exports grew by 4%, the ministry said in a statement on Monday."
    )
    _, text, _ = clean(TITLE, P1, history, P2)
    assert history in text
    english = Cleaner({}).clean(
        PageInput(
            source="en", text="Exports rebound strongly\n" + updated + "\n" + updated.replace("4%", "5%")
        )
    )
    assert updated in english.text


def test_site_self_description_above_the_title_is_not_the_lead() -> None:
    about = "صوت المدينة موقع إخباري مستقل يقدم تغطية شاملة لأخبار المنطقة والعالم على مدار الساعة."
    title, text, result = clean("صوت المدينة", about, "سياسة", TITLE, "الإثنين 2 يونيو 2025", P1, P2)
    assert title == TITLE
    assert about not in text
    assert text.startswith(P1)
    assert result.published_at == datetime(2025, 6, 2, tzinfo=UTC)


def test_hard_wrapped_paragraphs_are_joined_back() -> None:
    wrapped = [
        "ناقش البرلمان في جلسته المسائية مشروع قانون الموازنة العامة",
        "للعام المقبل، وسط خلافات حادة بين الكتل النيابية حول حجم الإنفاق.",
    ]
    second = [
        "وقال رئيس اللجنة المالية إن المشروع يتضمن زيادة في مخصصات",
        "التعليم والصحة، مع خفض النفقات التشغيلية للوزارات بنسبة عشرة في المئة.",
    ]
    title, text, _ = clean(TITLE, "", *wrapped, "", *second, "", "قائمة من 3 عناصر", "نهاية القائمة")
    assert title == TITLE
    assert text == " ".join(wrapped) + "\n\n" + " ".join(second)


@pytest.mark.parametrize(
    "navigation",
    [
        ["الرئيسية | محليات | سياسة | اقتصاد | رياضة | ثقافة | منوعات | فيديو"],  # a menu line
        ["اشترك الآن", "تسجيل الدخول"],  # "subscribe", "log in"
    ],
)
def test_the_site_slogan_above_its_navigation_is_not_the_title(navigation: list[str]) -> None:
    title, text, _ = clean("صوت المدينة", "صحيفة يومية مستقلة تصدر منذ عام 1998", *navigation, TITLE, P1, P2)
    assert title == TITLE
    assert text.startswith(P1)


def test_a_title_followed_by_its_byline_date_and_share_buttons_stays_the_title() -> None:
    lead = "قالت مصادر برلمانية إن التصويت على قانون الموازنة قد يتأجل إلى الأسبوع المقبل بسبب الخلافات"
    title, _, _ = clean(
        "صوت المدينة", TITLE, "بقلم: منى فؤاد", "آخر تحديث: 2 يونيو 2025", "شارك", "فيسبوك", lead, P1, P2
    )
    assert title == TITLE


def test_a_date_run_together_with_the_byline_is_the_publication_date() -> None:
    # Inline HTML spans (writer, date, reading time) become one line.
    _, text, result = clean(TITLE, "كتبت: منى فؤاد 1 يونيو 2025 وقت القراءة: 3 دقائق", P1, P2, P3)
    assert result.published_at is not None and result.published_at.date().isoformat() == "2025-06-01"
    assert text.startswith(P1)
