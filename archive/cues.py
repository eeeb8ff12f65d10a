"""Word classes that attribution reasons with: speech cues, naming frames, titles, role nouns.

These are general English vocabulary (reporting verbs, honorifics, person
nouns), not phrases from any article.
"""

from __future__ import annotations


def _words(block: str) -> list[str]:
    """Word lists are kept as wrapped text blocks so they read like vocabulary."""
    return block.split()


# Verbs that report speech, writing or a stated belief.
CUE_VERBS: frozenset[str] = frozenset(
    _words(
        """
        say tell add explain note write tweet post state claim argue insist ask announce declare
        warn promise vow pledge continue respond reply acknowledge admit suggest predict recall
        remark report conclude contend assert complain joke quip urge testify agree believe
        think maintain observe confirm deny emphasize emphasise stress boast concede counter
        caution describe call accuse blame criticize criticise praise charge demand proclaim recount
        reiterate reveal signal shout scream yell whisper mutter exclaim lament muse opine posit
        propose question wonder hope fear worry estimate calculate indicate allege affirm assure
        brag cheer chant sing tout threaten blast slam attack fire retort rebut mock snap
        acknowledged disclose divulge relate comment inform advise remind mention point answer
        cite quote reason figure feel know understand interject elaborate surmise forecast
        summarize summarise characterize characterise label condemn denounce decry deride dismiss
        hail liken
        """
    )
)

# Cues that also name things ("a group called X"): speech only with a speaking subject.
AMBIGUOUS_CUES: frozenset[str] = frozenset(
    {
        "call",
        "describe",
        "label",
        "characterize",
        "characterise",
        "know",
        "feel",
        "figure",
        "cite",
        "quote",
    }
)

# Lemmas that, just before a quotation, make it a name rather than speech.
NAMING_LEMMAS: frozenset[str] = frozenset(
    _words(
        """
        title entitle dub nickname name label brand term headline caption read christen hashtag
        slogan motto banner sign placard poster song album book film movie documentary show
        series program programme campaign operation phrase word tagline
        """
    )
)
# Nouns whose preposition takes a quoted label, not someone's words: `plans for
# "control orders"`, `the introduction of "smart acquisition"`.
TERM_HEADS: frozenset[str] = frozenset(
    _words(
        """
        plan proposal policy scheme system regime rule law bill measure programme program
        idea concept notion introduction use creation principle strategy doctrine reform
        """
    )
)
# Things that display words without speaking them: "a banner that says ...".
SIGN_NOUNS: frozenset[str] = frozenset(
    _words(
        """
        banner sign placard poster billboard sticker shirt t-shirt hat cap button flag caption
        graffiti tattoo mural slogan motto tagline inscription plaque label
        """
    )
)
NAMING_PREFIXES: tuple[str, ...] = (
    "so-called",
    "so called",
    "known as",
    "billed as",
    "a.k.a.",
    "aka",
)

# Honorifics and titles that precede names; value: gender when the title implies one.
HONORIFICS: dict[str, str | None] = {
    "mr": "m",
    "mr.": "m",
    "mister": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "ms": "f",
    "ms.": "f",
    "mrs": "f",
    "mrs.": "f",
    "miss": "f",
    "madam": "f",
    "dame": "f",
    "lady": "f",
    "queen": "f",
    "princess": "f",
    "dr": None,
    "dr.": None,
    "prof": None,
    "prof.": None,
    "professor": None,
    "president": None,
    "pres.": None,
    "vice": None,
    "sen": None,
    "sen.": None,
    "senator": None,
    "rep": None,
    "rep.": None,
    "representative": None,
    "congressman": "m",
    "congresswoman": "f",
    "gov": None,
    "gov.": None,
    "governor": None,
    "mayor": None,
    "secretary": None,
    "sec.": None,
    "gen": None,
    "gen.": None,
    "general": None,
    "gov.-elect": None,
    "judge": None,
    "justice": None,
    "chancellor": None,
    "minister": None,
    "prime": None,
    "premier": None,
    "ambassador": None,
    "speaker": None,
    "chairman": "m",
    "chairwoman": "f",
    "chair": None,
    "lt": None,
    "lt.": None,
    "col": None,
    "col.": None,
    "capt": None,
    "capt.": None,
    "sgt": None,
    "sgt.": None,
    "adm": None,
    "adm.": None,
    "rev": None,
    "rev.": None,
    "father": "m",
    "sister": "f",
    "pope": "m",
    "rabbi": None,
    "imam": None,
    "del": None,
    "del.": None,
    "atty": None,
    "attorney": None,
    "commissioner": None,
    "director": None,
    "sheriff": None,
    "chief": None,
    "candidate": None,
    "nominee": None,
    "leader": None,
    "spokesman": "m",
    "spokeswoman": "f",
    "spokesperson": None,
    "first": None,
    "former": None,
    "acting": None,
    "deputy": None,
    "state": None,
}

# Abbreviated titles and the role noun they stand for ("Sen. X" is "the senator").
TITLE_ROLES: dict[str, str] = {
    "sen": "senator",
    "sen.": "senator",
    "rep": "representative",
    "rep.": "representative",
    "gov": "governor",
    "gov.": "governor",
    "pres": "president",
    "pres.": "president",
    "gen": "general",
    "gen.": "general",
    "sec": "secretary",
    "sec.": "secretary",
    "dr": "doctor",
    "dr.": "doctor",
    "prof": "professor",
    "prof.": "professor",
    "del": "delegate",
    "del.": "delegate",
    "atty": "attorney",
    "atty.": "attorney",
    "rev": "reverend",
    "rev.": "reverend",
}

# Synonyms so "the congressman" finds "Rep. X".
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    "congressman": frozenset({"representative", "congressman", "lawmaker"}),
    "congresswoman": frozenset({"representative", "congresswoman", "lawmaker"}),
    "lawmaker": frozenset(
        {"senator", "representative", "congressman", "congresswoman", "lawmaker", "delegate"}
    ),
    "candidate": frozenset({"candidate", "nominee"}),
    "nominee": frozenset({"candidate", "nominee"}),
    "spokesperson": frozenset({"spokesman", "spokeswoman", "spokesperson"}),
    "spokesman": frozenset({"spokesman", "spokesperson"}),
    "spokeswoman": frozenset({"spokeswoman", "spokesperson"}),
}

# Head nouns that denote a single person: "the senator said" names someone earlier.
PERSON_ROLE_NOUNS: frozenset[str] = frozenset(
    _words(
        """
        president senator representative congressman congresswoman lawmaker governor mayor
        secretary minister spokesman spokeswoman spokesperson official candidate nominee leader
        chairman chairwoman chair director chief executive ceo founder author writer reporter
        journalist columnist host anchor analyst strategist adviser advisor aide pollster
        professor researcher scientist economist expert lawyer attorney judge justice sheriff
        officer commander general ambassador diplomat commissioner businessman businesswoman
        billionaire mogul star actor actress singer rapper activist organizer organiser
        politician democrat republican conservative liberal speaker manager coach player woman
        man mother father wife husband daughter son sister brother widow veteran teacher doctor
        nurse pastor priest bishop pope preacher rabbi imam king queen prince princess premier
        chancellor counsel prosecutor defendant plaintiff witness victim resident owner worker
        farmer fisherman rancher employee student migrant immigrant refugee delegate vice-
        president vp contender challenger incumbent frontrunner front-runner rival opponent
        boss skipper captain striker midfielder defender goalkeeper referee umpire
        backbencher councillor councilor mp mep msp peer physio physiotherapist producer dj
        runner athlete sprinter swimmer cyclist champion medallist medalist cardinal archbishop
        chef designer artist musician drummer guitarist bassist vocalist frontman novelist poet
        playwright filmmaker film-maker comedian presenter broadcaster boxer golfer jockey
        batsman bowler winger
        """
    )
)

MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "them", "their", "we", "us", "our"})
SPEAKER_PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "i", "we", "it"})

# Entity labels that speak as organisations.
ORG_LABELS: frozenset[str] = frozenset({"ORG", "NORP", "GPE", "FAC"})
