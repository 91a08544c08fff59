//! The domain glossary: concepts of security news with their terms in Arabic, French and
//! English (مذكرة توقيف / mandat d'arrêt / arrest warrant). A query word or expression that is a
//! term of a concept also searches the concept's terms in the other languages, at a lower
//! weight than the words as written, so that an English query finds the Arabic press. The
//! concepts are data: `index-schema/glossary.txt`, plus a user's own file.
//!
//! Terms meet query words after their own language's analysis: an Arabic term through the
//! stemmed analyzer (clitics, the article, plural and feminine endings), a French or English
//! one through that language's Snowball analyzer (accents, plurals). A Latin-script query word
//! is looked up as French and as English, an Arabic one as Arabic.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::morphology::{Morphology, Reason, Stages};
use crate::analysis::snowball::LatinLanguage;
use crate::analysis::tokenizer::is_arabic_script;
use crate::analysis::{self, ANALYZER_VERSION, WordLists, latin_analyzer, stemmed_analyzer};
use crate::schema::{IndexSchema, SchemaError, read_data_file};
use crate::search::proclitics;

/// The glossary built into the binary.
const BUILTIN_GLOSSARY: &str = include_str!("../../index-schema/glossary.txt");
/// How entries of the built-in glossary are named.
const BUILTIN_ORIGIN: &str = "index-schema/glossary.txt";
/// The keys of the built-in glossary's terms, computed ahead (see [`Precomputed`]).
const BUILTIN_KEYS: &str = include_str!("../../index-schema/glossary-keys.txt");
/// Where the keys are, for the test that writes them.
#[cfg(test)]
const BUILTIN_KEYS_PATH: &str = "index-schema/glossary-keys.txt";
/// The built-in glossary's hash (FNV-1a, 64 bits, from `build.rs`): its precomputed keys are
/// used only when they were computed from this text.
const BUILTIN_HASH: &str = env!("RASD_GLOSSARY_HASH");

/// Weight of a translation relative to the words as written: below 1, so that articles in the
/// query's own language rank first when they match as well. 0.5 until the French and English
/// views' document frequencies were scaled to their language (see `statistics`): the
/// inflated rarity of their terms had carried translations up.
pub const TRANSLATION_BOOST: f64 = 0.75;

/// The most terms a concept has in one language: each is searched for every query word that
/// is a term of the concept.
pub const MAX_TERMS: usize = 32;

/// The most words of a query joined to look up a multi-word term.
pub const MAX_TERM_WORDS: usize = 6;

/// A language of the glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ar,
    Fr,
    En,
}

impl Language {
    /// The three, in the order of a glossary line.
    pub const ALL: [Language; 3] = [Language::Ar, Language::Fr, Language::En];

    /// The code written in the glossary and shown to users.
    pub fn code(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One concept: its terms in each language, as written in the file.
#[derive(Clone, Debug, Default)]
struct Concept {
    /// The file it is defined in, for `rasd analyze --query`.
    origin: String,
    /// Its line in that file.
    line: usize,
    /// Terms by [`Language::index`].
    terms: [Vec<String>; 3],
}

impl Concept {
    /// Where it is defined: `glossary.txt:120`.
    fn entry(&self) -> String {
        format!("{}:{}", self.origin, self.line)
    }
}

/// What a query word or expression found in the glossary: the concept's other terms in one
/// language, another (a translation) or its own (synonyms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Translation {
    /// The language the query word was read in.
    pub from: Language,
    /// The language of the terms: `from` for synonyms.
    pub to: Language,
    /// The terms, as written in the glossary.
    pub terms: Vec<String>,
    /// The concept's entry: file and line.
    pub entry: String,
}

/// The analyzers that make keys, one per language.
#[derive(Clone)]
struct KeyAnalyzers([TextAnalyzer; 3]);

impl KeyAnalyzers {
    /// The analyzers of the built-in word lists: built once (their word sets are not free),
    /// cloned for each lookup, which the join pass makes for every run of query words.
    fn new() -> KeyAnalyzers {
        static BUILT: OnceLock<KeyAnalyzers> = OnceLock::new();
        BUILT
            .get_or_init(|| {
                let lists = builtin_lists();
                KeyAnalyzers([
                    stemmed_analyzer(lists),
                    latin_analyzer(lists, LatinLanguage::French),
                    latin_analyzer(lists, LatinLanguage::English),
                ])
            })
            .clone()
    }

    /// The key of `text` read in `language`: its analyzed terms, space-separated.
    fn key(&mut self, language: Language, text: &str) -> String {
        analysis::terms(&mut self.0[language.index()], text).join(" ")
    }
}

/// The word lists keys are analyzed with: the built-in schema's, read once.
fn builtin_lists() -> &'static WordLists {
    static LISTS: OnceLock<WordLists> = OnceLock::new();
    LISTS.get_or_init(IndexSchema::builtin_word_lists)
}

/// The languages a query word or expression may be in: Arabic script is Arabic, other text
/// is read in `latin` (see [`latin_languages`]).
fn languages_of(text: &str, latin: &'static [Language]) -> &'static [Language] {
    if text.chars().any(is_arabic_script) {
        &[Language::Ar]
    } else {
        latin
    }
}

/// Letters only French writes among the query's Latin-script languages.
const FRENCH_LETTERS: &[char] = &[
    'é', 'è', 'ê', 'ë', 'à', 'â', 'ç', 'î', 'ï', 'ô', 'ù', 'û', 'œ',
];

/// The languages a query's Latin-script words are read in, from the whole query: French when
/// it has a French stop word that is no English one (`de`, `la`, `des`) or a French accent,
/// English when it has an English stop word that is no French one (`the`, `of`), else both.
/// So that `drones chargés de drogue` is not read as English `charged`.
pub fn latin_languages(query: &str) -> &'static [Language] {
    let lists = builtin_lists();
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        // The operators are no English words (`or` is one, `OR` is syntax).
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT"))
        .filter_map(analysis::normalized_word)
        .collect();
    let only = |mine: &[String], theirs: &[String], word: &String| {
        mine.binary_search(word).is_ok() && theirs.binary_search(word).is_err()
    };
    let french = query.to_lowercase().contains(FRENCH_LETTERS)
        || words
            .iter()
            .any(|w| only(&lists.stopwords_fr, &lists.stopwords_en, w));
    let english = words
        .iter()
        .any(|w| only(&lists.stopwords_en, &lists.stopwords_fr, w));
    match (french, english) {
        (true, false) => &[Language::Fr],
        (false, true) => &[Language::En],
        _ => &[Language::Fr, Language::En],
    }
}

/// Concepts looked up by the keys of their terms: the built-in ones through keys computed
/// ahead (`index-schema/glossary-keys.txt`), so that a search does not analyze the built-in
/// glossary's 8,000 terms; those of a user's file through keys computed on first use.
#[derive(Default)]
pub struct Glossary {
    /// The built-in concepts, when their precomputed keys are up to date.
    builtin: Option<&'static Precomputed>,
    /// Concepts read from text (a user's file; the built-in text when its keys are stale).
    parsed: Parsed,
}

impl fmt::Debug for Glossary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glossary({} concepts)", self.len())
    }
}

/// A concept of a [`Glossary`]; the built-in ones come first, as in a merged glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConceptId {
    /// A built-in concept, by its line in the built-in glossary and that line's byte offset.
    Builtin { line: usize, offset: usize },
    /// A concept read from text, by its place in [`Parsed::concepts`].
    Parsed(usize),
}

/// Concepts read from text. The keys of one language are computed the first time a query
/// word is looked up in it: an Arabic query never analyzes the French and English terms.
#[derive(Default)]
struct Parsed {
    concepts: Vec<Concept>,
    /// For each language: key → concepts with a term of that key.
    by_key: [OnceLock<HashMap<String, Vec<usize>>>; 3],
    /// The most words of a term.
    longest: usize,
}

impl Parsed {
    fn add(&mut self, concept: Concept) {
        for terms in &concept.terms {
            for term in terms {
                self.longest = self.longest.max(term.split_whitespace().count());
            }
        }
        self.concepts.push(concept);
    }

    /// The concepts by the keys of their terms in `language`, computed on first use.
    fn keys(&self, language: Language) -> &HashMap<String, Vec<usize>> {
        self.by_key[language.index()].get_or_init(|| {
            let mut analyzers = KeyAnalyzers::new();
            let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
            for (id, concept) in self.concepts.iter().enumerate() {
                for term in &concept.terms[language.index()] {
                    let ids = keys.entry(analyzers.key(language, term)).or_default();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            keys
        })
    }
}

/// The built-in glossary's keys, computed ahead by a test from the glossary and the analyzer
/// (`RASD_UPDATE_GLOSSARY_KEYS=1 cargo test --lib search::glossary` writes them; the test fails
/// when they are out of date). The file: `#` comments, a header line `glossary HASH ANALYZER
/// CONCEPTS LONGEST`, then one line per language and key, `LANG<tab>KEY<tab>LINE:OFFSET …`
/// (the line and byte offset of each concept with a term of that key), sorted by language (in
/// the order of [`Language::ALL`]) then key. Looked up by binary search in the text itself:
/// reading it costs a search nothing but its header.
struct Precomputed {
    /// The lines after the header.
    body: &'static str,
    /// Number of concepts.
    concepts: usize,
    /// The most words of a term.
    longest: usize,
}

impl Precomputed {
    /// The keys of `keys`, when they were computed from a glossary of hash `hash` by this
    /// version of the analyzer; `None` when they are stale or have no header.
    fn read(keys: &'static str, hash: &str) -> Option<Precomputed> {
        let mut body = keys;
        let header = loop {
            let (line, rest) = body.split_once('\n')?;
            body = rest;
            if !line.starts_with('#') {
                break line;
            }
        };
        let header: Vec<&str> = header.split(' ').collect();
        let [tag, file_hash, analyzer, concepts, longest] = header[..] else {
            return None;
        };
        if tag != "glossary" || file_hash != hash || analyzer.parse() != Ok(ANALYZER_VERSION) {
            return None;
        }
        Some(Precomputed {
            body,
            concepts: concepts.parse().ok()?,
            longest: longest.parse().ok()?,
        })
    }

    /// Where a line sorts: its language, then its key.
    fn order_of(line: &str) -> (usize, &str) {
        let mut fields = line.split('\t');
        let language = fields.next().and_then(Language::from_code);
        // A line of no language (there is none) sorts last.
        let language = language.map_or(Language::ALL.len(), Language::index);
        (language, fields.next().unwrap_or_default())
    }

    /// The line of `key` in `language`, by binary search over the sorted lines.
    fn find(&self, language: Language, key: &str) -> Option<&'static str> {
        let (body, bytes) = (self.body, self.body.as_bytes());
        let target = (language.index(), key);
        // `low` is always the start of a line; `high` the start of one or the end.
        let (mut low, mut high) = (0, body.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start = bytes[low..middle]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(low, |i| low + i + 1);
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(body.len(), |i| start + i);
            let line = &body[start..end];
            match Self::order_of(line).cmp(&target) {
                std::cmp::Ordering::Equal => return Some(line),
                std::cmp::Ordering::Less => low = end + 1,
                std::cmp::Ordering::Greater => high = start,
            }
        }
        None
    }

    /// The concepts with a term of `key` in `language`.
    fn lookup(&self, language: Language, key: &str) -> Vec<ConceptId> {
        let Some(line) = self.find(language, key) else {
            return vec![];
        };
        let concepts = line.split('\t').nth(2).unwrap_or_default();
        concepts
            .split(' ')
            .filter_map(|place| {
                let (line, offset) = place.split_once(':')?;
                Some(ConceptId::Builtin {
                    line: line.parse().ok()?,
                    offset: offset.parse().ok()?,
                })
            })
            .collect()
    }

    /// The built-in concept on line `line`, which starts at byte `offset`.
    fn concept(line: usize, offset: usize) -> Concept {
        let text = BUILTIN_GLOSSARY.get(offset..).unwrap_or_default();
        let text = text.lines().next().unwrap_or_default().trim();
        Concept {
            origin: BUILTIN_ORIGIN.to_string(),
            line,
            // The tests read every line of the built-in glossary: this one is valid.
            terms: parse_line(text).unwrap_or_default(),
        }
    }

    /// The keys file of a glossary read from `text` of hash `hash`: what [`Precomputed::read`]
    /// reads.
    #[cfg(test)]
    fn write(text: &str, hash: &str) -> String {
        let glossary = Glossary::read(BUILTIN_ORIGIN, text, None).expect("a valid glossary");
        let parsed = &glossary.parsed;
        let offsets: Vec<usize> = text
            .lines()
            .map(|line| line.as_ptr() as usize - text.as_ptr() as usize)
            .collect();
        let mut out = format!(
            "# The keys of {BUILTIN_ORIGIN}'s terms after each language's analysis, computed \
             ahead so that a\n# search does not analyze the glossary. Written by \
             `RASD_UPDATE_GLOSSARY_KEYS=1 cargo test --lib\n# search::glossary`; do not edit. \
             Format: src/search/glossary.rs, `Precomputed`.\nglossary {hash} \
             {ANALYZER_VERSION} {} {}\n",
            parsed.concepts.len(),
            parsed.longest
        );
        for language in Language::ALL {
            let mut keys: Vec<(&String, &Vec<usize>)> = parsed.keys(language).iter().collect();
            keys.sort();
            for (key, ids) in keys {
                let lines: Vec<String> = ids
                    .iter()
                    .map(|&id| {
                        let line = parsed.concepts[id].line;
                        format!("{line}:{}", offsets[line - 1])
                    })
                    .collect();
                out.push_str(&format!("{language}\t{key}\t{}\n", lines.join(" ")));
            }
        }
        out
    }
}

impl Glossary {
    /// Reads a glossary and checks that every term analyzes to something; `origin` names it
    /// in errors and in entries.
    pub fn parse(origin: &str, text: &str) -> Result<Glossary, SchemaError> {
        Self::read(origin, text, Some(&mut KeyAnalyzers::new()))
    }

    /// Reads the concepts of a glossary; with `check`, also analyzes every term, so that a
    /// term of stop words only is an error on its line.
    fn read(
        origin: &str,
        text: &str,
        mut check: Option<&mut KeyAnalyzers>,
    ) -> Result<Glossary, SchemaError> {
        let mut parsed = Parsed::default();
        // A file saved with a byte-order mark starts with it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (number, line) in text.lines().enumerate() {
            let number = number + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| SchemaError {
                origin: origin.to_string(),
                line: Some(number),
                message,
            };
            let terms = parse_line(line).map_err(error)?;
            if let Some(analyzers) = check.as_deref_mut() {
                for language in Language::ALL {
                    for term in &terms[language.index()] {
                        if analyzers.key(language, term).is_empty() {
                            return Err(error(format!(
                                "`{term}` is only stop words in {language}: it would match nothing"
                            )));
                        }
                    }
                }
            }
            parsed.add(Concept {
                origin: origin.to_string(),
                line: number,
                terms,
            });
        }
        Ok(Glossary {
            builtin: None,
            parsed,
        })
    }

    /// Reads a user's glossary file.
    pub fn from_file(path: &Path) -> Result<Glossary, SchemaError> {
        let (origin, text) = read_data_file(path)?;
        Self::parse(&origin, &text)
    }

    /// The concepts built into the binary (`index-schema/glossary.txt`), through their
    /// precomputed keys; read and analyzed like a user's file when those are out of date
    /// (a glossary edited without writing its keys again). Their terms are checked by the
    /// tests, not at each search.
    pub fn builtin() -> &'static Glossary {
        static BUILTIN: OnceLock<Glossary> = OnceLock::new();
        BUILTIN.get_or_init(|| match Self::precomputed() {
            Some(keys) => Glossary {
                builtin: Some(keys),
                parsed: Parsed::default(),
            },
            None => Glossary::read(BUILTIN_ORIGIN, BUILTIN_GLOSSARY, None)
                .expect("the built-in glossary is valid"),
        })
    }

    /// The built-in glossary's precomputed keys, when they are up to date.
    fn precomputed() -> Option<&'static Precomputed> {
        static KEYS: OnceLock<Option<Precomputed>> = OnceLock::new();
        KEYS.get_or_init(|| Precomputed::read(BUILTIN_KEYS, BUILTIN_HASH))
            .as_ref()
    }

    /// No concept: what `--no-glossary` searches with, without reading the built-in file.
    pub fn empty() -> &'static Glossary {
        static EMPTY: OnceLock<Glossary> = OnceLock::new();
        EMPTY.get_or_init(Glossary::default)
    }

    /// This glossary with another's concepts added after its own. The concepts read from
    /// text (a user's file) have their keys computed on first use: they cost a search time
    /// in proportion to their number, which the built-in ones do not.
    pub fn merged(&self, other: &Glossary) -> Glossary {
        let mut merged = Glossary {
            builtin: self.builtin.or(other.builtin),
            parsed: Parsed::default(),
        };
        for concept in self.parsed.concepts.iter().chain(&other.parsed.concepts) {
            merged.parsed.add(concept.clone());
        }
        merged
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.builtin.map_or(0, |keys| keys.concepts) + self.parsed.concepts.len()
    }

    /// Whether the glossary has no concept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most words a query expression can have to be a term.
    pub fn longest_term(&self) -> usize {
        let builtin = self.builtin.map_or(0, |keys| keys.longest);
        builtin.max(self.parsed.longest).min(MAX_TERM_WORDS)
    }

    /// The concepts with a term of key `key` in `language`.
    fn lookup(&self, language: Language, key: &str) -> Vec<ConceptId> {
        let mut ids = match self.builtin {
            Some(keys) => keys.lookup(language, key),
            None => vec![],
        };
        if !self.parsed.concepts.is_empty()
            && let Some(own) = self.parsed.keys(language).get(key)
        {
            ids.extend(own.iter().map(|&id| ConceptId::Parsed(id)));
        }
        ids
    }

    /// A concept found by [`Glossary::lookup`].
    fn concept(&self, id: ConceptId) -> Cow<'_, Concept> {
        match id {
            ConceptId::Parsed(id) => Cow::Borrowed(&self.parsed.concepts[id]),
            ConceptId::Builtin { line, offset } => Cow::Owned(Precomputed::concept(line, offset)),
        }
    }

    /// The concepts `text` (a word or expression) is a term of, with the language it was read
    /// in. Arabic text no concept has is also looked up without a single-letter proclitic on
    /// its first word and with one word in its singular or broken plural (see
    /// [`arabic_variants`]).
    fn concepts_of(&self, text: &str, latin: &'static [Language]) -> Vec<(Language, ConceptId)> {
        let mut analyzers = KeyAnalyzers::new();
        let mut found: Vec<(Language, ConceptId)> = Vec::new();
        let words: Vec<&str> = text.split_whitespace().collect();
        for &language in languages_of(text, latin) {
            let key = analyzers.key(language, text);
            if key.is_empty() {
                continue;
            }
            // Words that analyze to nothing (stop words) do not start or end a term: `تبييض
            // الأموال في` is not the term `تبييض الأموال`, whose key it shares.
            if let (Some(first), Some(last)) = (words.first(), words.last())
                && words.len() > 1
                && (analyzers.key(language, first).is_empty()
                    || analyzers.key(language, last).is_empty())
            {
                continue;
            }
            let mut ids = self.lookup(language, &key);
            if language == Language::Ar {
                // The stem drops ة: العمل (work) keys like العملة (currency), المقاتلين
                // (fighters) like مقاتلة (a warplane). A term of the concept with that key
                // must agree with the words typed on it. And a word typed with ة that a
                // concept writes so is that concept's noun, not another's without ة:
                // الجامعة (university) is no جامع (mosque), المحاكمة (trial) no محاكم
                // (courts). Where no concept writes it so, it may still be an adjective
                // agreeing with a feminine noun, and all stay.
                let agreeing: Vec<(ConceptId, bool)> = ids
                    .iter()
                    .filter_map(|&id| {
                        let concept = self.concept(id);
                        let terms: Vec<&String> = concept.terms[Language::Ar.index()]
                            .iter()
                            .filter(|term| analyzers.key(language, term) == key)
                            .collect();
                        terms
                            .iter()
                            .any(|term| agrees_in_gender(&words, term))
                            .then(|| {
                                let written_so = terms
                                    .iter()
                                    .any(|term| writes_each_ta_marbuta(&words, term));
                                (id, written_so)
                            })
                    })
                    .collect();
                let any_written_so = agreeing.iter().any(|&(_, written_so)| written_so);
                ids = agreeing
                    .into_iter()
                    .filter(|&(_, written_so)| written_so || !any_written_so)
                    .map(|(id, _)| id)
                    .collect();
            }
            if ids.is_empty() && language == Language::Ar {
                ids = arabic_variants(&words)
                    .into_iter()
                    .map(|variant| {
                        let mut ids =
                            self.lookup(language, &analyzers.key(language, &variant.text));
                        // The plural table gives a word: a term of the concept has it as
                        // written, not only a word of the same stem (العربي's plural عرب is
                        // no عربة, "cart"); the other words match by their stems as ever
                        // (قادة العصابات is a reading of قائد العصابة).
                        if let Some((position, form)) = &variant.from_plural_table {
                            ids.retain(|&id| {
                                self.concept(id).terms[Language::Ar.index()]
                                    .iter()
                                    .any(|term| without_articles(term).get(*position) == Some(form))
                            });
                        }
                        ids
                    })
                    .find(|ids| !ids.is_empty())
                    .unwrap_or_default();
            }
            for id in ids {
                if !found.contains(&(language, id)) {
                    found.push((language, id));
                }
            }
        }
        found
    }

    /// Whether `text` is a term of some concept, its Latin-script words read in `latin`.
    pub fn has_term(&self, text: &str, latin: &'static [Language]) -> bool {
        !self.concepts_of(text, latin).is_empty()
    }

    /// Whether a concept writes `word` (one word as typed, its Latin script read in `latin`)
    /// as a term by itself, article and proclitics aside: الهجرة, والهجرة, للهجرة and
    /// `Migration` are such words, and so common words; الساحل (the coast, and the Sahel) is
    /// not, though its stem is the term السواحل's.
    pub fn writes_word(&self, word: &str, latin: &'static [Language]) -> bool {
        let Some(typed) = analysis::normalized_word(word).filter(|w| !w.contains(' ')) else {
            return false;
        };
        // The concepts of the word's key, and no variants of it: a term must write the word.
        let mut analyzers = KeyAnalyzers::new();
        languages_of(word, latin).iter().any(|&language| {
            let key = analyzers.key(language, word);
            !key.is_empty()
                && self.lookup(language, &key).into_iter().any(|id| {
                    self.concept(id).terms[language.index()].iter().any(|term| {
                        match without_articles(term).as_slice() {
                            [written] => writes(&typed, written),
                            _ => false,
                        }
                    })
                })
        })
    }

    /// The other terms of the concepts `text` (its Latin-script words read in `latin`) is a
    /// term of: their terms in the other languages
    /// (translations) and in its own (synonyms: غسل الأموال, تبييض الأموال), each language's
    /// terms apart, without the ones that analyze like `text`; one per (concept, language).
    /// French or English terms that analyze alike are one term, the first written (`arrest`,
    /// `arrests`): each would add its score again. Arabic ones are kept apart unless written
    /// alike: with and without the article (`التهريب`, `تهريب`) they find other proclitic
    /// forms (`لتهريب`).
    pub fn translations_of(&self, text: &str, latin: &'static [Language]) -> Vec<Translation> {
        let found = self.concepts_of(text, latin);
        let mut analyzers = KeyAnalyzers::new();
        let own: Vec<(Language, String)> = found
            .iter()
            .map(|&(language, _)| (language, analyzers.key(language, text)))
            .collect();
        // The terms given so far, by language and key (Arabic: by spelling).
        let mut given: Vec<(Language, String)> = Vec::new();
        let mut out: Vec<Translation> = Vec::new();
        for &(from, id) in &found {
            let concept = self.concept(id);
            for to in Language::ALL {
                let mut terms: Vec<String> = Vec::new();
                for term in &concept.terms[to.index()] {
                    // Not what the user typed.
                    let key = analyzers.key(to, term);
                    if own.contains(&(to, key.clone())) {
                        continue;
                    }
                    let identity = if to == Language::Ar {
                        term.clone()
                    } else {
                        key
                    };
                    if !given.contains(&(to, identity.clone())) {
                        given.push((to, identity));
                        terms.push(term.clone());
                    }
                }
                if terms.is_empty() {
                    continue;
                }
                out.push(Translation {
                    from,
                    to,
                    terms,
                    entry: concept.entry(),
                });
            }
        }
        out
    }
}

/// The fewest letters left when a proclitic is taken off a word alone.
const MIN_BARE_LETTERS: usize = 3;
/// The fewest letters left when a proclitic is taken off the first word of several: the rest
/// of the term must match too.
const MIN_BARE_LETTERS_IN_TERM: usize = 2;

/// Other readings of Arabic words that are no term as written, in the order tried: the first
/// word without a single-letter proclitic (`ببرمجيات الفدية` is the term `برمجيات الفدية`
/// with `ب`), then, in the words as written and in those, each word replaced by its broken
/// plural or singular (`قوارب` finds the concept of `قارب`, `قادة العصابة` that of `قائد
/// العصابة`). The analysis keeps single-letter proclitics because they begin many words
/// (وطنية, بيروت); a reading that is a term of the glossary is a term all the same.
fn arabic_variants(words: &[&str]) -> Vec<Variant> {
    let Some((first, rest)) = words.split_first() else {
        return vec![];
    };
    let mut readings: Vec<Vec<String>> = vec![words.iter().map(|w| w.to_string()).collect()];
    // Every proclitic the word starts with: وبرمجيات is و + برمجيات, not وب + رمجيات. A word
    // followed by others may be shorter (بزي عسكري is زي عسكري).
    let least = if rest.is_empty() {
        MIN_BARE_LETTERS
    } else {
        MIN_BARE_LETTERS_IN_TERM
    };
    for bare in proclitics::PROCLITICS
        .iter()
        .filter_map(|p| first.strip_prefix(p))
    {
        if bare.chars().count() >= least {
            readings.push(
                std::iter::once(bare.to_string())
                    .chain(rest.iter().map(|w| w.to_string()))
                    .collect(),
            );
        }
    }
    let mut variants: Vec<Variant> = readings[1..]
        .iter()
        .map(|r| Variant {
            text: r.join(" "),
            from_plural_table: None,
        })
        .collect();
    for reading in &readings {
        for (position, word) in reading.iter().enumerate() {
            for form in plural_table_forms(word) {
                let mut changed = reading.clone();
                let written = without_articles(&form).pop();
                changed[position] = form;
                variants.push(Variant {
                    text: changed.join(" "),
                    from_plural_table: written.map(|written| (position, written)),
                });
            }
        }
    }
    variants
}

/// Whether the Arabic words `typed` can be the words of `term` they share a key with, as far
/// as the feminine ة tells, which the stem drops: a word of the term written with ة is not
/// typed without it (العمل is no العملة), nor as a masculine plural in ون or ين (المقاتلين,
/// fighters, is no المقاتلات, warplanes). Forms that may be either pass: a final ه (a
/// pronoun, or ة written so), a plural in ات, a dual, an adjective's other gender. The
/// reverse cannot be told without a lexicon: a word typed with ة may be a noun of its own
/// (الجامعة, university, is no الجامع, mosque) or an adjective agreeing with a feminine noun
/// (مهربة in سجائر مهربة), and passes.
fn agrees_in_gender(typed: &[&str], term: &str) -> bool {
    let term: Vec<&str> = term.split_whitespace().collect();
    if term.len() != typed.len() {
        return true;
    }
    let undiacritized = |word: &str| -> String {
        word.chars()
            .filter(|&c| !('\u{064B}'..='\u{0652}').contains(&c) && c != '\u{0640}')
            .collect()
    };
    typed.iter().zip(term).all(|(typed, term)| {
        let (typed, term) = (undiacritized(typed), undiacritized(term));
        // A masculine plural is no feminine word's (المقاتلين, fighters; المقاتلات, warplanes).
        let masculine_plural =
            (typed.ends_with("ين") && !typed.ends_with("تين")) || typed.ends_with("ون");
        if masculine_plural && (term.ends_with('ة') || term.ends_with("ات")) {
            return false;
        }
        let either = ["ه", "ات", "تان", "تين", "تا", "تي"]
            .iter()
            .any(|ending| typed.ends_with(ending))
            || term.ends_with("ات");
        let nisba = (term.ends_with('ي') && typed.ends_with("ية"))
            || (term.ends_with("ية") && typed.ends_with('ي'));
        // A word typed with ة may be an adjective agreeing with a feminine noun (سجائر
        // مهربة, smuggled cigarettes) of a term's masculine one: it passes.
        either || nisba || typed.ends_with('ة') || !term.ends_with('ة')
    })
}

/// Whether every word of `typed` ending in ة is written with ة in `term` too; but for a
/// nisba in ية, as often an adjective agreeing with a feminine noun (جماعة جهادية, a
/// jihadist group) as a noun of its own (الجهادية, jihadism).
fn writes_each_ta_marbuta(typed: &[&str], term: &str) -> bool {
    let term: Vec<&str> = term.split_whitespace().collect();
    term.len() == typed.len()
        && typed.iter().zip(term).all(|(typed, term)| {
            !typed.ends_with('ة') || typed.ends_with("ية") || term.ends_with('ة')
        })
}

/// Another reading of Arabic words (see [`arabic_variants`]).
struct Variant {
    text: String,
    /// The position of the word replaced by its broken plural or singular from the plural
    /// table, and that form (as [`without_articles`] gives it).
    from_plural_table: Option<(usize, String)>,
}

/// `text`'s words normalized, each without the article: `القارب` and `قارب` alike.
/// Whether the normalized word `typed` is `written` (a term's word without its article)
/// after proclitics Arabic writes on it: `و` or `ف`, then `ب`, `ك` or `ل`, then the article
/// (`ل` and the article are `لل`).
fn writes(typed: &str, written: &str) -> bool {
    let Some(prefix) = typed.strip_suffix(written) else {
        return false;
    };
    let prefix = prefix
        .strip_prefix(['و', 'ف'])
        .unwrap_or(prefix)
        .replacen("لل", "لال", 1);
    let prefix = prefix.strip_prefix(['ب', 'ك', 'ل']).unwrap_or(&prefix);
    prefix.is_empty() || prefix == "ال"
}

fn without_articles(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(analysis::normalized_word)
        .map(|word| match word.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest.to_string(),
            _ => word,
        })
        .collect()
}

/// The broken plural or singular of an Arabic word, from the plural table.
fn plural_table_forms(word: &str) -> Vec<String> {
    let Some(normalized) = analysis::normalized_word(word) else {
        return vec![];
    };
    let stages = Stages {
        inflection: false,
        plural_table: true,
        verbs: false,
        root: false,
    };
    Morphology::builtin()
        .related_forms(&normalized, stages)
        .into_iter()
        .filter(|f| f.reason == Reason::PluralTable)
        .map(|f| f.text)
        .collect()
}

/// Reads one concept line: `ar: t; t | fr: t | en: t; t`.
fn parse_line(line: &str) -> Result<[Vec<String>; 3], String> {
    let mut terms: [Vec<String>; 3] = Default::default();
    let mut seen = [false; 3];
    for column in line.split('|') {
        let column = column.trim();
        let Some((code, list)) = column.split_once(':') else {
            return Err(format!(
                "`{column}` does not start with a language (`ar:`, `fr:` or `en:`)"
            ));
        };
        let code = code.trim();
        let Some(language) = Language::from_code(code) else {
            return Err(format!(
                "unknown language `{code}`: a column starts with `ar:`, `fr:` or `en:`"
            ));
        };
        if std::mem::replace(&mut seen[language.index()], true) {
            return Err(format!("`{code}:` appears twice on the line"));
        }
        for term in list.split(';').map(str::trim) {
            if term.is_empty() {
                return Err(format!("an empty term in `{code}:`"));
            }
            if term.contains(':') {
                return Err(format!(
                    "`{term}`: a term has no `:` (columns are separated by ` | `)"
                ));
            }
            terms[language.index()].push(term.to_string());
        }
        if terms[language.index()].len() > MAX_TERMS {
            return Err(format!(
                "more than {MAX_TERMS} terms in `{code}:`: a concept that large would turn one \
                 word into a huge query; split it"
            ));
        }
    }
    if seen.iter().filter(|s| **s).count() < 2 {
        return Err("a concept needs terms in two languages or more".into());
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_written_behind_the_proclitics_arabic_puts_on_it() {
        for typed in [
            "هجره",
            "الهجره",
            "والهجره",
            "بالهجره",
            "للهجره",
            "وللهجره",
            "فهجره",
        ] {
            assert!(writes(typed, "هجره"), "{typed}");
        }
        // Other letters before it make another word.
        for typed in ["مهجره", "الالهجره", "ببالهجره", "الهجرهم"] {
            assert!(!writes(typed, "هجره"), "{typed}");
        }
        assert!(writes("migration", "migration"));
        assert!(!writes("emigration", "migration"));
        // Letters alone cannot tell كمال (a name) from ك + مال ("like money"): the stemmed key
        // can, which strips no lone ك, so a concept of مال never comes up for كمال.
        assert!(writes("كمال", "مال"));
        let money = Glossary::parse("test", "ar: المال | en: money\n").unwrap();
        assert!(money.writes_word("المال", &[]));
        assert!(money.writes_word("بالمال", &[]));
        assert!(!money.writes_word("كمال", &[]));
    }

    const SAMPLE: &str = "\
# test glossary
ar: السياج الحدودي; الجدار الحدودي | fr: clôture frontalière | en: border fence; border wall
ar: مذكرة توقيف; مذكرة اعتقال | fr: mandat d'arrêt | en: arrest warrant
ar: التنصت | fr: écoutes téléphoniques | en: wiretapping; phone tapping
ar: قارب | fr: embarcation | en: boat
ar: برمجيات الفدية | fr: rançongiciel | en: ransomware
ar: قارب الصيد | en: fishing boat
ar: زي عسكري | en: military uniform
ar: زي | en: uniform
";

    fn glossary() -> Glossary {
        Glossary::parse("test.txt", SAMPLE).unwrap()
    }

    const BOTH: &[Language] = &[Language::Fr, Language::En];

    fn terms_to(g: &Glossary, text: &str, to: Language) -> Vec<String> {
        g.translations_of(text, BOTH)
            .into_iter()
            .filter(|t| t.to == to)
            .flat_map(|t| t.terms)
            .collect()
    }

    #[test]
    fn arabic_terms_are_found_under_a_proclitic_and_in_another_number() {
        let g = glossary();
        // `ب` on the first word: the analysis keeps it, the term is found without it.
        assert_eq!(
            terms_to(&g, "ببرمجيات الفدية", Language::En),
            ["ransomware"]
        );
        assert_eq!(
            terms_to(&g, "وبرمجيات الفدية", Language::Fr),
            ["rançongiciel"]
        );
        // A broken plural in a multi-word term, alone or after a proclitic.
        assert_eq!(terms_to(&g, "قوارب الصيد", Language::En), ["fishing boat"]);
        assert_eq!(terms_to(&g, "لقوارب الصيد", Language::En), ["fishing boat"]);
        // Two letters left are enough before the rest of a term (بزي عسكري).
        assert_eq!(
            terms_to(&g, "بزي عسكري", Language::En),
            ["military uniform"]
        );
        // Too little left once the letter is off, or a word that only starts like one.
        assert!(terms_to(&g, "بقا", Language::En).is_empty());
        assert!(terms_to(&g, "بزي", Language::En).is_empty());
        assert!(terms_to(&g, "لبرمجيات", Language::En).is_empty());
    }

    #[test]
    fn a_term_finds_the_other_languages_terms() {
        let g = glossary();
        assert_eq!(g.len(), 8);
        assert_eq!(
            terms_to(&g, "border fence", Language::Ar),
            ["السياج الحدودي", "الجدار الحدودي"]
        );
        assert_eq!(
            terms_to(&g, "border fence", Language::Fr),
            ["clôture frontalière"]
        );
        // Synonyms in the query's own language, without the term typed.
        assert_eq!(terms_to(&g, "border fence", Language::En), ["border wall"]);
        assert_eq!(terms_to(&g, "wiretapping", Language::En), ["phone tapping"]);
        let arabic = g.translations_of("السياج الحدودي", BOTH);
        assert!(arabic.iter().all(|t| t.from == Language::Ar));
        assert_eq!(arabic[0].entry, "test.txt:2");
    }

    #[test]
    fn terms_meet_query_words_after_analysis() {
        let g = glossary();
        // French accents and elision, English inflection, Arabic clitics and article.
        assert_eq!(
            terms_to(&g, "mandats d'arret", Language::En),
            ["arrest warrant"]
        );
        assert_eq!(
            terms_to(&g, "Arrest Warrants", Language::Fr),
            ["mandat d'arrêt"]
        );
        assert_eq!(
            terms_to(&g, "بالتنصت", Language::En),
            ["wiretapping", "phone tapping"]
        );
        assert_eq!(
            terms_to(&g, "مذكرات التوقيف", Language::Fr),
            ["mandat d'arrêt"]
        );
        // A broken plural finds its singular's concept.
        assert_eq!(terms_to(&g, "قوارب", Language::En), ["boat"]);
        // The form the plural table gives is a term's word as written, the other words match
        // by their stems: العربي's plural عرب shares a stem with عربة (cart), not a concept.
        let builtin = Glossary::builtin();
        let gang = terms_to(builtin, "قادة العصابات", Language::En);
        assert!(gang.contains(&"gang leader".to_string()), "{gang:?}");
        assert!(builtin.translations_of("العربي", BOTH).is_empty());
        assert!(!builtin.translations_of("عربة", BOTH).is_empty());
        // Words the stem confuses once ة is off: what is typed must agree with the term.
        let english = |text: &str| terms_to(builtin, text, Language::En);
        assert!(english("العرب").is_empty());
        assert!(english("العمل").is_empty());
        assert!(english("العملة").contains(&"currency".to_string()));
        assert!(english("الجامعة").contains(&"university".to_string()));
        // A word typed with ة that a concept writes so is not another's without it.
        assert!(!english("الجامعة").contains(&"mosque".to_string()));
        assert!(english("الجامع").contains(&"mosque".to_string()));
        assert!(
            !english("المحاكمة").contains(&"courts".to_string()),
            "{:?}",
            english("المحاكمة")
        );
        assert!(
            !english("مدرسة").iter().any(|t| t.contains("teacher")),
            "{:?}",
            english("مدرسة")
        );
        assert!(english("مهربة").contains(&"smuggler".to_string()));
        let fighters = terms_to(builtin, "المقاتلين", Language::Fr);
        assert!(fighters.contains(&"combattant".to_string()), "{fighters:?}");
        assert!(
            !fighters.contains(&"avion de chasse".to_string()),
            "{fighters:?}"
        );
        // Either gender of an adjective, a plural in ات, a dual: the same concept.
        assert_eq!(english("الإرهابية"), english("إرهابي"));
        assert!(!english("الخلايا الإرهابية").is_empty());
        // A stop word does not extend a term.
        assert!(g.translations_of("mandat d'arrêt de", BOTH).is_empty());
        assert!(g.translations_of("le mandat d'arrêt", BOTH).is_empty());
        assert!(!g.translations_of("المذكرة توقيف", BOTH).is_empty());
        // Part of a term is not the term.
        assert!(g.translations_of("fence", BOTH).is_empty());
        assert!(g.translations_of("border", BOTH).is_empty());
    }

    #[test]
    fn the_query_says_which_latin_language_its_words_are_in() {
        assert_eq!(latin_languages("drones chargés de drogue"), [Language::Fr]);
        assert_eq!(latin_languages("the border fence"), [Language::En]);
        assert_eq!(latin_languages("border fence"), BOTH);
        assert_eq!(latin_languages("خلية إرهابية"), BOTH);
        // The operators are syntax, not the English words `or`, `and`, `not`.
        assert_eq!(latin_languages("drogue (de OR la)"), [Language::Fr]);
        assert_eq!(latin_languages("border AND NOT fence"), BOTH);
        assert_eq!(latin_languages("border or fence"), [Language::En]);
        // `chargés` is the French word, not English `charged`.
        let g =
            Glossary::parse("t.txt", "ar: تهمة | fr: chef d'accusation | en: charged\n").unwrap();
        assert!(
            g.translations_of("chargés", latin_languages("chargés de drogue"))
                .is_empty()
        );
        assert!(
            !g.translations_of("charged", latin_languages("charged with"))
                .is_empty()
        );
    }

    #[test]
    fn malformed_lines_name_the_line_and_the_reason() {
        let many: Vec<String> = (0..=MAX_TERMS).map(|i| format!("word{i}")).collect();
        let huge = format!("ar: سجن | en: {}", many.join("; "));
        let cases = [
            ("ar: سجن | xx: prison", "unknown language `xx`"),
            ("ar: سجن", "two languages or more"),
            ("ar: سجن | fr: prison | fr: geôle", "`fr:` appears twice"),
            ("ar: سجن; | en: prison", "an empty term"),
            ("سجن | en: prison", "does not start with a language"),
            ("ar: سجن | en: the", "only stop words"),
            (&huge, "more than 32 terms in `en:`"),
        ];
        for (line, reason) in cases {
            let text = format!("# header\n\n{line}\n");
            let err = Glossary::parse("mine.txt", &text).unwrap_err();
            assert_eq!(err.line, Some(3), "{line}: {err}");
            assert!(err.to_string().starts_with("mine.txt:3: "), "{err}");
            assert!(err.to_string().contains(reason), "{line}: {err}");
        }
    }

    #[test]
    fn terms_that_analyze_alike_are_searched_once() {
        let g = Glossary::parse(
            "dup.txt",
            "ar: المذكرة; مذكرة | fr: mandat; mandats | en: warrant; warrants\n",
        )
        .unwrap();
        // Each inflection would add its score again: the first written stands for all.
        assert_eq!(terms_to(&g, "warrant", Language::Fr), ["mandat"]);
        assert_eq!(terms_to(&g, "mandat", Language::En), ["warrant"]);
        // Arabic spellings with and without the article find other proclitic forms.
        assert_eq!(terms_to(&g, "warrant", Language::Ar), ["المذكرة", "مذكرة"]);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let g = Glossary::parse("bom.txt", "\u{feff}ar: زورق | en: speedboat\n").unwrap();
        assert_eq!(terms_to(&g, "speedboat", Language::Ar), ["زورق"]);
    }

    #[test]
    fn user_concepts_join_the_built_in_ones() {
        let mine = Glossary::parse("mine.txt", "ar: زورق | en: speedboat\n").unwrap();
        let merged = glossary().merged(&mine);
        assert_eq!(merged.len(), 9);
        assert_eq!(terms_to(&merged, "speedboat", Language::Ar), ["زورق"]);
        assert_eq!(terms_to(&merged, "boat", Language::Ar), ["قارب"]);
        // A concept repeated by the user's file gives its terms once.
        let again = Glossary::parse("again.txt", "ar: قارب | en: boat; dinghy\n").unwrap();
        let merged = glossary().merged(&again);
        assert_eq!(terms_to(&merged, "dinghy", Language::Ar), ["قارب"]);
        assert_eq!(terms_to(&merged, "boat", Language::Ar), ["قارب"]);
    }

    #[test]
    fn the_built_in_glossary_keys_are_up_to_date() {
        let keys = Precomputed::write(BUILTIN_GLOSSARY, BUILTIN_HASH);
        if std::env::var_os("RASD_UPDATE_GLOSSARY_KEYS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BUILTIN_KEYS_PATH);
            std::fs::write(&path, &keys).unwrap();
            return;
        }
        assert!(
            keys == BUILTIN_KEYS,
            "{BUILTIN_KEYS_PATH} is out of date (the glossary or the analyzer changed): write it \
             again with `RASD_UPDATE_GLOSSARY_KEYS=1 cargo test --lib search::glossary`"
        );
        assert!(Glossary::precomputed().is_some());
        assert!(Glossary::builtin().builtin.is_some());
    }

    #[test]
    fn stale_or_malformed_keys_are_not_used() {
        assert!(Precomputed::read(BUILTIN_KEYS, BUILTIN_HASH).is_some());
        // Another glossary's keys.
        assert!(Precomputed::read(BUILTIN_KEYS, "0000000000000000").is_none());
        // Another analyzer's.
        let header = format!(" {ANALYZER_VERSION} ");
        let older = BUILTIN_KEYS.replacen(&header, &format!(" {} ", ANALYZER_VERSION + 1), 1);
        assert!(Precomputed::read(Box::leak(older.into_boxed_str()), BUILTIN_HASH).is_none());
        // No header, or a header that is not one.
        let hash = "h";
        let cases = [
            "glossary h 5 1\nen\tb\t3:0\n",
            "glossary h 5 x 1\n",
            "keys h 5 1 1\n",
            "# only a comment\n",
            "",
        ];
        for keys in cases {
            let keys = keys.replace(" 5 ", &format!(" {ANALYZER_VERSION} "));
            let keys: &'static str = Box::leak(keys.into_boxed_str());
            assert!(Precomputed::read(keys, hash).is_none(), "{keys:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_binary_search_finds_every_line_and_nothing_else(
            keys in proptest::collection::btree_set(
                (0..3usize, "[a-zé ءاب\u{0600}-\u{06ff}]{1,12}"),
                0..60,
            ),
            absent in "[a-zé ءاب]{1,12}",
        ) {
            // Sorted by language, then key: as the keys file is.
            let body: String = keys
                .iter()
                .map(|(language, key)| format!("{}\t{key}\t1:0\n", Language::ALL[*language]))
                .collect();
            let body: &'static str = Box::leak(body.into_boxed_str());
            let keys_file = Precomputed { body, concepts: 1, longest: 1 };
            for (language, key) in &keys {
                let language = Language::ALL[*language];
                let expected = format!("{language}\t{key}\t1:0");
                proptest::prop_assert_eq!(keys_file.find(language, key), Some(expected.as_str()));
            }
            for language in Language::ALL {
                let listed = keys.contains(&(language.index(), absent.clone()));
                proptest::prop_assert_eq!(keys_file.find(language, &absent).is_some(), listed);
            }
        }
    }

    #[test]
    fn precomputed_keys_find_what_the_analyzed_glossary_finds() {
        // Every term of the built-in glossary, looked up through the precomputed keys and
        // through keys computed from the text, in its own language and in another script.
        let precomputed = Glossary::builtin();
        let analyzed = Glossary::read(BUILTIN_ORIGIN, BUILTIN_GLOSSARY, None).unwrap();
        assert!(precomputed.builtin.is_some() && analyzed.builtin.is_none());
        assert_eq!(precomputed.len(), analyzed.len());
        assert_eq!(precomputed.longest_term(), analyzed.longest_term());
        let mut looked_up = 0;
        for concept in &analyzed.parsed.concepts {
            for language in Language::ALL {
                for term in &concept.terms[language.index()] {
                    let latin: &'static [Language] = match language {
                        Language::Ar => BOTH,
                        Language::Fr => &[Language::Fr],
                        Language::En => &[Language::En],
                    };
                    assert_eq!(
                        precomputed.translations_of(term, latin),
                        analyzed.translations_of(term, latin),
                        "{term}"
                    );
                    looked_up += 1;
                }
            }
        }
        assert!(looked_up > 8_000, "{looked_up}");
        // Plural table forms, words in no concept.
        for text in ["قوارب", "مهربين", "zzzqqq", "الحدود"] {
            assert_eq!(
                precomputed.translations_of(text, BOTH),
                analyzed.translations_of(text, BOTH),
                "{text}"
            );
        }
    }

    #[test]
    fn user_concepts_join_the_precomputed_ones() {
        // A concept the built-in glossary does not have.
        let mine = Glossary::parse("mine.txt", "ar: زوربلاكس | en: zorblax\n").unwrap();
        let merged = Glossary::builtin().merged(&mine);
        assert_eq!(merged.len(), Glossary::builtin().len() + 1);
        assert_eq!(terms_to(&merged, "zorblax", Language::Ar), ["زوربلاكس"]);
        let border = terms_to(&merged, "border fence", Language::Ar);
        assert!(border.contains(&"السياج الحدودي".to_string()), "{border:?}");
        let entry = &merged.translations_of("zorblax", BOTH)[0].entry;
        assert_eq!(entry, "mine.txt:1");
    }

    #[test]
    fn the_built_in_glossary_is_valid() {
        // Read as a user's file is: every term analyzes to something.
        Glossary::parse(BUILTIN_ORIGIN, BUILTIN_GLOSSARY).unwrap();
        let builtin = Glossary::builtin();
        assert!(!builtin.is_empty());
        assert!(builtin.longest_term() >= 2);
    }
}
