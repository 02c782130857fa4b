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
    "vilka vilken hur vad är och har med som för när varför många om av en ett".split())


def detect_language(text: str) -> str:
    """"en" when English function words outnumber Swedish ones, else "sv"."""
    words = re.findall(r"\w+", text.casefold())
    english = sum(w in ENGLISH_MARKERS for w in words)
    swedish = sum(w in SWEDISH_MARKERS for w in words)
    return "en" if english > swedish else "sv"
