"""Which language a query is written in: Swedish (the corpus) or English.

Only the two languages users type here are told apart, by counting function
words; a query with no function words counts as Swedish. Used by fusion (the
Swedish keyword index matches English words only by accident) and by question
analysis (English questions are answered from the Swedish text).
"""

from __future__ import annotations

import re

ENGLISH_MARKERS = frozenset(
    "the which what who how when why does is are according should do of".split())
SWEDISH_MARKERS = frozenset(
    "vilka vilken hur vad är och har med som för när varför många om av en ett "
    "på i att det den de till inte finns".split())


def detect_language(text: str) -> str:
    """"en" when English function words outnumber Swedish ones, and there are
    two of them or a query of three words or more opens with one ("Which
    regions …"). Words in capitals are names, not function words (DO, WHO, IS)."""
    words = [w.casefold() for w in re.findall(r"\w+", text) if not (len(w) > 1 and w.isupper())]
    english = sum(w in ENGLISH_MARKERS for w in words)
    swedish = sum(w in SWEDISH_MARKERS for w in words)
    opens_english = len(words) >= 3 and words[0] in ENGLISH_MARKERS
    return "en" if english > swedish and (english >= 2 or opens_english) else "sv"
