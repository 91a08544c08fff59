#!/usr/bin/env python3
"""Check index-schema/glossary.txt (or the files given) for rasd's cross-language glossary.

Usage:
    scripts/check-glossary.py [FILE ...] [--aliases FILE] [--freedict DIR] [--quiet]
    scripts/check-glossary.py --self-test

Reports every problem as `file:line: reason`, then counts concepts per domain (the
`# === name ===` sections) and terms per language, and lists the terms shared by two
concepts. Exit status 1 if any error was found.

Errors: a line that is not `LANG: term; term | LANG: ...` with LANG in ar/fr/en, each at
most once and in the order ar, fr, en; fewer than two languages; an empty term; a term with
`|`, `;` or `:`; an Arabic term with diacritics, tatweel or Latin letters; a French or
English term in Arabic script; an English term with a capital (the glossary keeps proper
nouns out); the same term twice in one concept; the same term (after the normalization
below) in two concepts, unless a comment `# shared: LANG: term` declares it deliberate; a
term that is a member of a group of index-schema/aliases.toml (names and the concepts the
alias table already bridges belong there, not here).

Normalization for duplicates, close to what rasd's analyzers conflate: lower case, French
and English accents removed, Arabic hamza/alef forms unified, ta marbuta -> ha, alef
maqsura -> ya, and a leading article al- removed from every Arabic word.

--freedict DIR: DIR holds the unpacked Debian dict-freedict-* files (freedict-eng-ara.index
and .dict, ...). For each concept, report whether FreeDict confirms the pairing: one of its
English terms has, in eng-ara, one of its Arabic terms (or the reverse in ara-eng), and
likewise for eng-fra / fra-eng. Used only as a check; nothing is copied from FreeDict.
To get DIR on Debian or Ubuntu:
    apt-get download dict-freedict-eng-ara dict-freedict-ara-eng \
        dict-freedict-eng-fra dict-freedict-fra-eng
    for f in dict-freedict-*.deb; do dpkg-deb -x "$f" fd; done
    for f in fd/usr/share/dictd/*.dict.dz; do zcat "$f" > "${f%.dz}"; done
    scripts/check-glossary.py --freedict fd/usr/share/dictd

--self-test: run the checker on small files with known mistakes and fail unless each
mistake is reported on its line.
"""

import argparse
import os
import re
import sys
import tempfile
import tomllib
import unicodedata
from collections import defaultdict

LANGS = ("ar", "fr", "en")
ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN_LETTER = re.compile("[A-Za-zÀ-ÿ]")
SECTION = re.compile(r"^#\s*===\s*(.+?)\s*===\s*$")
SHARED = re.compile(r"^#\s*shared:\s*(ar|fr|en):\s*(.+?)\s*$")
COLUMN = re.compile(r"^(ar|fr|en): (.+)$")


def strip_accents(text):
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_arabic(text):
    text = ARABIC_MARKS.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ؤ", "و").replace("ئ", "ي")
    text = text.replace("ة", "ه").replace("ى", "ي")
    words = []
    for word in text.split():
        for article in ("وال", "بال", "فال", "كال", "لل", "ال"):
            if word.startswith(article) and len(word) - len(article) >= 2:
                word = word[len(article):]
                break
        words.append(word)
    return " ".join(words)


def normalize(lang, term):
    if lang == "ar":
        return normalize_arabic(term)
    return " ".join(strip_accents(term).lower().replace("’", "'").split())


class Concept:
    def __init__(self, path, line, domain, terms):
        self.path = path
        self.line = line
        self.domain = domain
        self.terms = terms  # lang -> [term]


def parse(path, errors):
    concepts = []
    shared = set()
    domain = "(no section)"
    with open(path, encoding="utf-8") as file:
        for number, raw in enumerate(file, 1):
            where = f"{path}:{number}"
            line = raw.rstrip("\n")
            if line.endswith("\r"):
                line = line[:-1]
            if not line.strip():
                continue
            if line.startswith("#"):
                section = SECTION.match(line)
                if section:
                    domain = section.group(1)
                declared = SHARED.match(line)
                if declared:
                    shared.add((declared.group(1), normalize(declared.group(1), declared.group(2))))
                continue
            terms = {}
            for column in line.split(" | "):
                match = COLUMN.match(column.strip())
                if not match:
                    errors.append(f"{where}: column {column.strip()!r} is not 'LANG: term; term' with LANG ar, fr or en")
                    continue
                lang = match.group(1)
                if lang in terms:
                    errors.append(f"{where}: language {lang} appears twice")
                    continue
                terms[lang] = [t.strip() for t in match.group(2).split(";")]
            if not terms:
                continue
            order = [lang for lang in LANGS if lang in terms]
            if list(terms) != order:
                errors.append(f"{where}: columns must be in the order ar | fr | en")
            if len(terms) < 2:
                errors.append(f"{where}: a concept needs terms in at least two languages")
            for lang, words in terms.items():
                seen = set()
                for term in words:
                    problem = term_problem(lang, term)
                    if problem:
                        errors.append(f"{where}: {lang} term {term!r}: {problem}")
                    key = normalize(lang, term)
                    if key in seen:
                        errors.append(f"{where}: {lang} term {term!r} twice in one concept")
                    seen.add(key)
            concepts.append(Concept(path, number, domain, terms))
    return concepts, shared


def term_problem(lang, term):
    if not term:
        return "empty term (stray ';'?)"
    if any(c in term for c in "|;:"):
        return "contains '|', ';' or ':'"
    if term != " ".join(term.split()):
        return "extra spaces"
    if lang == "ar":
        if ARABIC_MARKS.search(term):
            return "diacritics or tatweel"
        if LATIN_LETTER.search(term):
            return "Latin letters in an Arabic term"
        if not ARABIC_LETTER.search(term):
            return "no Arabic letter"
    else:
        if ARABIC_LETTER.search(term):
            return "Arabic script in a French or English term"
        if not LATIN_LETTER.search(term):
            return "no letter"
        if lang == "en" and term != term.lower():
            return "capital letter (English terms are lower case; no proper nouns)"
    return None


def find_duplicates(concepts, shared, errors):
    owners = defaultdict(list)
    for concept in concepts:
        for lang, words in concept.terms.items():
            for term in words:
                places = owners[(lang, normalize(lang, term))]
                if not any(owner is concept for owner, _ in places):
                    places.append((concept, term))
    deliberate = []
    for (lang, key), places in sorted(owners.items()):
        if len(places) < 2:
            continue
        lines = ", ".join(f"{c.line}" for c, _ in places)
        if (lang, key) in shared:
            deliberate.append(f"{lang}: {places[0][1]} (lines {lines})")
        else:
            concept, term = places[1]
            errors.append(
                f"{concept.path}:{concept.line}: {lang} term {term!r} is also in the concept(s) on line(s) "
                f"{', '.join(str(c.line) for c, _ in places if c is not concept)} "
                f"(declare '# shared: {lang}: {term}' if deliberate)"
            )
    return deliberate


CODES = {"en": "eng", "ar": "ara", "fr": "fra"}
def check_aliases(concepts, aliases_path, errors):
    """Report glossary terms that are members of an alias group."""
    with open(aliases_path, "rb") as file:
        groups = tomllib.load(file).get("group", [])
    members = {}
    for group in groups:
        for member in group.get("members", []):
            lang = "ar" if ARABIC_LETTER.search(member) else "en"
            members[(lang == "ar", normalize(lang, member))] = group.get("name", "?")
    for concept in concepts:
        for lang, words in concept.terms.items():
            for term in words:
                name = members.get((lang == "ar", normalize(lang, term)))
                if name:
                    errors.append(f"{concept.path}:{concept.line}: {lang} term {term!r} is in the alias group {name!r} of {aliases_path}")


DICTD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def dictd_number(text):
    value = 0
    for char in text:
        value = value * 64 + DICTD_ALPHABET.index(char)
    return value


def load_dictd(directory, name):
    """Headword (normalized) -> set of normalized translations, from a dictd .index/.dict pair."""
    source_lang, target_lang = {"eng-ara": ("en", "ar"), "ara-eng": ("ar", "en"),
                                "eng-fra": ("en", "fr"), "fra-eng": ("fr", "en")}[name]
    index_path = os.path.join(directory, f"freedict-{name}.index")
    dict_path = os.path.join(directory, f"freedict-{name}.dict")
    data = open(dict_path, "rb").read()
    table = defaultdict(set)
    with open(index_path, encoding="utf-8") as index:
        for line in index:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0].startswith("00-database"):
                continue
            headword, offset, length = parts
            body = data[dictd_number(offset):dictd_number(offset) + dictd_number(length)].decode("utf-8", "replace")
            lines = body.split("\n")[1:]  # the first line repeats the headword and pronunciation
            for text in lines:
                for piece in re.split(r"[,;،؛]", text):
                    piece = re.sub(r"\(.*?\)|\[.*?\]|^\d+\.\s*", "", piece).strip(" .")
                    if piece:
                        table[normalize(source_lang, headword)].add(normalize(target_lang, piece))
    return table, source_lang, target_lang


def freedict_report(concepts, directory):
    tables = {name: load_dictd(directory, name) for name in ("eng-ara", "ara-eng", "eng-fra", "fra-eng")}

    def confirmed(concept, pair):
        a, b = pair
        if a not in concept.terms or b not in concept.terms:
            return None
        for name in (f"{CODES[a]}-{CODES[b]}", f"{CODES[b]}-{CODES[a]}"):
            table, source, target = tables[name]
            sources = {normalize(source, t) for t in concept.terms[source]}
            targets = {normalize(target, t) for t in concept.terms[target]}
            for term in sources:
                if table.get(term, set()) & targets:
                    return True
        return False

    def word_confirmed(concept, pair):
        """Looser: one word of a term translates, in FreeDict, to a word of a term of the other language."""
        a, b = pair
        if a not in concept.terms or b not in concept.terms:
            return None
        for name in (f"{CODES[a]}-{CODES[b]}", f"{CODES[b]}-{CODES[a]}"):
            table, source, target = tables[name]
            source_words = {w for t in concept.terms[source] for w in normalize(source, t).split() if len(w) > 2}
            target_words = {w for t in concept.terms[target] for w in normalize(target, t).split() if len(w) > 2}
            for word in source_words:
                translations = {w for tr in table.get(word, ()) for w in tr.split()}
                if translations & target_words:
                    return True
        return False

    print("FreeDict confirmation (a concept counts when one term pair is in either direction;")
    print("word level: when one word of a term translates to a word of the other language's terms):")
    for pair in (("en", "ar"), ("en", "fr")):
        results = [confirmed(c, pair) for c in concepts]
        checked = [r for r in results if r is not None]
        words = [word_confirmed(c, pair) for c in concepts]
        print(f"  {pair[0]}-{pair[1]}: {sum(checked)} of {len(checked)} concepts confirmed as terms, "
              f"{sum(w for w in words if w is not None)} at word level")


SELF_TEST_GLOSSARY = """# === test ===
ar: السياج الحدودي | fr: clôture frontalière | en: border fence
ar: مذكرة توقيف | en: arrest warrant | fr: mandat d'arrêt
ar: التنصت
ar: الشُرطة | fr: police
ar: الحـدود | en: border area
ar: شرطة; | fr: police municipale
xx: term | en: term
ar: سياج حدودي | en: fence
en: Police Station | fr: commissariat
fr: colère; colere | en: anger
ar: داعش | en: islamic state group
"""

# Line number -> a fragment the error for that line must contain.
SELF_TEST_EXPECTED = {
    3: "order ar | fr | en",
    4: "at least two languages",
    5: "diacritics or tatweel",
    6: "diacritics or tatweel",
    7: "empty term",
    8: "is not 'LANG: term",
    9: "is also in the concept",
    10: "capital letter",
    11: "twice in one concept",
    12: "alias group",
}


def self_test():
    """Check that every planted mistake is reported on its own line, and nothing else."""
    with tempfile.TemporaryDirectory() as directory:
        glossary = os.path.join(directory, "glossary.txt")
        aliases = os.path.join(directory, "aliases.toml")
        with open(glossary, "w", encoding="utf-8") as file:
            file.write(SELF_TEST_GLOSSARY)
        with open(aliases, "w", encoding="utf-8") as file:
            file.write('[[group]]\nname = "Islamic State"\nmembers = ["داعش", "ISIS"]\n')
        errors = []
        concepts, shared = parse(glossary, errors)
        find_duplicates(concepts, shared, errors)
        check_aliases(concepts, aliases, errors)
    failures = []
    for line, fragment in SELF_TEST_EXPECTED.items():
        if not any(e.startswith(f"{glossary}:{line}: ") and fragment in e for e in errors):
            failures.append(f"line {line}: no error containing {fragment!r}")
    for error in errors:
        line = int(error[len(glossary) + 1:].split(":", 1)[0])
        if line not in SELF_TEST_EXPECTED:
            failures.append(f"unexpected error: {error}")
    for failure in failures:
        print(f"self-test: {failure}")
    print("self-test: ok" if not failures else f"self-test: {len(failures)} failures")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", default=[os.path.join(os.path.dirname(__file__), "..", "index-schema", "glossary.txt")])
    parser.add_argument("--aliases", metavar="FILE", default=os.path.join(os.path.dirname(__file__), "..", "index-schema", "aliases.toml"),
                        help="alias table whose members must not be glossary terms")
    parser.add_argument("--freedict", metavar="DIR")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    parser.add_argument("--self-test", action="store_true", help="check the checker on planted mistakes")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    errors = []
    concepts, shared = [], set()
    for path in args.files:
        found, declared = parse(os.path.normpath(path), errors)
        concepts += found
        shared |= declared
    deliberate = find_duplicates(concepts, shared, errors)
    check_aliases(concepts, os.path.normpath(args.aliases), errors)
    for error in errors:
        print(error)
    if not args.quiet:
        per_domain = defaultdict(int)
        for concept in concepts:
            per_domain[concept.domain] += 1
        print(f"{len(concepts)} concepts")
        for domain, count in per_domain.items():
            print(f"  {domain:<32} {count:>5}")
        for lang in LANGS:
            with_lang = sum(1 for c in concepts if lang in c.terms)
            terms = sum(len(c.terms.get(lang, [])) for c in concepts)
            print(f"  {lang}: {terms} terms in {with_lang} concepts")
        if deliberate:
            print(f"{len(deliberate)} deliberate shared terms:")
            for line in deliberate:
                print(f"  {line}")
        if args.freedict:
            freedict_report(concepts, args.freedict)
    print(f"{len(errors)} errors" if errors else "no errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
