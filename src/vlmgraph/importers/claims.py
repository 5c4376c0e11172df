"""What an entry's free text says that can be checked: sizes, components, architecture, developer,
counts, the paper it links. Only phrasings lists actually use are read; anything else is left
alone rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..records import parameter_count_value

_SIZE = r"\d+(?:\.\d+)?\s?[KMBT]\b"
# "with 7B parameters", "250M & 500M parameters", "1B/4B/12B/27B parameters", "7B-14B parameters",
# "ranging from 1B to 78B parameters", "4B & 8B variants", "12B (Pixtral 12B) and 124B (…) parameters"
_SIZE_SPAN = re.compile(rf"(?P<span>(?:~|about\s+)?{_SIZE}(?:[^.;:]{{0,60}}?{_SIZE})*)[^.;:]{{0,20}}?\s(?:parameters|variants|params)\b",
                        re.I)
_ONE_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s?([KMBT])\b")
_RANGE = re.compile(rf"{_SIZE}\s*(?:-|–|to)\s*{_SIZE}", re.I)
_QUALIFIED = re.compile(r"\b(?:activat\w*|active)\b", re.I)

_VISION = re.compile(
    r"\busing\s+(?P<phrase>.+?)\s+(?:for|as)\s+(?:the\s+)?vision\s+encod\w*", re.I)
_BACKBONE = re.compile(
    r"\b(?:and|using)\s+(?P<phrase>.+?)\s+as\s+(?:the\s+)?pretrained\s+(?:text\s+|language\s+)?backbone", re.I)
_SCRATCH = re.compile(r"\bpretrained from scratch\b|\bfrom scratch\b", re.I)
_DEVELOPER = re.compile(r"\b(?:developed|released|built|created|trained)\s+by\s+(?P<org>[A-Z][^,.;:()]+?)(?=[,.;:)]|\s+(?:and|in|with|for|as)\b|$)"
                        r"|\bmodels?\s+by\s+(?P<org2>[A-Z][\w&.\-]+(?:\s[A-Z][\w&.\-]+)*)")
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)")
_COUNT = re.compile(
    r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[KMB]\b|thousand|million|billion)?\+?\s+"
    r"(?P<noun>(?:[\w/-]+\s+){0,2}?(?:images|image-text pairs|image-caption pairs|pairs|examples|questions|clips|video clips|videos|"
    r"memes|annotations|captions|MCQs|test cases|samples|conversations|radiographs|image-conversation pairs))\b(?!\s+each)", re.I)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5})|\barXiv:?\s(?P<cited>\d{4}\.\d{4,5})")
_UNITS = {"k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "b": 10**9, "billion": 10**9}


@dataclass
class Claims:
    architecture: str | None = None
    sizes: list[str] = field(default_factory=list)
    size_range: bool = False  # sizes are the ends of a range ("7B-14B", "from 1B to 78B")
    vision_encoders: list[str] = field(default_factory=list)
    language_backbones: list[str] = field(default_factory=list)
    no_language_backbone: bool = False
    organizations: list[str] = field(default_factory=list)
    count: int | None = None
    count_text: str | None = None
    arxiv: str | None = None


def parameter_sizes(text: str) -> list[str]:
    """Parameter counts a text claims, normalized ('7B', '0.5B'), in order of appearance."""
    sizes: list[str] = []
    for span in _SIZE_SPAN.finditer(text):
        before = text[max(0, span.start() - 25):span.start()]
        if _QUALIFIED.search(before) or _QUALIFIED.search(span.group("span")):
            continue  # "activates only 2.8B parameters" is not a model size
        for number, unit in _ONE_SIZE.findall(span.group("span")):
            size = f"{Decimal(number).normalize():f}{unit.upper()}"
            if size not in sizes:
                sizes.append(size)
    return sizes


def size_value(size: str) -> int:
    return parameter_count_value(size)


def without_parentheticals(text: str) -> str:
    return _PARENTHETICAL.sub("", text).strip()


def _top_level_parts(phrase: str) -> list[str]:
    """Split at ',', ' and ', '&' outside parentheses: 'ViT (ViT, e.g., ViT-L/14)' stays whole."""
    parts, depth, current = [], 0, ""
    index = 0
    while index < len(phrase):
        char = phrase[index]
        depth += (char == "(") - (char == ")")
        if depth == 0:
            separator = re.match(r",\s*|\s+and\s+|\s*&\s*", phrase[index:])
            if separator:
                parts.append(current)
                current, index = "", index + separator.end()
                continue
        current += char
        index += 1
    return parts + [current]


def split_phrase(phrase: str) -> list[str]:
    """'Flan-T5, Vicuna' -> two names; 'SigLIP/SAMB' -> two; 'ViT-B/L/g' stays one. A name keeps
    its parenthetical (labels have them); the reconciler also tries it without."""
    names: list[str] = []
    for part in _top_level_parts(phrase):
        pieces = part.split("/")
        if len(pieces) > 1 and all(re.fullmatch(r"[A-Za-z][\w-]{2,}", p.strip()) for p in pieces):
            names.extend(p.strip() for p in pieces)
        else:
            names.append(part)
    cleaned = [re.sub(r"^(?:an?|the|its)\s+", "", n.strip(), flags=re.I).strip(" .") for n in names]
    return [n for n in cleaned if n]


def read_claims(description: str, url: str | None, architecture_labels: dict[str, str]) -> Claims:
    claims = Claims()
    claims.sizes = parameter_sizes(description)
    claims.size_range = bool(_RANGE.search(description))
    vision = _VISION.search(description)
    if vision:
        claims.vision_encoders = split_phrase(vision.group("phrase"))
    # The backbone phrase follows the encoder phrase ("using X for vision encoder and Y as …").
    backbone = _BACKBONE.search(description, vision.end() if vision else 0)
    if backbone:
        claims.language_backbones = split_phrase(backbone.group("phrase"))
    elif vision and _SCRATCH.search(description[vision.end():]):
        claims.no_language_backbone = True
    for match in _DEVELOPER.finditer(description):
        org = (match.group("org") or match.group("org2") or "").strip()
        if org and org not in claims.organizations:
            claims.organizations.append(org)
    claims.architecture = _architecture(description, architecture_labels)
    count = _COUNT.search(description)
    if count:
        claims.count, claims.count_text = count_value(count), count.group(0)
    arxiv = _ARXIV.search(url or "") or _ARXIV.search(description)
    claims.arxiv = (arxiv.group("id") or arxiv.group("cited")) if arxiv else None
    return claims


def _architecture(text: str, labels: dict[str, str]) -> str | None:
    """The architecture IRI whose ontology label the text uses ('Decoder-only architecture')."""
    folded = text.casefold()
    best: tuple[int, str] | None = None
    for label, iri in labels.items():
        match = re.search(rf"(?<![\w-]){re.escape(label.casefold())}(?![\w-])", folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), iri)
    return best[1] if best else None


def count_value(match: re.Match) -> int:
    number = Decimal(match.group("number").replace(",", ""))
    unit = (match.group("unit") or "").casefold()
    return int(number * _UNITS.get(unit, 1))


_NUMBER = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[KMB]\b|thousand|million|billion)?", re.I)


def all_counts(text: str) -> list[int]:
    """Every number a size text states, with its unit ('5.85B … pairs, 2.32B English' -> two)."""
    return [count_value(m) for m in _NUMBER.finditer(text) if m.group("number").replace(",", "").replace(".", "").isdigit()]
