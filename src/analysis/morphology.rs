//! Related forms of an Arabic word that light stemming does not reach, for query-time
//! expansion (see `search::forms`): a query word also finds these forms, at a lower weight,
//! where they occur in the index.
//!
//! | reason | rule | example |
//! | --- | --- | --- |
//! | [`Reason::Dual`] | `ـان ـين ـا`, feminine `ـتان ـتين ـتا ـتي` (ة becomes ت) | حافلة ↔ حافلتان، الحافلتين، حافلتا |
//! | [`Reason::Plural`] | sound plurals `ـون ـين ـات` | مفتش ↔ مفتشون؛ شاحنة ↔ شاحنات |
//! | [`Reason::ConstructPlural`] | a word without the article read as a construct plural, `ـو` | مفتشو → مفتش |
//! | [`Reason::ConstructCase`] | that plural's other case, `ـي` | مفتشو → مفتشي |
//! | [`Reason::Nisba`] | `ـي ـية ـيون ـيين ـيات ـيتان ـيتين` | حدودي ↔ الحدوديتين |
//! | [`Reason::Adjective`] | a noun and its nisba adjective, `ـي` | أمن ↔ أمني؛ دولة ↔ دولي |
//! | [`Reason::PluralTable`] | `index-schema/plurals-ar.txt`, both ways | معبر ↔ معابر، قائد ↔ قادة |
//! | [`Reason::Conjugation`] | `index-schema/verbs-ar.txt`: a verb's other persons and tenses (see [`super::verbs`]) | استهدفت ↔ استهدف، يستهدف |
//! | [`Reason::VerbalNoun`] | `index-schema/verbs-ar.txt`: a verb and its measure's verbal noun | استهدفت ↔ استهداف؛ فكك ↔ تفكيك |
//! | [`Reason::Root`] | `index-schema/patterns-ar.txt`: the root of a pattern, itself and in every pattern not marked `<` of its kind (sound, doubled, hollow, defective) | مختطف ↔ اختطاف، خاطف، خطف؛ مبتز ↔ ابتزاز؛ اغتيال ↔ مغتال |
//!
//! Suffix rules never touch the words of `index-schema/not-inflected-ar.txt` (لبنان, قانون,
//! فلسطين…), whose endings are part of the word. Forms are generated, not checked: the
//! search keeps those the index holds. Words arrive normalized (ة as ه, no hamza on alef).

use std::sync::OnceLock;

use serde::Serialize;

use super::normalizer::{normalize_word, normalize_word_into};
use super::verbs::{VerbForm, Verbs};

const BUILTIN_PLURALS: &str = include_str!("../../index-schema/plurals-ar.txt");
const BUILTIN_NOT_INFLECTED: &str = include_str!("../../index-schema/not-inflected-ar.txt");
const BUILTIN_PATTERNS: &str = include_str!("../../index-schema/patterns-ar.txt");
const BUILTIN_VERBS: &str = include_str!("../../index-schema/verbs-ar.txt");

/// Why a form is related to a query word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A dual of the word, or the singular of a dual.
    Dual,
    /// A sound plural of the word, or its singular.
    Plural,
    /// The singular of a word read as a masculine plural in the construct state (مفتشو →
    /// مفتش): a word without the article ending in و.
    ConstructPlural,
    /// From a word read as a construct plural in `ـو`, its base's `ـي`: the plural's other
    /// case (مفتشو ↔ مفتشي), or, when the word is a name or a loanword, a nisba adjective or
    /// another name (فاسو ↔ فاسي): weighed as a noun's adjective.
    ConstructCase,
    /// Another gender or number of a nisba adjective.
    Nisba,
    /// The nisba adjective of a noun (امن → امني), or the noun of an adjective.
    Adjective,
    /// A broken plural from the table, or its singular.
    PluralTable,
    /// The same verb in another person or tense.
    Conjugation,
    /// A verb's verbal noun, or a verbal noun's verb.
    VerbalNoun,
    /// A word of the same root.
    Root,
}

impl Reason {
    /// How `rasd analyze` names it.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Dual => "dual",
            Reason::Plural => "plural",
            Reason::ConstructPlural => "construct plural",
            Reason::ConstructCase => "construct case",
            Reason::Nisba => "nisba",
            Reason::Adjective => "noun and adjective",
            Reason::PluralTable => "plural table",
            Reason::Conjugation => "conjugation",
            Reason::VerbalNoun => "verb and verbal noun",
            Reason::Root => "root",
        }
    }
}

/// A form related to a word, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedForm {
    /// The form, normalized.
    pub text: String,
    /// Why it is related.
    pub reason: Reason,
}

/// Which kinds of related forms to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stages {
    /// Duals, sound plurals and nisba forms (the suffix rules).
    pub inflection: bool,
    /// Broken plurals from the table.
    pub plural_table: bool,
    /// A verb's persons and tenses, and its verbal noun.
    pub verbs: bool,
    /// Words of the same root.
    pub root: bool,
}

impl Default for Stages {
    fn default() -> Self {
        Stages {
            inflection: true,
            plural_table: true,
            verbs: true,
            root: true,
        }
    }
}

/// The article, alone or after a proclitic, stripped before the rules apply.
const ARTICLES: &[&str] = &[
    "وبال", "وكال", "فبال", "ولل", "فلل", "وال", "بال", "كال", "فال", "لل", "ال",
];

/// Endings that make a word a dual, plural or nisba form of a base, longest first: (ending,
/// what the base ends with instead, why). ة is written ه, as normalized.
const ENDINGS: &[(&str, &str, Reason)] = &[
    ("يتان", "ي", Reason::Nisba),
    ("يتين", "ي", Reason::Nisba),
    ("يون", "ي", Reason::Nisba),
    ("يين", "ي", Reason::Nisba),
    ("يات", "ي", Reason::Nisba),
    ("يه", "ي", Reason::Nisba),
    ("تان", "ه", Reason::Dual),
    ("تين", "ه", Reason::Dual),
    ("تا", "ه", Reason::Dual),
    ("تي", "ه", Reason::Dual),
    ("ات", "ه", Reason::Plural),
    ("ات", "", Reason::Plural),
    ("ان", "", Reason::Dual),
    ("ين", "", Reason::Dual),
    ("ون", "", Reason::Plural),
];

/// Endings of a masculine sound plural in the construct state (مفتشو الجمارك), read as such
/// only in a word without the article. Not `ـي` (مهربي السجائر): a bare word in `ـي` is far
/// more often a nisba adjective (دولي، أمني، تونسي), which must not widen to its broader noun
/// (the judged sets score the same or better without it).
const CONSTRUCT_ENDINGS: &[(&str, &str, Reason)] = &[("و", "", Reason::ConstructPlural)];

/// Fewest letters a base keeps once an ending is taken off.
const MIN_BASE: usize = 3;

/// The forms of a masculine base (مفتش): its endings and why.
const MASCULINE_FORMS: &[(&str, Reason)] = &[
    ("ان", Reason::Dual),
    ("ين", Reason::Dual),
    ("ا", Reason::Dual),
    ("ون", Reason::Plural),
    ("و", Reason::Plural),
    ("ات", Reason::Plural),
];

/// The forms of a feminine base without its ة (حافل for حافلة).
const FEMININE_FORMS: &[(&str, Reason)] = &[
    ("تان", Reason::Dual),
    ("تين", Reason::Dual),
    ("تا", Reason::Dual),
    ("تي", Reason::Dual),
    ("ات", Reason::Plural),
];

/// The forms of a nisba base (حدودي).
const NISBA_FORMS: &[(&str, Reason)] = &[
    ("ه", Reason::Nisba),
    ("ون", Reason::Nisba),
    ("ين", Reason::Nisba),
    ("ات", Reason::Nisba),
    ("تان", Reason::Nisba),
    ("تين", Reason::Nisba),
];

/// The letters that stand for a root's letters in a pattern.
pub(super) const ROOT_SLOTS: [char; 3] = ['ف', 'ع', 'ل'];

/// The rules' data: the plural table, the words left alone, the derivation patterns, the
/// verb measures.
#[derive(Clone, Debug, Default)]
pub struct Morphology {
    /// The normalized words of the plural table and of the words left alone.
    words: Words,
    /// Singular → plurals and plural → singulars.
    plurals: Pairs,
    /// The broken plurals of the table.
    broken_plurals: WordSet,
    /// Words whose ending is part of the word, without the article.
    not_inflected: WordSet,
    /// Derivation patterns.
    patterns: Vec<Pattern>,
    /// Verb measures.
    verbs: Verbs,
}

/// A pattern or stem of a data file (`patterns-ar.txt`, `verbs-ar.txt`): its letters,
/// [`ROOT_SLOTS`] standing for the root's, and whether it is marked `<`. A marked pattern is
/// only read from: its words are as often nouns of other meanings as the root's. A marked verb
/// stem or noun is as often another kind of word (see `verbs-ar.txt`).
#[derive(Clone, Debug)]
pub(super) struct Pattern {
    pub(super) letters: Vec<char>,
    pub(super) marked: bool,
    /// The kind of root the pattern writes (its section of `patterns-ar.txt`).
    kind: RootKind,
}

impl Pattern {
    /// An item of a data file: the letters, then `<` when marked.
    pub(super) fn parse(item: &str) -> Pattern {
        let (text, marked) = match item.strip_suffix('<') {
            Some(text) => (text.trim(), true),
            None => (item, false),
        };
        Pattern {
            letters: normalize_word(text).chars().collect(),
            marked,
            kind: RootKind::Sound,
        }
    }

    /// Whether the pattern holds the slots its kind of root writes, each once.
    fn is_valid(&self) -> bool {
        let count = |slot: char| self.letters.iter().filter(|&&c| c == slot).count();
        let [f, a, l] = ROOT_SLOTS.map(count);
        match self.kind {
            RootKind::Sound => (f, a, l) == (1, 1, 1),
            RootKind::Doubled => (f, a) == (1, 1) && l <= 1,
            RootKind::Hollow => (f, a, l) == (1, 0, 1),
            RootKind::Defective => (f, a, l) == (1, 1, 0),
        }
    }
}

/// The patterns of `patterns-ar.txt`: sound roots' first, then a section per kind of root
/// (`[doubled]`, `[hollow]`, `[defective]`). Lines that fit no section, or whose slots do not
/// fit their section's kind, are left out (a test checks that the file has none).
fn parse_patterns(text: &str) -> Vec<Pattern> {
    let mut kind = Some(RootKind::Sound);
    let mut patterns = Vec::new();
    for line in data_lines(text) {
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            kind = RootKind::of_section(section.trim());
            continue;
        }
        if let Some(kind) = kind {
            let pattern = Pattern {
                kind,
                ..Pattern::parse(line)
            };
            if pattern.is_valid() {
                patterns.push(pattern);
            }
        }
    }
    patterns
}

/// Kinds of roots, by what their patterns write of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RootKind {
    /// Three letters, each written in every pattern.
    Sound,
    /// The second and third letters the same, written once where a pattern puts them side
    /// by side (ب ز ز: مبتز، ابتزاز).
    Doubled,
    /// The middle letter و or ي, which patterns write as a vowel or hamza (غ و ل: اغتيال).
    Hollow,
    /// The last letter و or ي, likewise (ع د و: اعتداء، معتد).
    Defective,
}

impl RootKind {
    /// The kind of a section of `patterns-ar.txt`.
    fn of_section(name: &str) -> Option<RootKind> {
        match name {
            "doubled" => Some(RootKind::Doubled),
            "hollow" => Some(RootKind::Hollow),
            "defective" => Some(RootKind::Defective),
            _ => None,
        }
    }
}

/// Stands for a weak root letter, which the patterns of its kind of root never write.
const WEAK: char = '*';

/// A root read from a word: its letters ([`WEAK`] for the weak one) and its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Root {
    letters: [char; 3],
    kind: RootKind,
}

impl Root {
    /// The root of the letters a pattern of `kind` found at its slots.
    fn of(kind: RootKind, [f, a, l]: [Option<char>; 3]) -> Option<Root> {
        let (letters, kind) = match (kind, f?, a, l) {
            (RootKind::Sound, f, Some(a), Some(l)) => ([f, a, l], RootKind::Sound),
            (RootKind::Doubled, f, Some(a), l) if l.is_none_or(|l| l == a) => {
                ([f, a, a], RootKind::Doubled)
            }
            (RootKind::Hollow, f, None, Some(l)) => ([f, WEAK, l], RootKind::Hollow),
            (RootKind::Defective, f, Some(a), None) => ([f, a, WEAK], RootKind::Defective),
            _ => return None,
        };
        // A sound pattern's root whose last two letters are the same is a doubled root.
        let kind = match kind {
            RootKind::Sound if letters[1] == letters[2] => RootKind::Doubled,
            kind => kind,
        };
        Some(Root { letters, kind })
    }

    /// Whether the root's words are written in `pattern`: a doubled root's in the sound
    /// patterns too.
    fn fills(&self, pattern: &Pattern) -> bool {
        self.kind == pattern.kind
            || (self.kind == RootKind::Doubled && pattern.kind == RootKind::Sound)
    }
}

/// The normalized words of the data files, side by side in one string, each known by its
/// hash and place. A search process reads the files at its start (every search with an
/// Arabic word): a `String` and a hash table entry per word took 0.6 ms, and sorting the words
/// by their letters half as much; by hash first, the letters compared only on a tie, 0.26 ms.
#[derive(Clone, Debug, Default)]
struct Words(String);

/// A word of [`Words`]: its hash, then its byte range.
type Word = (u64, u32, u32);

impl Words {
    /// Adds `word`, normalized (through `scratch`).
    fn add(&mut self, word: &str, scratch: &mut String) -> Word {
        normalize_word_into(word, scratch);
        let start = self.0.len();
        self.0.push_str(scratch);
        // The data files are the binary's own, a few kilobytes.
        let offset = |n: usize| u32::try_from(n).expect("word lists under 4 GiB");
        (hash(scratch), offset(start), offset(self.0.len()))
    }

    fn get(&self, (_, start, end): Word) -> &str {
        &self.0[start as usize..end as usize]
    }

    /// The order of the tables: by hash, then by letters.
    fn cmp(&self, a: Word, b: Word) -> std::cmp::Ordering {
        a.0.cmp(&b.0).then_with(|| self.get(a).cmp(self.get(b)))
    }

    /// The order of the tables, of a table's word against `word` (whose hash is `hash`).
    fn cmp_to(&self, a: Word, hash: u64, word: &str) -> std::cmp::Ordering {
        a.0.cmp(&hash).then_with(|| self.get(a).cmp(word))
    }
}

fn hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(word)
}

/// A set of words of [`Words`], sorted: looked up by binary search.
#[derive(Clone, Debug, Default)]
struct WordSet(Vec<Word>);

impl WordSet {
    fn new(words: &Words, mut set: Vec<Word>) -> WordSet {
        set.sort_unstable_by(|a, b| words.cmp(*a, *b));
        set.dedup_by(|a, b| words.cmp(*a, *b).is_eq());
        WordSet(set)
    }

    fn contains(&self, words: &Words, word: &str) -> bool {
        let hash = hash(word);
        self.0
            .binary_search_by(|w| words.cmp_to(*w, hash, word))
            .is_ok()
    }
}

/// Pairs of words of [`Words`] (a word and one related to it), sorted by both: the words
/// related to one are a run, found by binary search, in the order of their letters.
#[derive(Clone, Debug, Default)]
struct Pairs(Vec<(Word, Word)>);

impl Pairs {
    fn new(words: &Words, mut pairs: Vec<(Word, Word)>) -> Pairs {
        // Within a word's run, by the related words' letters: the order the forms come in.
        let order = |x: &(Word, Word), y: &(Word, Word)| {
            words
                .cmp(x.0, y.0)
                .then_with(|| words.get(x.1).cmp(words.get(y.1)))
        };
        pairs.sort_unstable_by(order);
        pairs.dedup_by(|x, y| order(x, y).is_eq());
        Pairs(pairs)
    }

    /// The words related to `word`, in the order of their letters.
    fn related<'w>(&'w self, words: &'w Words, word: &str) -> impl Iterator<Item = &'w str> {
        let hash = hash(word);
        let start = self
            .0
            .partition_point(|(a, _)| words.cmp_to(*a, hash, word).is_lt());
        self.0[start..]
            .iter()
            .take_while(move |(a, _)| words.cmp_to(*a, hash, word).is_eq())
            .map(|(_, b)| words.get(*b))
    }
}

/// The non-comment lines of a data file.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn letters(word: &str) -> usize {
    word.chars().count()
}

/// Whether a normalized word is written in Arabic letters only: no other word has related
/// forms.
pub fn is_arabic_word(word: &str) -> bool {
    word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

impl Morphology {
    /// Reads the four data files (see the module's documentation for their roles).
    pub fn parse(plurals: &str, not_inflected: &str, patterns: &str, verbs: &str) -> Morphology {
        let mut words = Words::default();
        let mut scratch = String::new();
        let mut pairs = Vec::new();
        let mut broken_plurals = Vec::new();
        for line in data_lines(plurals) {
            let mut pair = line.split('\t');
            let (Some(singular), Some(plural)) = (pair.next(), pair.next()) else {
                continue;
            };
            let singular = words.add(singular, &mut scratch);
            let plural = words.add(plural, &mut scratch);
            broken_plurals.push(plural);
            pairs.push((singular, plural));
            pairs.push((plural, singular));
        }
        let not_inflected = data_lines(not_inflected)
            .map(|word| words.add(word, &mut scratch))
            .collect();
        Morphology {
            plurals: Pairs::new(&words, pairs),
            broken_plurals: WordSet::new(&words, broken_plurals),
            not_inflected: WordSet::new(&words, not_inflected),
            words,
            patterns: parse_patterns(patterns),
            verbs: Verbs::parse(verbs),
        }
    }

    /// The rules built into the binary (`index-schema/`), read once.
    pub fn builtin() -> &'static Morphology {
        static BUILTIN: OnceLock<Morphology> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Morphology::parse(
                BUILTIN_PLURALS,
                BUILTIN_NOT_INFLECTED,
                BUILTIN_PATTERNS,
                BUILTIN_VERBS,
            )
        })
    }

    /// Whether a normalized word, without its article, is a plural no name has: a broken
    /// plural of the table (اسلحه, قوارب), or a feminine plural in ات after the article
    /// (العصابات, العقارات). A name is singular, or bare (عرفات, بركات).
    pub fn is_plural_noun(&self, word: &str) -> bool {
        let bare = without_article(word);
        let article = bare.len() < word.len();
        self.broken_plurals.contains(&self.words, bare) || (article && bare.ends_with("ات"))
    }

    /// Whether a normalized word is a word of the data files in its own right: a singular or
    /// plural of the plural table, or a word left alone.
    pub fn is_listed_word(&self, word: &str) -> bool {
        self.plurals.related(&self.words, word).next().is_some() || self.is_not_inflected(word)
    }

    /// Whether a normalized word's ending is part of it (a word left alone).
    fn is_not_inflected(&self, word: &str) -> bool {
        self.not_inflected.contains(&self.words, word)
    }

    /// Number of singular–plural pairs in the table.
    pub fn plural_pairs(&self) -> usize {
        self.plurals.0.len() / 2
    }

    /// The forms related to a normalized Arabic word, first reason first, without the word
    /// itself. Not Arabic, too short, or left alone: none.
    pub fn related_forms(&self, word: &str, stages: Stages) -> Vec<RelatedForm> {
        if !is_arabic_word(word) {
            return vec![];
        }
        let bare = without_article(word);
        if letters(bare) < MIN_BASE {
            return vec![];
        }
        let mut out = Forms::new(word, bare);
        let mut bases = self.bases(bare, ENDINGS);
        // A word read as a dual or plural of a base gets that base's family, not one of its
        // own (حافلتين is no singular: حافلتينان is no word).
        let inflected = bases.len() > 1;
        // The construct state never takes the article: bare مهربي may be a plural of مهرب,
        // and may be a nisba adjective too, so it keeps its own family.
        if bare.len() == word.len() {
            for base in self.bases(bare, CONSTRUCT_ENDINGS).into_iter().skip(1) {
                if !bases.contains(&base) {
                    bases.push(base);
                }
            }
        }
        if stages.inflection {
            // A sound feminine plural's nisba adjective (استخبارات → استخباراتي), which no
            // base's family has: the plural is read as its singular's.
            if let Some(stem) = bare.strip_suffix("ات")
                && letters(stem) >= MIN_BASE
                && !self.is_not_inflected(bare)
            {
                out.push(format!("{bare}ي"), Reason::Adjective);
            }
            for (base, reason) in &bases {
                if base != bare {
                    out.push(base.clone(), *reason);
                } else if inflected && plural_noun_of_nisba(bare).is_none() {
                    // A nisba on a sound feminine plural (استخباراتي) also reads as the
                    // construct dual of a word in ـاة: it keeps its own family too.
                    continue;
                }
                for (form, form_reason) in family(base) {
                    // Read from a construct plural (مفتشو), the base's `ـي` is the other case
                    // of that plural (مفتشي الجمارك), not the noun's adjective.
                    let form_reason = match (reason, form_reason) {
                        (Reason::ConstructPlural, Reason::Adjective) => Reason::ConstructCase,
                        _ => form_reason,
                    };
                    out.push(form, form_reason);
                }
            }
        }
        if stages.plural_table {
            for (base, _) in &bases {
                let feminine = format!("{base}ه");
                for key in [base.as_str(), feminine.as_str()] {
                    for other in self.plurals.related(&self.words, key) {
                        out.push(other.to_string(), Reason::PluralTable);
                        // A singular's duals and sound plurals (معبر: معبران); a broken plural
                        // takes none of those (no خلاياان), only the accusative's alif
                        // (أنفاقا), which a plural ending in a vowel, hamza or ة does not
                        // write (خلايا، أعداء، قتلى، قادة).
                        let plural = self.broken_plurals.contains(&self.words, other);
                        let takes_alif = !other.ends_with(['ه', 'ا', 'ء', 'ي']);
                        if stages.inflection && plural && takes_alif {
                            out.push(format!("{other}ا"), Reason::PluralTable);
                        } else if stages.inflection && !plural {
                            for (form, _) in family(other) {
                                out.push(form, Reason::PluralTable);
                            }
                        }
                    }
                }
            }
        }
        // A verb never takes the article: the word is read as written.
        if stages.verbs && !self.is_not_inflected(word) {
            for form in self.verbs.related(word) {
                match form {
                    VerbForm::Conjugation(text) => out.push(text, Reason::Conjugation),
                    VerbForm::VerbalNoun(text) => out.push(text, Reason::VerbalNoun),
                }
            }
            // A verbal noun takes the article and the plural (الاعتداءات، المداهمات): its
            // bare singular finds the verb too.
            for (base, _) in bases.iter().filter(|(base, _)| base != word) {
                for text in self.verbs.of_noun(base) {
                    out.push(text, Reason::VerbalNoun);
                }
            }
        }
        if stages.root {
            for root in self.roots(bare, &bases) {
                // The bare root of a sound root is the simple verb and often its verbal noun
                // (صيد, خطف); the other kinds write it otherwise.
                if root.kind == RootKind::Sound {
                    out.push(root.letters.iter().collect(), Reason::Root);
                }
                let seats = hamza_seats(root.letters);
                for pattern in self.patterns.iter().filter(|p| !p.marked && root.fills(p)) {
                    for letters in &seats {
                        out.push(fill(&pattern.letters, letters), Reason::Root);
                    }
                }
            }
        }
        // A generated word whose ending is its own (لبن + ان is لبنان) is another word.
        let mut forms = out.forms;
        forms.retain(|f| f.reason == Reason::PluralTable || !self.is_not_inflected(&f.text));
        forms
    }

    /// The word itself, and the bases these endings point to (حافلتين → حافله, حدوديين →
    /// حدودي), with the reason of each.
    fn bases(&self, bare: &str, endings: &[(&str, &str, Reason)]) -> Vec<(String, Reason)> {
        let mut bases = vec![(bare.to_string(), Reason::Plural)];
        if self.is_not_inflected(bare) {
            return bases;
        }
        for &(ending, instead, reason) in endings {
            if let Some(stem) = bare.strip_suffix(ending)
                && letters(stem) >= MIN_BASE
            {
                let base = format!("{stem}{instead}");
                if !self.is_not_inflected(&base) && !bases.iter().any(|(b, _)| *b == base) {
                    bases.push((base, reason));
                }
            }
        }
        bases
    }

    /// The roots the word (or one of its bases) fits a pattern with; a three-letter word is
    /// its own root.
    fn roots(&self, bare: &str, bases: &[(String, Reason)]) -> Vec<Root> {
        let mut roots: Vec<Root> = Vec::new();
        // A word whose ending is its own is a known word, not a pattern's.
        if self.is_not_inflected(bare) {
            return roots;
        }
        for (base, _) in bases {
            let chars: Vec<char> = base.chars().collect();
            let found: Vec<Root> = if let [a, b, c] = chars[..] {
                Root::of(RootKind::Sound, [Some(a), Some(b), Some(c)])
                    .into_iter()
                    .collect()
            } else {
                self.patterns
                    .iter()
                    .filter_map(|p| Root::of(p.kind, slots_in(&p.letters, &chars)?))
                    .collect()
            };
            for root in found {
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
        roots
    }
}

/// The forms collected for one word: unique, in order, never the word itself.
struct Forms<'a> {
    word: &'a str,
    bare: &'a str,
    forms: Vec<RelatedForm>,
}

impl<'a> Forms<'a> {
    fn new(word: &'a str, bare: &'a str) -> Self {
        Forms {
            word,
            bare,
            forms: vec![],
        }
    }

    fn push(&mut self, text: String, reason: Reason) {
        let known =
            text == self.word || text == self.bare || self.forms.iter().any(|f| f.text == text);
        if !known && letters(&text) >= MIN_BASE {
            self.forms.push(RelatedForm { text, reason });
        }
    }
}

/// The word without its article (and a proclitic before it), when three letters remain.
fn without_article(word: &str) -> &str {
    ARTICLES
        .iter()
        .find_map(|article| word.strip_prefix(article))
        .filter(|rest| letters(rest) >= MIN_BASE)
        .unwrap_or(word)
}

/// A base's duals, plurals and nisba forms, each with its reason.
fn family(base: &str) -> Vec<(String, Reason)> {
    // A noun also finds its nisba adjective (امن → امني), which the stemmer keeps apart.
    let (stem, endings, adjective) = if let Some(stem) = base.strip_suffix('ه') {
        (stem, FEMININE_FORMS, Some(format!("{stem}ي")))
    } else if base.ends_with('ي') && letters(base) > MIN_BASE {
        (base, NISBA_FORMS, plural_noun_of_nisba(base))
    } else {
        (base, MASCULINE_FORMS, Some(format!("{base}ي")))
    };
    endings
        .iter()
        .map(|(ending, reason)| (format!("{stem}{ending}"), *reason))
        .chain(adjective.map(|a| (a, Reason::Adjective)))
        .collect()
}

/// The sound feminine plural a nisba adjective is made on (استخباراتي → استخبارات, معلوماتي →
/// معلومات), its noun: the stemmer cuts the plural's ending (استخبار) and keeps the
/// adjective's, so the two meet only through this. `None` for other adjectives, whose noun is
/// too short a word to stand for them (امني is not امن).
fn plural_noun_of_nisba(adjective: &str) -> Option<String> {
    let noun = adjective.strip_suffix('ي')?;
    let stem = noun.strip_suffix("ات")?;
    (letters(stem) >= MIN_BASE).then(|| noun.to_string())
}

/// The root of `word` in `pattern`: the letters at the pattern's slots, the other letters
/// equal.
pub(super) fn root_in(pattern: &[char], word: &[char]) -> Option<[char; 3]> {
    let [f, a, l] = slots_in(pattern, word)?;
    Some([f?, a?, l?])
}

/// The letters of `word` at the slots `pattern` has (none at a slot it lacks), the other
/// letters equal. Roots are consonants: a slot holding a long vowel's alef is no root letter.
fn slots_in(pattern: &[char], word: &[char]) -> Option<[Option<char>; 3]> {
    if pattern.len() != word.len() {
        return None;
    }
    let mut root = [None; 3];
    for (&p, &w) in pattern.iter().zip(word) {
        match ROOT_SLOTS.iter().position(|&slot| slot == p) {
            Some(i) if root[i].is_none() && w != 'ا' => root[i] = Some(w),
            Some(_) => return None,
            None if p == w => {}
            None => return None,
        }
    }
    Some(root)
}

/// The root of `word` read as `pattern` of a defective root, which writes the root's first two
/// letters and not its weak last one ([`WEAK`] in the root): اعتدت as افتعت, root ع د.
pub(super) fn defective_root_in(pattern: &[char], word: &[char]) -> Option<[char; 3]> {
    let root = Root::of(RootKind::Defective, slots_in(pattern, word)?)?;
    Some(root.letters)
}

/// A root, then, for each of its letters that is a hamza, the root with that hamza on an
/// alef. The hamza's seat follows the short vowels, which are not written, and normalizing
/// keeps the seat apart (استئناف ء, يستأنف ا), so a word of the root may have either.
pub(super) fn hamza_seats(root: [char; 3]) -> Vec<[char; 3]> {
    let mut roots = vec![root];
    for (i, _) in root.iter().enumerate().filter(|(_, c)| **c == 'ء') {
        let mut on_alef = root;
        on_alef[i] = 'ا';
        roots.push(on_alef);
    }
    roots
}

/// A pattern with its slots filled by a root's letters.
pub(super) fn fill(pattern: &[char], root: &[char; 3]) -> String {
    pattern
        .iter()
        .map(|&p| {
            ROOT_SLOTS
                .iter()
                .position(|&slot| slot == p)
                .map_or(p, |i| root[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(word: &str, stages: Stages) -> Vec<(String, Reason)> {
        Morphology::builtin()
            .related_forms(&normalize_word(word), stages)
            .into_iter()
            .map(|f| (f.text, f.reason))
            .collect()
    }

    fn has(word: &str, form: &str, reason: Reason) -> bool {
        forms(word, Stages::default()).contains(&(normalize_word(form), reason))
    }

    #[test]
    fn duals_with_the_feminine_t_and_construct_forms() {
        for form in ["حافلتان", "حافلتين", "حافلتا"] {
            assert!(has("حافلة", form, Reason::Dual), "{form}");
        }
        assert!(has("الحافلتين", "حافلة", Reason::Dual));
        assert!(has("حافلتا", "حافلة", Reason::Dual));
        assert!(has("مفتش", "مفتشان", Reason::Dual));
        assert!(has("المفتشين", "مفتشان", Reason::Dual));
        assert!(has("مفتشان", "مفتش", Reason::Dual));
    }

    #[test]
    fn sound_plurals_and_their_construct_forms() {
        assert!(has("موقوف", "موقوفون", Reason::Plural));
        assert!(has("موقوف", "موقوفو", Reason::Plural));
        assert!(has("شاحنة", "شاحنات", Reason::Plural));
        assert!(has("شاحنات", "شاحنة", Reason::Plural));
        // The construct state never takes the article: مفتشو is read as a plural only bare.
        assert!(has("مفتشو", "مفتش", Reason::ConstructPlural));
        // Its other case is named as such, not as the noun's adjective.
        assert!(has("مفتشو", "مفتشي", Reason::ConstructCase));
        assert!(has("مفتش", "مفتشي", Reason::Adjective));
        assert!(!has("المفتشو", "مفتش", Reason::ConstructPlural));
        // A bare word in ي is read as the nisba adjective it nearly always is, which does not
        // widen to its noun.
        for (adjective, noun) in [("دولي", "دول"), ("تونسي", "تونس"), ("مهربي", "مهرب")]
        {
            assert!(
                !has(adjective, noun, Reason::ConstructPlural),
                "{adjective}"
            );
        }
    }

    #[test]
    fn a_noun_finds_its_nisba_adjective_not_the_reverse() {
        assert!(has("أمن", "أمني", Reason::Adjective));
        assert!(has("الدولة", "دولي", Reason::Adjective));
        assert!(has("القضاء", "قضائي", Reason::Adjective));
        // أمني narrows أمن: the adjective does not widen to the noun.
        assert!(
            forms("الأمنيين", Stages::default())
                .iter()
                .all(|(form, _)| form != "امن")
        );
    }

    #[test]
    fn a_nisba_on_a_sound_feminine_plural_and_its_plural_find_each_other() {
        assert!(has("الاستخباراتية", "استخبارات", Reason::Adjective));
        assert!(has("استخباراتي", "استخبارات", Reason::Adjective));
        assert!(has("الاستخبارات", "استخباراتي", Reason::Adjective));
        assert!(has("المعلوماتية", "معلومات", Reason::Adjective));
        // Read also as the construct dual of a word in ـاة, it keeps its nisba forms.
        assert!(has("استخباراتي", "استخباراتيين", Reason::Nisba));
        // Not from a plural: a dual's construct (حافلتي), or a base too short to be one.
        for word in ["حافلتي", "حياتي", "الأمنيين"] {
            let nouns: Vec<String> = forms(word, Stages::default())
                .into_iter()
                .filter(|(form, reason)| *reason == Reason::Adjective && form.ends_with("ات"))
                .map(|(form, _)| form)
                .collect();
            assert!(nouns.is_empty(), "{word}: {nouns:?}");
        }
    }

    #[test]
    fn nisba_forms_across_gender_and_number() {
        assert!(has("حدودي", "حدوديتين", Reason::Nisba));
        assert!(has("الحدوديتين", "حدودي", Reason::Nisba));
        assert!(has("بحريون", "بحري", Reason::Nisba));
    }

    #[test]
    fn broken_plurals_both_ways() {
        for (singular, plural) in [
            ("معبر", "معابر"),
            ("سفينة", "سفن"),
            ("حاجز", "حواجز"),
            ("كمين", "كمائن"),
            ("ضابط", "ضباط"),
            ("صاروخ", "صواريخ"),
            ("قائد", "قادة"),
        ] {
            assert!(
                has(singular, plural, Reason::PluralTable),
                "{singular} → {plural}"
            );
            assert!(
                has(plural, singular, Reason::PluralTable),
                "{plural} → {singular}"
            );
        }
        // With the article, and through a dual of the singular.
        assert!(has("المعابر", "معبر", Reason::PluralTable));
        assert!(has("السفن", "سفينتان", Reason::PluralTable));
        // A broken plural takes no dual or sound plural ending.
        let cells = forms("خلية", Stages::default());
        assert!(cells.contains(&("خلايا".to_string(), Reason::PluralTable)));
        let suffixed = |(form, _): &&(String, Reason)| form.starts_with("خلايا") && form != "خلايا";
        assert_eq!(cells.iter().find(suffixed), None);
        // But its accusative: أنفاقاً.
        assert!(has("نفق", "أنفاقا", Reason::PluralTable));
        assert!(Morphology::builtin().plural_pairs() >= 400);
    }

    #[test]
    fn the_tables_hold_every_line_of_the_data_files() {
        let m = Morphology::builtin();
        for line in data_lines(BUILTIN_PLURALS) {
            let mut pair = line.split('\t').map(normalize_word);
            let (Some(singular), Some(plural)) = (pair.next(), pair.next()) else {
                continue;
            };
            let related = |w: &str| m.plurals.related(&m.words, w).collect::<Vec<_>>();
            assert!(related(&singular).contains(&plural.as_str()), "{line}");
            assert!(related(&plural).contains(&singular.as_str()), "{line}");
            assert!(related(&plural).is_sorted(), "{line}");
            assert!(m.broken_plurals.contains(&m.words, &plural), "{line}");
        }
        for word in data_lines(BUILTIN_NOT_INFLECTED) {
            assert!(m.is_not_inflected(&normalize_word(word)), "{word}");
        }
        // Words of no list.
        for word in ["", "ا", "قاربقارب", "zzz"] {
            assert!(
                !m.is_not_inflected(word) && m.plurals.related(&m.words, word).next().is_none()
            );
        }
    }

    #[test]
    fn words_of_the_same_root() {
        assert!(has("مختطف", "اختطاف", Reason::Root));
        assert!(has("الخاطفين", "اختطاف", Reason::Root));
        assert!(has("اختطاف", "مختطف", Reason::Root));
        assert!(has("مزور", "تزوير", Reason::Root));
        assert!(has("مفجر", "تفجير", Reason::Root));
        assert!(has("تفجير", "انفجار", Reason::Root));
        // The intensive noun فاعول and its plural فواعيل: a spy and espionage.
        assert!(has("جاسوس", "تجسس", Reason::Root));
        assert!(has("تجسس", "جواسيس", Reason::Root));
        // The root itself, the verbal noun of the simple verb: fishermen and fishing.
        assert!(has("صيادين", "صيد", Reason::Root));
        assert!(has("الخاطفين", "خطف", Reason::Root));
        // فعال and فعاله are read, not filled: infiltrators are not breeds (سلالة).
        assert!(has("المتسللين", "تسلل", Reason::Root));
        let infiltrators: Vec<String> = forms("المتسللين", Stages::default())
            .into_iter()
            .map(|(form, _)| form)
            .collect();
        assert!(!infiltrators.iter().any(|f| f == "سلال" || f == "سلاله"));
        assert!(has("قتال", "قاتل", Reason::Root));
    }

    #[test]
    fn words_of_roots_with_a_doubled_or_weak_letter() {
        // Doubled: the two letters written once side by side, twice apart.
        assert!(has("مبتزين", "ابتزاز", Reason::Root));
        assert!(has("الابتزاز", "مبتز", Reason::Root));
        assert!(has("المحتلين", "احتلال", Reason::Root));
        assert!(has("استمرار", "مستمر", Reason::Root));
        assert!(has("منشقين", "انشقاق", Reason::Root));
        assert!(has("تشدد", "متشدد", Reason::Root));
        // Hollow: the middle letter a vowel, a hamza, or gone.
        assert!(has("اغتيال", "مغتال", Reason::Root));
        assert!(has("المحتال", "احتيال", Reason::Root));
        assert!(has("قائد", "قيادة", Reason::Root));
        assert!(has("استقالة", "مستقيل", Reason::Root));
        assert!(has("مصاب", "إصابة", Reason::Root));
        assert!(has("انهيار", "منهار", Reason::Root));
        // Defective: the last letter a vowel, a hamza, or gone.
        assert!(has("المعتدين", "اعتداء", Reason::Root));
        assert!(has("اعتداء", "معتدي", Reason::Root));
        assert!(has("استدعاء", "مستدعي", Reason::Root));
        assert!(has("متعاطي", "تعاطي", Reason::Root));
        assert!(has("القاضي", "قضاء", Reason::Root));
        assert!(has("حماية", "حامي", Reason::Root));
        // The weak letter, unknown, is never written.
        for word in ["اغتيال", "اعتداء", "قائد", "حماية"] {
            let found = forms(word, Stages::default());
            assert!(
                found.iter().all(|(form, _)| is_arabic_word(form)),
                "{word}: {found:?}"
            );
        }
    }

    #[test]
    fn a_hamza_of_the_root_on_either_seat() {
        assert!(has("استئناف", "مستأنف", Reason::Root));
        assert!(has("مسؤول", "مساءلة", Reason::Root));
        assert_eq!(hamza_seats(['خ', 'ط', 'ف']), [['خ', 'ط', 'ف']]);
        assert_eq!(
            hamza_seats(['ء', 'ن', 'ف']),
            [['ء', 'ن', 'ف'], ['ا', 'ن', 'ف']]
        );
        // The bare root keeps its hamza: انف is a nose.
        assert!(!has("استئناف", "أنف", Reason::Root));
    }

    #[test]
    fn every_line_of_the_patterns_file_is_a_pattern_of_its_section() {
        let lines = data_lines(BUILTIN_PATTERNS)
            .filter(|line| !line.starts_with('['))
            .count();
        let patterns = parse_patterns(BUILTIN_PATTERNS);
        assert_eq!(patterns.len(), lines);
        for kind in [RootKind::Doubled, RootKind::Hollow, RootKind::Defective] {
            assert!(patterns.iter().any(|p| p.kind == kind), "{kind:?}");
        }
        // A pattern whose slots do not fit its section is left out, and so is an unknown
        // section's.
        assert!(parse_patterns("[hollow]\nمفتعل\n[weak]\nمفال").is_empty());
    }

    #[test]
    fn endings_that_belong_to_the_word_are_left_alone() {
        for word in ["لبنان", "قانون", "فلسطين", "البرلمان", "إيران"] {
            let inflections: Vec<_> = forms(word, Stages::default())
                .into_iter()
                .filter(|(_, r)| *r != Reason::Root)
                .collect();
            let shorter: Vec<_> = inflections
                .iter()
                .filter(|(f, _)| letters(f) < letters(&normalize_word(word)) - 1)
                .collect();
            assert!(shorter.is_empty(), "{word}: {shorter:?}");
        }
        // The distractors of the light stemmer stay apart here too.
        assert!(!has("لبن", "لبنان", Reason::Dual));
        assert!(!has("البحر", "بحرين", Reason::Dual));
    }

    #[test]
    fn stages_turn_off_one_by_one() {
        let only_table = Stages {
            inflection: false,
            plural_table: true,
            verbs: false,
            root: false,
        };
        let found = forms("معبر", only_table);
        assert!(
            found.iter().all(|(_, r)| *r == Reason::PluralTable),
            "{found:?}"
        );
        let none = Stages {
            inflection: false,
            plural_table: false,
            verbs: false,
            root: false,
        };
        assert!(forms("حافلة", none).is_empty());
        assert!(forms("Interpol", Stages::default()).is_empty());
        assert!(forms("في", Stages::default()).is_empty());
    }
}

#[cfg(test)]
mod properties {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn forms_are_distinct_arabic_words_other_than_the_query(word in "[\u{0621}-\u{064A}]{0,12}|\\PC{0,12}") {
            let word = normalize_word(&word);
            let forms = Morphology::builtin().related_forms(&word, Stages::default());
            let mut seen = HashSet::new();
            for form in &forms {
                prop_assert!(form.text != word);
                prop_assert!(is_arabic_word(&form.text), "{:?}", form);
                prop_assert!(letters(&form.text) >= MIN_BASE);
                prop_assert!(seen.insert(form.text.clone()));
            }
        }
    }
}
