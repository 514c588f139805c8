"""Language codes: every source's way of naming a language, reduced to one code.

Records carry languages as ISO 639-2/B codes (``eng``, ``fre``), the form MEDLINE uses;
configured limits may be given as ISO 639-1 (``en``), 639-2 or English names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from realist_review.errors import InputError


def _clean(value: object) -> str:
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip()


#: ISO 639-1 -> (ISO 639-2/B, English name as PubMed's [la] field knows it).
LANGUAGES: dict[str, tuple[str, str]] = {
    "af": ("afr", "afrikaans"), "ar": ("ara", "arabic"), "bg": ("bul", "bulgarian"),
    "ca": ("cat", "catalan"), "cs": ("cze", "czech"), "cy": ("wel", "welsh"),
    "da": ("dan", "danish"), "de": ("ger", "german"), "el": ("gre", "greek"),
    "en": ("eng", "english"), "es": ("spa", "spanish"), "et": ("est", "estonian"),
    "fa": ("per", "persian"), "fi": ("fin", "finnish"), "fr": ("fre", "french"),
    "ga": ("gle", "irish"), "he": ("heb", "hebrew"), "hi": ("hin", "hindi"),
    "hr": ("hrv", "croatian"), "hu": ("hun", "hungarian"), "id": ("ind", "indonesian"),
    "is": ("ice", "icelandic"), "it": ("ita", "italian"), "ja": ("jpn", "japanese"),
    "ko": ("kor", "korean"), "lt": ("lit", "lithuanian"), "lv": ("lav", "latvian"),
    "ms": ("may", "malay"), "nl": ("dut", "dutch"), "no": ("nor", "norwegian"),
    "pl": ("pol", "polish"), "pt": ("por", "portuguese"), "ro": ("rum", "romanian"),
    "ru": ("rus", "russian"), "sk": ("slo", "slovak"), "sl": ("slv", "slovenian"),
    "sr": ("srp", "serbian"), "sv": ("swe", "swedish"), "th": ("tha", "thai"),
    "tr": ("tur", "turkish"), "uk": ("ukr", "ukrainian"), "ur": ("urd", "urdu"),
    "vi": ("vie", "vietnamese"), "zh": ("chi", "chinese"),
}  # fmt: skip
#: ISO 639-2/T codes that differ from the /B codes above (``deu`` for ``ger``, ...).
_TERMINOLOGIC = {
    "ces": "cs", "cym": "cy", "deu": "de", "ell": "el", "fas": "fa", "fra": "fr", "isl": "is",
    "msa": "ms", "nld": "nl", "ron": "ro", "slk": "sk", "zho": "zh",
}  # fmt: skip
#: Names in the language itself, and ISO 639-2 variants, that exports also use.
_OTHER_NAMES = {
    "deutsch": "de", "español": "es", "espanol": "es", "français": "fr", "francais": "fr",
    "nob": "no", "nno": "no",
}  # fmt: skip
_BY_CODE: dict[str, str] = {
    **{two: two for two in LANGUAGES},
    **{three: two for two, (three, _) in LANGUAGES.items()},
    **{name: two for two, (_, name) in LANGUAGES.items()},
    **_TERMINOLOGIC,
    **_OTHER_NAMES,
}


def language_key(value: str) -> str | None:
    """ISO 639-1 code for ``en``, ``eng``, ``English``, ``en-GB``...; None when unknown."""
    text = _clean(value).lower()
    if not text:
        return None
    return _BY_CODE.get(text) or _BY_CODE.get(text.replace("_", "-").split("-")[0])


def limit_language(code: str) -> tuple[str, str, str]:
    """``(iso639_1, iso639_2b, english name)`` for a language limit; InputError when unknown."""
    two = language_key(code)
    if two is None:
        known = ", ".join(sorted(LANGUAGES))
        raise InputError(
            f"limits.languages: {code!r} is not a language code the web clients know "
            f"(known ISO 639-1 codes: {known}; their ISO 639-2 forms work too)"
        )
    three, name = LANGUAGES[two]
    return two, three, name


def normalize_language(values: Iterable[object]) -> str:
    """Languages as ISO 639-2/B codes joined by ``"; "`` (unknown values kept as written)."""
    out: list[str] = []
    for value in values:
        text = _clean(value)
        if not text:
            continue
        two = language_key(text)
        code = LANGUAGES[two][0] if two else text
        if code not in out:
            out.append(code)
    return "; ".join(out)
