//! Names across scripts without a dictionary: a name-like query word also finds its spelling
//! in the other script, through the transliteration keys the index holds (`title_names`,
//! `body_names`; see [`crate::analysis::names`]). `Lahlou` finds لحلو and `الزفزافي` finds
//! Zefzafi; `"El Khalfi"` finds الخلفي.
//!
//! Precision first: only name-like words are looked up (a Latin word written with a capital,
//! an Arabic word that is no plural noun; neither a stop word nor a word the glossary writes
//! as a term), a key needs three consonant
//! classes, a Latin word looks up keys of Arabic words only and the reverse (but for a name
//! written over several words, `Ben Slimane`, whose joined key also finds Benslimane), and
//! key matches weigh [`NAME_BOOST`], below the word as written.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::query_grammar::{Delimiter, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analysis::morphology::Morphology;
use crate::analysis::names::{self, ARABIC_MARK, Ending, Form, LATIN_MARK, VOWELS_AT, Vowels};
use crate::analysis::normalizer::normalize_word;
use crate::analysis::{self, WordLists};
use crate::error::{Context, Error};
use crate::search::aliases::AliasTable;
use crate::search::fuzzy;
use crate::search::glossary::{Glossary, Language};
use crate::search::order;
use crate::store::RasdIndex;

/// The most words of one name written over several query words (`Abd el Kader`).
const MAX_NAME_WORDS: usize = 3;

/// Weight of a match by transliteration relative to the word as written.
pub const NAME_BOOST: f32 = 0.3;

/// The key classes of the one-letter proclitics the index keeps on an Arabic word (`ب ف ك ل`;
/// `و` is a vowel and drops out of every key): `بخريبكة` (in Khouribga) keys `BXRBK`.
const PROCLITIC_CLASSES: [char; 4] = ['B', 'F', 'K', 'L'];

/// The fewest classes a key needs to meet few words of other meanings: with three, `Nador`
/// (`NDR`) would find بندر (Bandar) after a proclitic, and finds نادرة ("rare"). A shorter key
/// looks up no proclitic forms, and a Latin name of the alias table with one looks up none at
/// all (see [`NotNames::with_aliases`]).
const MIN_PROCLITIC_KEY_LETTERS: usize = 4;

/// The most classes a key has for its Arabic spellings' form to be checked (see
/// [`LatinName`]): the common words that key like a name have three or four (`الحكومة` and
/// `Hakim`, `HKM`; `الطريق` and `Tarik`); a longer key meets few, and finds foreign names the
/// Arabic press writes with the article (`Interpol`, الانتربول).
const MAX_FORM_CHECKED_LETTERS: usize = 4;

/// A query word or name matched by transliteration.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NameKey {
    /// The word or name as written.
    pub name: String,
    /// Its key, marked with the script it looks up (`a`: Arabic spellings, `l`: Latin ones).
    pub key: String,
    /// What the spellings it looks up must have of vowels and form to weigh in full.
    #[serde(skip)]
    pub rule: SpellingRule,
    /// The words of the query literal it stands for: a quoted name's match by keys needs a
    /// key for each of its words (see [`name_query`]).
    #[serde(skip)]
    pub words: std::ops::Range<usize>,
}

/// The weight of a spelling whose vowels or form disagree with the name's (see
/// [`SpellingRule`]), relative to one that agrees: most are other words (`مخاطر`, risks, for
/// `Mokhtar`; `الحكومة`, the government, for `Hakim`), some are the name as another region
/// says or writes it (`امبارك`, Mbarek, for `Mabrouk`; `الحسيني` for `Husseini`), so they
/// are still found, below.
pub const DISAGREEING_SPELLING: f32 = 0.2;

impl NameKey {
    /// Whether a term of the index's name-key fields is a spelling this key finds, as a
    /// search looks it up (its key, and after a proclitic too), whatever its vowels.
    pub fn finds(&self, term: &str) -> bool {
        spelling_of(&looked_up(self), term, &|_| true).is_some()
    }

    /// Whether [`Self::finds`] the spelling `term` with vowels and form that agree, at full
    /// weight, in an index that holds the terms `indexed` says it holds (see
    /// [`spelling_of`]).
    pub fn agrees(&self, term: &str, indexed: &dyn Fn(&str) -> bool) -> bool {
        spelling_of(&looked_up(self), term, indexed) == Some(true)
    }

    /// Whether the key looks up the other script's spellings (not, as for a name joined from
    /// several words, its own: `Ben Slimane`, Benslimane).
    pub fn crosses_scripts(&self) -> bool {
        self.rule != SpellingRule::Any
    }
}

/// What a key's spellings must have to weigh in full (see [`names::Vowels`], [`Form`] and
/// [`DISAGREEING_SPELLING`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpellingRule {
    /// A Latin name looking up Arabic spellings, with the places of its vowels and what its
    /// letters write of a word's form: their long vowels stand at some of those places
    /// (`Lebanon` finds لبنان in full, `Libyan` below), and their form is one the name
    /// writes (`Hakim` finds حكيم in full, الحكومة below).
    /// A long key meets few words of other meanings: its spellings' form is not checked
    /// (`None`; `Interpol` finds الانتربول in full).
    Within(Vowels, Option<LatinName>),
    /// An Arabic name looking up Latin spellings, with the places of its long vowels: they
    /// write a vowel at each (`لبنان` finds Lebanon in full, Libyan below).
    Covering(Vowels),
    /// A name looking up its spellings in its own script (`Ben Slimane`, Benslimane): any.
    Any,
}

impl SpellingRule {
    /// Whether a spelling whose vowels stand at `found`, of form `form`, is one the rule
    /// accepts.
    fn accepts(self, found: Vowels, form: Form) -> bool {
        match self {
            SpellingRule::Within(latin, name) => {
                names::vowels_agree(found, latin) && name.is_none_or(|name| name.writes(form))
            }
            SpellingRule::Covering(arabic) => names::vowels_agree(arabic, found),
            SpellingRule::Any => true,
        }
    }

    /// The same rule for a Latin name written after the article as a word of its own (`El
    /// Hakim`): its Arabic spellings may have one.
    fn with_article(self) -> SpellingRule {
        match self {
            SpellingRule::Within(latin, Some(name)) => SpellingRule::Within(
                latin,
                Some(LatinName {
                    article: true,
                    ..name
                }),
            ),
            other => other,
        }
    }

    /// The rule for the key with a one-letter proclitic's class before it: every place one
    /// further on, and the place after the proclitic free, where the word's own first vowel
    /// stands (`بامحمد`, and `Mhamed`), which is not marked without one.
    fn after_proclitic(self) -> SpellingRule {
        match self {
            SpellingRule::Within(latin, name) => SpellingRule::Within(latin << 1 | 0b10, name),
            SpellingRule::Covering(arabic) => SpellingRule::Covering(arabic << 1),
            SpellingRule::Any => SpellingRule::Any,
        }
    }
}

/// What a Latin name's letters say of the form of its Arabic spelling (see [`Form`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LatinName {
    /// The name is written with the article (`El Khalfi`, `Elkhalfi`, `al-Raheb`).
    pub article: bool,
    /// The Arabic ending its last letters write: `ة` for `a`, `e`, `ah`, `eh` (`Khouribga`,
    /// `Sousse`, `Fallujah`); `ي` for `i` and `y` (`Zefzafi`); none after a consonant, nor
    /// for a silent `e` after `n` or `m` (`Othmane`).
    pub ending: Ending,
}

impl LatinName {
    /// The form of the name whose last word is `last` (normalized: lowercase, unaccented),
    /// with the article or not.
    fn of(last: &str, article: bool) -> LatinName {
        // A French `e` after `n` or `m` is silent: `Othmane`, `Amine`, `Slimane` end in a
        // consonant (عثمان, أمين), and are no `ة` (ثمانية, eight; الائتمانية, credit).
        let silent_e = ["ne", "me"].iter().any(|e| last.ends_with(e));
        let ending = if silent_e {
            Ending::Other
        } else if ["a", "e", "ah", "eh"].iter().any(|e| last.ends_with(e)) {
            Ending::TehMarbuta
        } else if last.ends_with(['i', 'y']) {
            Ending::Yeh
        } else {
            Ending::Other
        };
        LatinName { article, ending }
    }

    /// Whether an Arabic word of `form` is one this name writes. A name without the article
    /// is written without it, unless its ending says the word is an adjective or a place
    /// written with it (`Zefzafi`, الزفزافي; `Hoceima`, الحسيمة): a first name or surname
    /// has none (`حكيم`), the common words that key alike mostly do (`الحكومة`, `الطريق`,
    /// `الإرهاب` for `Hakim`, `Tarik`, `Raheb`). (A word the archive writes only with the
    /// article comes here without it: see [`spelling_of`].) And a word in `ة` is written
    /// with a final vowel (`حكومة` is no `Hakim`).
    fn writes(self, form: Form) -> bool {
        let article = !form.article
            || self.article
            || (form.ending != Ending::Other && form.ending == self.ending);
        let ending = form.ending != Ending::TehMarbuta || self.ending == Ending::TehMarbuta;
        article && ending
    }
}

/// What tells a name from the other words of a query.
#[derive(Clone, Copy)]
pub struct NotNames<'a> {
    /// The stop words of the three languages.
    lists: &'a WordLists,
    /// A glossary: its terms are the news's common words, and it holds no names (they are in
    /// the alias table).
    glossary: &'a Glossary,
    /// The languages the query's Latin-script words are read in.
    latin: &'static [Language],
    /// The alias table the search expands names with, if it does (see
    /// [`NotNames::with_aliases`]).
    aliases: Option<&'a AliasTable>,
}

impl<'a> NotNames<'a> {
    /// The stop words of `lists` and the terms of the search's `glossary`, their Latin-script
    /// words read in `latin`; with no glossary (`--no-glossary`), of the built-in one: its
    /// words are common words still, translated or not.
    pub fn new(
        lists: &'a WordLists,
        glossary: &'a Glossary,
        latin: &'static [Language],
    ) -> NotNames<'a> {
        let glossary = if glossary.is_empty() {
            Glossary::builtin()
        } else {
            glossary
        };
        NotNames {
            lists,
            glossary,
            latin,
            aliases: None,
        }
    }

    /// The same, and the names of `aliases`, which the search expands: a Latin name of three
    /// consonant classes that the table spells in Arabic in one word finds its Arabic
    /// spellings through the table, which knows them, not by its key, which also finds the
    /// many Arabic words that key alike (`Rabat` finds الرباط as its alias, and no longer
    /// يربط, "links", or الرابطة, "the league"). A longer key meets few other words, and finds
    /// the press's other spellings the table does not list (`Nouakchott`: انواكشوط; `Istanbul`:
    /// إستانبول): it stays. So does the key of a name the table spells in Arabic only in
    /// several words (`Tunis`, تونس العاصمة, still finds تونس), and an Arabic name's:
    /// capitalised Latin words that key alike are few, and a name the table gives one meaning
    /// may have another (تونس is Tunisia in the table, and Tunis).
    pub fn with_aliases(self, aliases: &'a AliasTable) -> NotNames<'a> {
        NotNames {
            aliases: Some(aliases),
            ..self
        }
    }

    /// Whether the alias table the search expands spells Latin `name` in Arabic in one word.
    fn spelt_in_arabic_by_table(&self, name: &str) -> bool {
        self.aliases
            .is_some_and(|aliases| aliases.has_one_word_arabic_alias(name))
    }
}

/// Whether a word, as typed, can be a name: a Latin word with a capital, or an Arabic word
/// that is no plural noun (قوارب would find `Groupe`, الأسلحة `Salah`); no stop word, and,
/// typed `alone` (not in a quoted name of several words: `"أبو مهدي المهندس"`), no word the
/// glossary writes as a term by itself (الهجرة, migration, found `Abu Hacker` by its key
/// `HKR`).
fn name_like(word: &str, not_names: NotNames, alone: bool) -> bool {
    let stop = is_stop_word(
        &analysis::normalized_word(word).unwrap_or_default(),
        not_names.lists,
    );
    let arabic = word.starts_with(|c: char| ('\u{0621}'..='\u{064A}').contains(&c));
    let name = if arabic {
        !Morphology::builtin().is_plural_noun(&normalize_word(word))
    } else {
        names::is_latin_name_like(word)
    };
    !stop && name && !(alone && not_names.glossary.writes_word(word, not_names.latin))
}

/// Whether a normalized word is a stop word of any of the three languages.
fn is_stop_word(normalized: &str, lists: &WordLists) -> bool {
    [
        &lists.stopwords_ar,
        &lists.stopwords_fr,
        &lists.stopwords_en,
    ]
    .iter()
    .any(|list| {
        list.binary_search_by(|w| w.as_str().cmp(normalized))
            .is_ok()
    })
}

/// The keys a literal the user wrote looks up: one per name-like word of a word or quoted
/// name, and the joined keys of particles (`"Ben Slimane"`). Exact, prefix and field-bound
/// literals: none. A name of several words gets none unless each of its words has a key or a
/// name spanning it does (particles and stop words aside): `"ياسين المنصوري"` has no key for
/// ياسين (too few consonants), and by المنصوري's alone it found Karim Mansouri.
pub fn name_keys(literal: &UserInputLiteral, not_names: NotNames) -> Vec<NameKey> {
    literal_keys(literal, not_names, true)
}

/// Adds to each part's keys those of the spelling variants the index has of its `word~`
/// (`variants`: by the word as typed, only for a word the index does not have) that begin with
/// its letter, when the word is read as a name itself, written with the typed word's first
/// capital: a name misspelt in one script (`Belmoktar~`) finds its
/// spelling there (`Belmokhtar`), and through it the other script's (`بلمختار`), which the
/// misspelling's own key misses.
pub fn add_spelling_variant_keys(
    keys: &mut [Vec<NameKey>],
    literals: &[Option<&UserInputLiteral>],
    variants: &[(String, Vec<String>)],
    not_names: NotNames,
) {
    for (keys, literal) in keys.iter_mut().zip(literals) {
        let Some(literal) = literal else {
            continue;
        };
        let Ok(Some((word, _))) = fuzzy::parse_fuzzy(&literal.phrase) else {
            continue;
        };
        // Only for a word read as a name itself (not `Court~`, a common word), and only its
        // variants that begin as it does: a misspelt name keeps its first letter more often
        // than a common word's variants share it (`Port~` and `Short`). A Latin word typed in
        // lower case is read as it would be with a capital (`belmoktar~` as `Belmoktar~`):
        // asking for its spellings, the `~` says it is a word to look for, not a plain one.
        // (Arabic letters have no case.)
        let lower_latin = word.chars().next().is_some_and(char::is_lowercase);
        let as_name = |phrase: String| UserInputLiteral {
            phrase,
            ..(*literal).clone()
        };
        let reads_as_name = !keys.is_empty()
            || (lower_latin && !name_keys(&as_name(capitalized(word)), not_names).is_empty());
        if !reads_as_name {
            continue;
        }
        let first = |w: &str| w.chars().next().map(|c| c.to_lowercase().to_string());
        let capital = lower_latin || word.chars().next().is_some_and(char::is_uppercase);
        for variant in variants.iter().filter(|(typed, _)| typed == word) {
            for spelling in variant.1.iter().filter(|s| first(s) == first(word)) {
                let phrase = match capital {
                    true => capitalized(spelling),
                    false => spelling.clone(),
                };
                for key in name_keys(&as_name(phrase), not_names) {
                    if !keys.iter().any(|k| k.key == key.key) {
                        keys.push(key);
                    }
                }
            }
        }
    }
}

/// `word` with its first letter upper case.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// [`name_keys`], with the rule on a name's every word or without it (`every_word`).
fn literal_keys(literal: &UserInputLiteral, not_names: NotNames, every_word: bool) -> Vec<NameKey> {
    let plain = literal.field_name.is_none() && !literal.prefix;
    let one_name =
        literal.delimiter == Delimiter::None || literal.phrase.split_whitespace().count() <= 4;
    if !plain || !one_name {
        return vec![];
    }
    // Cut into words as the index cuts articles: `al-Assad` and `M'hidi` are two words.
    let phrase = literal.phrase.as_str();
    let found = analysis::normalized_words(phrase);
    let words: Vec<&str> = found.iter().map(|(_, word)| word.as_str()).collect();
    let mut keys: Vec<NameKey> = Vec::new();
    let mut found_keys = names::name_keys(&words);
    for reading in other_g_readings(&words) {
        let reading: Vec<&str> = reading.iter().map(String::as_str).collect();
        found_keys.extend(names::name_keys(&reading));
    }
    for (start, len, term) in found_keys {
        let last = &phrase[found[start + len - 1].0.clone()];
        if !name_like(last, not_names, words.len() == 1) {
            continue;
        }
        let name = &phrase[found[start].0.start..found[start + len - 1].0.end];
        let arabic = last.starts_with(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c));
        let (key, vowels, form) = names::split_term(&term);
        let short = key.chars().count() < MIN_PROCLITIC_KEY_LETTERS;
        if short && !arabic && not_names.spelt_in_arabic_by_table(name) {
            continue;
        }
        let key = key.to_string();
        // The other script's spellings.
        let (mark, rule) = if arabic {
            (LATIN_MARK, SpellingRule::Covering(vowels))
        } else {
            // Glued (`Elkhalfi`) or a word of its own (`El Khalfi`, `al-Raheb`).
            let article = form.article || start > 0 && names::is_latin_article(words[start - 1]);
            let name = LatinName::of(words[start + len - 1], article);
            let short = key.chars().count() <= MAX_FORM_CHECKED_LETTERS;
            (
                ARABIC_MARK,
                SpellingRule::Within(vowels, short.then_some(name)),
            )
        };
        let other_ending = teh_marbuta_key(words[start + len - 1], &key, arabic);
        // The Latin keys read every `g` as `ق ك`: an Arabic ج or غ also looks up that.
        let latin_g = arabic
            .then(|| key.replace(['J', 'G'], "K"))
            .filter(|other| *other != key);
        for key in std::iter::once(key).chain(other_ending).chain(latin_g) {
            let key = format!("{mark}{key}");
            if !keys.iter().any(|k| k.key == key) {
                keys.push(NameKey {
                    name: name.to_string(),
                    key,
                    rule,
                    words: start..start + len,
                });
            }
        }
    }
    // A word of the table without a key is uncovered too: the table spells it, but only as
    // the word alone, and a quoted `"Fnideq-Dakar"` found by Fnideq's key alone matched
    // every article naming Fnideq.
    let uncovered = |i: usize| {
        !keys.iter().any(|k| k.words.contains(&i))
            && !names::is_particle(words[i])
            && !is_stop_word(words[i], not_names.lists)
    };
    if every_word && words.len() > 1 && (0..words.len()).any(uncovered) {
        return vec![];
    }
    keys
}

/// The query's words with each Latin `g` read as `ج` (Egyptian `Gamal`, French `Tanger`)
/// and as `غ` (Sahel `Agadez`), where the keys read it as `ق ك` (Moroccan `Khouribga`); none
/// when no word has a `g` outside `gh`. The index keys the article's `g` one way: a search
/// looks up the others.
fn other_g_readings(words: &[&str]) -> Vec<Vec<String>> {
    let has_g = |w: &str| w.replace("gh", "").contains('g');
    if !words.iter().any(|w| has_g(w)) {
        return vec![];
    }
    let read = |with: &str| {
        words
            .iter()
            .map(|w| match has_g(w) {
                true => w
                    .replace("gh", "\u{1}")
                    .replace('g', with)
                    .replace('\u{1}', "gh"),
                false => w.to_string(),
            })
            .collect()
    };
    vec![read("j"), read("gh")]
}

/// The key of the name's other spelling of a final ة, which the keys leave out on the Arabic
/// side and English writes `-ah` or `-eh` (`الفلوجة`, Fallujah; `بعقوبة`, Baqubah): for an
/// Arabic word in ة, its key with the `h`; for a Latin word in `-ah` or `-eh`, its key without
/// it, when three classes remain. A Latin `h` stays in the word's own key: it is as often
/// `ح` (`Salah`, صلاح). `word` is normalized: ة written ه, Latin lowercased and unaccented.
fn teh_marbuta_key(word: &str, key: &str, arabic: bool) -> Option<String> {
    if arabic {
        (word.ends_with('ه') && !key.ends_with('H')).then(|| format!("{key}H"))
    } else {
        let in_ah = word.ends_with("ah") || word.ends_with("eh");
        let rest = key.strip_suffix('H')?;
        (in_ah && rest.len() >= names::MIN_KEY_LETTERS).then(|| rest.to_string())
    }
}

/// The keys each top-level part of a query looks up, from the part's word when it is a
/// single word or phrase (`None` for other parts): a word gets its own keys, and each part of
/// a name written over several such parts (`Ben Slimane`, `Ould Sidi`) the joined key, in
/// both scripts. Alternatives (`apart`: `Ben OR Slimane`) are never parts of one name.
pub fn part_name_keys(
    literals: &[Option<&UserInputLiteral>],
    apart: &[bool],
    not_names: NotNames,
) -> Vec<Vec<NameKey>> {
    let mut keys: Vec<Vec<NameKey>> = literals
        .iter()
        .map(|l| {
            l.as_ref()
                .map_or_else(Vec::new, |l| name_keys(l, not_names))
        })
        .collect();
    // A name over several plain words: look up each start's next words as one quoted name
    // and keep the keys that join words; they go on the part of the name's last word.
    let plain = |l: &Option<&UserInputLiteral>| {
        l.as_ref()
            .is_some_and(|l| l.delimiter == Delimiter::None && l.field_name.is_none() && !l.prefix)
    };
    for start in 0..literals.len() {
        let end = (start..literals.len().min(start + MAX_NAME_WORDS))
            .take_while(|&i| plain(&literals[i]) && !apart.get(i).copied().unwrap_or(false))
            .last();
        let Some(end) = end.filter(|&end| end > start) else {
            continue;
        };
        let words: Vec<&str> = literals[start..=end]
            .iter()
            .flatten()
            .map(|l| l.phrase.as_str())
            .collect();
        let window = UserInputLiteral {
            phrase: words.join(" "),
            delimiter: Delimiter::DoubleQuotes,
            ..literals[start].expect("plain words are literals").clone()
        };
        // The window's words need no key each: a joined name is what is looked for.
        for key in literal_keys(&window, not_names, false) {
            let spanned = key.name.split_whitespace().count();
            let from_start = words[..spanned].join(" ") == key.name;
            if spanned < 2 || !from_start {
                continue;
            }
            // The name written in one word in either script (بنسليمان, Benslimane) has every
            // word of the name: each part finds it, as another key of the part's one word.
            for key in [same_script(&key), key] {
                let key = NameKey { words: 0..1, ..key };
                for part in &mut keys[start..start + spanned] {
                    if !part.iter().any(|k| k.key == key.key) {
                        part.push(key.clone());
                    }
                }
            }
        }
    }
    // The article written apart before a name (`El Khalfi`): the Arabic spelling writes it
    // joined (الخلفي), so the name's keys stand for it too, or `--all` needed the word `el`.
    for i in 1..literals.len() {
        let article =
            literals[i - 1].filter(|l| plain(&Some(*l)) && names::is_latin_article(&l.phrase));
        if article.is_some() && !apart[i - 1] && !apart[i] && keys[i - 1].is_empty() {
            for key in &mut keys[i] {
                key.rule = key.rule.with_article();
            }
            keys[i - 1] = keys[i].clone();
        }
    }
    keys
}

/// The key of a name joined from several words, looking up the script it was typed in: `Ben
/// Slimane` also finds Benslimane, the particle and the name written as one word.
fn same_script(key: &NameKey) -> NameKey {
    let (mark, rest) = key.key.split_at(1);
    let other = if mark.starts_with(ARABIC_MARK) {
        LATIN_MARK
    } else {
        ARABIC_MARK
    };
    NameKey {
        name: key.name.clone(),
        key: format!("{other}{rest}"),
        rule: SpellingRule::Any,
        words: key.words.clone(),
    }
}

/// The keys a name key looks up, with the vowels their spellings need: the key, and for a
/// long enough key looking up Arabic spellings also the key after each one-letter proclitic,
/// since the index keys `بخريبكة` as written (many names start with those letters, so the
/// index cannot strip them).
fn looked_up(key: &NameKey) -> Vec<(String, SpellingRule)> {
    let mut keys = vec![(key.key.clone(), key.rule)];
    if let Some(rest) = key.key.strip_prefix(ARABIC_MARK)
        && rest.chars().count() >= MIN_PROCLITIC_KEY_LETTERS
    {
        keys.extend(PROCLITIC_CLASSES.iter().map(|class| {
            (
                format!("{ARABIC_MARK}{class}{rest}"),
                key.rule.after_proclitic(),
            )
        }));
    }
    keys
}

/// Whether an index term of the name-key fields is a spelling of a looked-up key: `None` when
/// not, else whether its vowels and form agree (see [`SpellingRule`]), in an index that holds
/// the terms `indexed` says it holds. A word the archive writes with the article and never
/// without (no term of the same key, vowels and ending without it) has it as part of its
/// name, as a place or family does (`الصخيرات`, Skhirat; `القيروان`, Kairouan): only a word
/// also written bare is a common noun that took the article (`الحكومة`, and `حكومة`).
fn spelling_of(
    looked: &[(String, SpellingRule)],
    term: &str,
    indexed: &dyn Fn(&str) -> bool,
) -> Option<bool> {
    let (key, vowels, mut form) = names::split_term(term);
    if form.article {
        let bare = Form {
            article: false,
            ..form
        };
        form.article = indexed(&names::term_of(key, vowels, bare));
    }
    let mut agreements = (looked.iter())
        .filter(|(wanted, _)| wanted == key)
        .map(|(_, rule)| rule.accepts(vowels, form));
    let first = agreements.next()?;
    Some(first || agreements.any(|agrees| agrees))
}

/// The terms of `field` in the index that the looked-up keys find, with the number of
/// documents holding each: those of each key, the terms that start with it and
/// [`VOWELS_AT`].
fn found_terms(
    searcher: &Searcher,
    field: Field,
    looked: &[(String, SpellingRule)],
) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    // Each key once: a key looked up twice (by two of a word's keys) would count its
    // spellings' documents twice.
    let keys: BTreeSet<&str> = looked.iter().map(|(key, _)| key.as_str()).collect();
    for key in keys {
        let from = format!("{key}{VOWELS_AT}");
        // The character after the separator ends the range of the key's terms.
        let until = format!("{key}{}", char::from(VOWELS_AT as u8 + 1));
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let range = inverted.terms().range().ge(&from).lt(&until);
            let Ok(mut stream) = range.into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    found
}

/// The BM25 inverse document frequency of a term in `doc_freq` of `docs` documents, as
/// tantivy computes it (its own `bm25::idf` is private to the crate).
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let doc_freq = doc_freq.min(docs);
    let rarity = ((docs - doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + rarity).ln()
}

/// The queries of a key's spellings in `field`, each weighted so that it ranks with the rarity
/// of all of them together (a spelling's vowels make a term of their own in the index, and a
/// rare one, `وسيحال`, will be referred, for `Sahel`, in one article, would otherwise weigh far
/// more than the common one, `الساحل`, in fifty), and by [`DISAGREEING_SPELLING`] when its vowels or form
/// disagree.
fn spelling_queries(
    field: Field,
    found: &BTreeMap<String, u64>,
    indexed: &dyn Fn(&str) -> bool,
    docs: u64,
    looked: &[(String, SpellingRule)],
) -> Vec<Box<dyn Query>> {
    let together: u64 = found.values().sum();
    found
        .iter()
        .map(|(term, &doc_freq)| {
            let agrees = spelling_of(looked, term, indexed) == Some(true);
            let weight = spelling_weight(doc_freq, together, docs, agrees);
            let term = Term::from_field_text(field, term);
            let query = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            Box::new(BoostQuery::new(query, weight)) as Box<dyn Query>
        })
        .collect()
}

/// The weight of a spelling in `doc_freq` of `docs` documents, among spellings of one name in
/// `together`: its BM25 score becomes what it would be with the rarity of them all, times
/// [`DISAGREEING_SPELLING`] unless its vowels and form `agree`.
fn spelling_weight(doc_freq: u64, together: u64, docs: u64, agrees: bool) -> f32 {
    let vowels = if agrees { 1.0 } else { DISAGREEING_SPELLING };
    vowels * idf(together, docs) / idf(doc_freq, docs)
}

/// The fields of `index` that hold name keys (`title_names`, `body_names`).
pub fn name_key_fields(index: &RasdIndex) -> Vec<Field> {
    (index.schema.fields.iter())
        .filter(|f| f.indexed && f.analyzer.as_deref() == Some(analysis::NAME_KEYS))
        .map(|f| index.field(&f.name))
        .collect()
}

/// The query of a literal's name keys in the index's name-key fields, weighted
/// [`NAME_BOOST`]; `None` without keys or such fields, or when the index has no spelling of
/// some word's keys. A name of several words needs a key of each word that has keys, or of a
/// name spanning it: `"Yassine Mansouri"` is no `Karim Mansouri` (the fields keep no
/// positions, so the words may stand apart).
pub fn name_query(
    index: &RasdIndex,
    searcher: &Searcher,
    keys: &[NameKey],
) -> Option<Box<dyn Query>> {
    let fields = name_key_fields(index);
    // Every document, files' records included, which rasd's statistics leave out (see
    // `statistics.rs`): it changes the weights' ratios little.
    let docs: u64 = (searcher.segment_readers().iter())
        .map(|segment| u64::from(segment.max_doc()))
        .sum::<u64>()
        .max(1);
    let any_key = |keys: &[&NameKey]| -> Option<Box<dyn Query>> {
        let looked: Vec<(String, SpellingRule)> = keys.iter().flat_map(|k| looked_up(k)).collect();
        let found: Vec<(Field, BTreeMap<String, u64>)> = (fields.iter())
            .map(|&field| (field, found_terms(searcher, field, &looked)))
            .collect();
        // A spelling's other forms are looked for in either field: a word of the body may
        // be written bare in a title.
        let indexed = |term: &str| found.iter().any(|(_, terms)| terms.contains_key(term));
        let clauses: Vec<(Occur, Box<dyn Query>)> = (found.iter())
            .flat_map(|(field, terms)| spelling_queries(*field, terms, &indexed, docs, &looked))
            .map(|query| (Occur::Should, query))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    };
    let words = keys.iter().map(|k| k.words.end).max().unwrap_or(0);
    let mut each_word: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in 0..words {
        let covering: Vec<&NameKey> = keys.iter().filter(|k| k.words.contains(&word)).collect();
        if covering.is_empty() {
            continue;
        }
        // A word whose keys the index spells nowhere: no article has the name.
        each_word.push((Occur::Must, any_key(&covering)?));
    }
    let query = match each_word.len() {
        0 => return None,
        1 => each_word.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(each_word)),
    };
    Some(Box::new(BoostQuery::new(query, NAME_BOOST)))
}

/// The words of `texts` that `keys` find as spellings of their names in the other script, as
/// written there, each once: what a hit found by transliteration alone shows it was found by.
pub fn spellings_in(keys: &[NameKey], texts: &[&str]) -> Vec<String> {
    let looked: Vec<(String, SpellingRule)> = (keys.iter())
        .filter(|key| key.crosses_scripts())
        .flat_map(looked_up)
        .collect();
    let mut found = Spellings::default();
    let mut analyzer = analysis::name_key_analyzer();
    for text in texts {
        found.add_from(&mut analyzer, text, &looked, &|_| true);
    }
    found.agreeing.append(&mut found.disagreeing);
    found.agreeing
}

/// How many articles [`spellings`] reads.
const SPELLING_SAMPLE: usize = 20;

/// The words of the first articles a name's key finds, as written there: what a transliterated
/// name matched, for `rasd analyze --query`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spellings {
    /// Those whose vowels agree with the name's, found at full weight.
    pub agreeing: Vec<String>,
    /// Those whose vowels or form disagree, found at [`DISAGREEING_SPELLING`] of it.
    pub disagreeing: Vec<String>,
}

impl Spellings {
    /// Adds the words of `text` that the `looked` keys find, as written, each once, to the
    /// list their vowels and form (in an index that holds what `indexed` says) put them in.
    fn add_from(
        &mut self,
        analyzer: &mut TextAnalyzer,
        text: &str,
        looked: &[(String, SpellingRule)],
        indexed: &dyn Fn(&str) -> bool,
    ) {
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            let written = &text[token.offset_from..token.offset_to];
            let list = match spelling_of(looked, &token.text, indexed) {
                Some(true) => &mut self.agreeing,
                Some(false) => &mut self.disagreeing,
                None => continue,
            };
            if !list.iter().any(|f| f == written) {
                list.push(written.to_string());
            }
        }
    }
}

/// The [`Spellings`] of `key` in the first articles holding it.
pub fn spellings(
    index: &RasdIndex,
    searcher: &Searcher,
    key: &NameKey,
) -> Result<Spellings, Error> {
    let mut found = Spellings::default();
    let Some(query) = name_query(index, searcher, std::slice::from_ref(key)) else {
        return Ok(found);
    };
    let failed = || "cannot read the spellings of a name".to_string();
    let top = searcher
        .search(
            &*query,
            &order::by_score(TopDocs::with_limit(SPELLING_SAMPLE)),
        )
        .context(failed)?;
    let mut analyzer = analysis::name_key_analyzer();
    let looked = looked_up(key);
    let found_terms: Vec<BTreeMap<String, u64>> = (name_key_fields(index).into_iter())
        .map(|field| found_terms(searcher, field, &looked))
        .collect();
    let indexed = |term: &str| found_terms.iter().any(|terms| terms.contains_key(term));
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address).context(failed)?;
        for part in ["title", "body"] {
            if let Some(text) = doc.get_first(index.field(part)).and_then(|v| v.as_str()) {
                found.add_from(&mut analyzer, text, &looked, &indexed);
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in stop words and glossary.
    fn rules(lists: &WordLists) -> NotNames<'_> {
        NotNames::new(lists, Glossary::builtin(), &[Language::Fr, Language::En])
    }

    fn literal(word: &str) -> UserInputLiteral {
        UserInputLiteral {
            field_name: None,
            phrase: word.to_string(),
            delimiter: Delimiter::None,
            slop: 0,
            prefix: false,
        }
    }

    #[test]
    fn a_hyphen_or_an_apostrophe_cuts_a_name_as_in_articles() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        // Keyed as the index keys `Bachar al-Assad`, the article's words: no key lost.
        let keys = name_keys(&literal("al-Assad"), rules(&lists));
        assert_eq!(
            keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
            ["al-Assad"],
            "{keys:?}"
        );
        let keys = name_keys(&literal("Abdul-Malik"), rules(&lists));
        assert!(
            keys.iter()
                .any(|k| k.key == format!("{ARABIC_MARK}{}", names::name_key("عبدالملك").unwrap())),
            "{keys:?}"
        );
    }

    /// Whether the word `typed` looks up the key of `written`, a spelling in the other script.
    fn looks_up(typed: &str, written: &str) -> bool {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let arabic = typed
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let mark = if arabic { LATIN_MARK } else { ARABIC_MARK };
        let key = format!("{mark}{}", names::name_key(written).unwrap());
        name_keys(&literal(typed), rules(&lists))
            .iter()
            .any(|k| k.key == key)
    }

    #[test]
    fn a_final_teh_marbuta_meets_an_english_ah() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        assert!(looks_up("Fallujah", "الفلوجة"));
        assert!(looks_up("Baqubah", "بعقوبة"));
        assert!(looks_up("الفلوجة", "Fallujah"));
        assert!(looks_up("الفلوجة", "Falloujah"));
        // As typed: diacritics, capitals, accents.
        assert!(looks_up("الفلوجةُ", "Fallujah"));
        assert!(looks_up("FALLUJAH", "الفلوجة"));
        assert!(looks_up("Baqubéh", "بعقوبة"));
        // The word's own key stays: `h` is as often ح.
        assert!(looks_up("Misbah", "مصباح"));
        // No key shorter than three classes: `Salah` looks up no `SL`.
        let salah = name_keys(&literal("Salah"), rules(&lists));
        assert!(salah.iter().all(|k| k.key.len() > 3), "{salah:?}");
    }

    #[test]
    fn a_latin_g_is_read_as_each_letter_it_writes() {
        assert!(looks_up("Khouribga", "خريبكة"));
        assert!(looks_up("Gamal", "جمال"));
        assert!(looks_up("Agadez", "أغاديز"));
        assert!(looks_up("Naguib", "نجيب"));
        assert!(looks_up("نجيب", "naguib") && looks_up("نجيب", "najib"));
        assert!(looks_up("أغاديز", "agadez") && looks_up("أغاديز", "aghadez"));
        // `gh` is غ alone, and an Arabic word has no g to read.
        assert!(!looks_up("Ghazouani", "جزواني"));
        assert_eq!(
            other_g_readings(&["ghali", "bougie"])[0],
            ["ghali", "boujie"]
        );
        assert!(other_g_readings(&["ghali"]).is_empty());
    }

    #[test]
    fn plural_nouns_are_no_names() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        // Broken plurals of the table and feminine plurals after the article would find
        // `Groupe`, `Salah`, `Sept`; a name, and a bare plural-like name, are looked up.
        for word in ["قوارب", "الأسلحة", "العصابات"] {
            assert!(
                name_keys(&literal(word), rules(&lists)).is_empty(),
                "{word}"
            );
        }
        for word in ["الزفزافي", "عرفات", "بوشعيب"] {
            assert!(
                !name_keys(&literal(word), rules(&lists)).is_empty(),
                "{word}"
            );
        }
    }

    #[test]
    fn words_the_glossary_writes_are_no_names() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        // الهجرة (migration) keyed `HKR` found `Abu Hacker`; typed with ه or ة, with a
        // capital in Latin script, it is a common word.
        for word in ["الهجرة", "الهجره", "هجرة", "Migration", "Smuggling"] {
            assert!(
                name_keys(&literal(word), rules(&lists)).is_empty(),
                "{word}"
            );
        }
        // Behind proclitics too.
        for word in ["والهجرة", "بالهجرة", "للهجرة", "فالهجرة", "وللهجرة"]
        {
            assert!(
                name_keys(&literal(word), rules(&lists)).is_empty(),
                "{word}"
            );
        }
        // In a quoted name of several words, a word of the glossary is a name's word.
        assert!(name_keys(&literal("المهندس"), rules(&lists)).is_empty());
        let quoted = UserInputLiteral {
            delimiter: Delimiter::DoubleQuotes,
            ..literal("أبو مهدي المهندس")
        };
        let keys = name_keys(&quoted, rules(&lists));
        assert!(keys.iter().any(|k| k.name.contains("المهندس")), "{keys:?}");
        // Even with no glossary in the search (`--no-glossary`).
        let none = NotNames::new(&lists, Glossary::empty(), &[Language::Fr, Language::En]);
        assert!(name_keys(&literal("الهجرة"), none).is_empty());
        // A word sharing no more than a stem with a term stays a possible name: الساحل (the
        // Sahel) with السواحل.
        for word in ["الساحل", "الزفزافي", "Lahlou"] {
            assert!(
                !name_keys(&literal(word), rules(&lists)).is_empty(),
                "{word}"
            );
        }
    }

    #[test]
    fn a_short_latin_name_the_alias_table_spells_in_one_arabic_word_looks_up_no_key() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let aliases = AliasTable::builtin();
        let tabled = || rules(&lists).with_aliases(aliases);
        let keyed =
            |word: &str, not_names: NotNames| !name_keys(&literal(word), not_names).is_empty();
        // الرباط is Rabat's alias: its key would also find يربط ("links").
        for word in ["Rabat", "Lebanon", "Liban", "Agadir"] {
            assert!(keyed(word, rules(&lists)), "{word}");
            assert!(!keyed(word, tabled()), "{word}");
        }
        // A longer key meets few other words and finds the press's other spellings
        // (انواكشوط); the table spells Tunis in Arabic only as تونس العاصمة: its key still
        // finds تونس. Arabic names keep theirs, and names of no group theirs.
        for word in [
            "Nouakchott",
            "Istanbul",
            "Tunis",
            "الرباط",
            "تونس",
            "Lahlou",
        ] {
            assert!(keyed(word, tabled()), "{word}");
        }
        // A quoted name of the table keeps its words' keys: the surname finds الحموشي alone,
        // as the press writes it after the first mention.
        let quoted = UserInputLiteral {
            delimiter: Delimiter::DoubleQuotes,
            ..literal("Abdellatif Hammouchi")
        };
        let keys = name_keys(&quoted, tabled());
        assert!(keys.iter().any(|k| k.name == "Hammouchi"), "{keys:?}");
        assert!(
            !keys.iter().any(|k| k.name == "Abdellatif Hammouchi"),
            "{keys:?}"
        );
    }

    #[test]
    fn a_quoted_name_needs_a_key_for_each_of_its_words() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let quoted = |phrase: &str| UserInputLiteral {
            delimiter: Delimiter::DoubleQuotes,
            ..literal(phrase)
        };
        // ياسين has no key of its own: المنصوري's alone would find any Mansouri.
        assert!(name_keys(&quoted("ياسين المنصوري"), rules(&lists)).is_empty());
        let keys = name_keys(&quoted("Karim Lahlou"), rules(&lists));
        let covered = |word: usize| keys.iter().any(|k| k.words.contains(&word));
        assert!(covered(0) && covered(1), "{keys:?}");
        // A particle needs no key of its own.
        assert!(!name_keys(&quoted("Ben Slimane"), rules(&lists)).is_empty());
    }

    #[test]
    fn only_long_keys_of_arabic_spellings_look_up_proclitic_forms() {
        let key = |key: &str| NameKey {
            name: "name".into(),
            key: key.into(),
            rule: SpellingRule::Within(0b10110, None),
            words: 0..1,
        };
        let keys =
            |key: &NameKey| -> Vec<String> { looked_up(key).into_iter().map(|(k, _)| k).collect() };
        assert_eq!(
            keys(&key("aXRBK")),
            ["aXRBK", "aBXRBK", "aFXRBK", "aKXRBK", "aLXRBK"]
        );
        assert_eq!(keys(&key("aNDR")), ["aNDR"]);
        assert_eq!(keys(&key("lXRBK")), ["lXRBK"]);
        // After a proclitic, a vowel's place is one further on, and the word's first vowel
        // may stand right after it.
        let rules: Vec<SpellingRule> = looked_up(&key("aXRBK"))
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(rules[0], SpellingRule::Within(0b10110, None));
        assert!(
            rules[1..]
                .iter()
                .all(|r| *r == SpellingRule::Within(0b101110, None))
        );
    }

    #[test]
    fn a_spelling_whose_vowels_disagree_is_found_at_a_lower_weight() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        // How `typed` finds `written` (of the other script): by its key, and whether with
        // vowels that agree.
        let found = |typed: &str, written: &str| {
            let term = names::name_term(&analysis::normalized_word(written).unwrap()).unwrap();
            let mark = match written.is_ascii() {
                true => LATIN_MARK,
                false => ARABIC_MARK,
            };
            let term = format!("{mark}{term}");
            let keys = name_keys(&literal(typed), rules(&lists));
            let finds = keys.iter().any(|k| k.finds(&term));
            (finds, keys.iter().any(|k| k.agrees(&term, &|_| true)))
        };
        for (typed, written) in [
            ("Lebanon", "لبنان"),
            ("لبنان", "lebanon"),
            ("Lahlou", "لحلو"),
            ("Khouribga", "بخريبكة"),
            ("Khouribga", "وخريبكة"),
            ("Mokhtar", "مختار"),
            ("Bouchaib", "بوشعيب"),
            ("Tlemcen", "تلمسان"),
            ("الزفزافي", "zefzafi"),
            ("Abdelkader", "عبدالقادر"),
            ("Interpol", "الانتربول"),
            ("Spain", "اسبانيا"),
            ("Britain", "بريطانيا"),
            ("Mhamed", "بامحمد"),
            ("Maghreb", "مغربي"),
        ] {
            assert_eq!(found(typed, written), (true, true), "{typed}: {written}");
        }
        for (typed, written) in [
            // Libyan is not Lebanon, risks Mokhtar, nor a road Turkey: found below.
            ("Libyan", "لبنان"),
            ("لبنان", "libyan"),
            ("Mokhtar", "مخاطر"),
            ("طريق", "turkey"),
        ] {
            assert_eq!(found(typed, written), (true, false), "{typed}: {written}");
        }
    }

    #[test]
    fn a_common_word_that_keys_like_a_name_is_found_below_it() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let found = |typed: &str, written: &str| {
            let term = names::name_term(&analysis::normalized_word(written).unwrap()).unwrap();
            let term = format!("{ARABIC_MARK}{term}");
            let keys = name_keys(&literal(typed), rules(&lists));
            assert!(keys.iter().any(|k| k.finds(&term)), "{typed}: {written}");
            keys.iter().any(|k| k.agrees(&term, &|_| true))
        };
        // A first name or surname is written without the article, and a name ending in a
        // consonant is no word in ة: the government, the road, terrorism are found below.
        for (typed, written) in [
            ("Hakim", "الحكومة"),
            ("Hakim", "حكومة"),
            ("Hakim", "للحكومة"),
            ("Tarik", "الطريق"),
            ("Raheb", "الإرهاب"),
            ("Salem", "السلامة"),
            ("Mehdi", "المهددة"),
            // A silent e writes no ة.
            ("Othmane", "الائتمانية"),
            ("Sofiane", "سفينة"),
            // And a word beginning with ع, which Latin letters write as a vowel.
            ("Nasser", "عناصر"),
        ] {
            assert!(!found(typed, written), "{typed}: {written}");
        }
        // The names themselves, and names the press writes with the article: a Latin article
        // (glued or apart), an adjective's or a place's ending, a long key.
        for (typed, written) in [
            ("Hakim", "حكيم"),
            ("Tarik", "طارق"),
            ("Salem", "سالم"),
            ("El Khalfi", "الخلفي"),
            ("Elkhalfi", "الخلفي"),
            ("al-Raheb", "الراهب"),
            ("Zefzafi", "الزفزافي"),
            ("Hoceima", "الحسيمة"),
            ("Khouribga", "خريبكة"),
            ("Interpol", "الانتربول"),
            ("Nasser", "ناصر"),
            ("Othmane", "عثمان"),
            ("Sofiane", "سفيان"),
            ("Mahdia", "المهدية"),
            ("Amrani", "العمراني"),
        ] {
            assert!(found(typed, written), "{typed}: {written}");
        }
        // A word the archive writes only with the article has it as part of its name (a
        // place's, a family's): found in full. Written bare too, it is a common noun.
        let agrees = |typed: &str, written: &str, bare_indexed: bool| {
            let term = names::name_term(&analysis::normalized_word(written).unwrap()).unwrap();
            let term = format!("{ARABIC_MARK}{term}");
            let keys = name_keys(&literal(typed), rules(&lists));
            keys.iter().any(|k| k.agrees(&term, &|_| bare_indexed))
        };
        assert!(agrees("Skhirat", "الصخيرات", false));
        assert!(agrees("Kairouan", "القيروان", false));
        assert!(!agrees("Skhirat", "الصخيرات", true));
        // The ending still counts: a name ending in a consonant is no word in ة.
        assert!(!agrees("Hakim", "الحكومة", false));
    }

    #[test]
    fn every_spelling_of_a_name_ranks_with_the_rarity_of_them_all() {
        // A spelling in 1 of 400 documents, among spellings in 60: weighted down to rank as
        // one in 60 would; a disagreeing one at a fifth of that.
        let (rare, common, together, docs) = (1, 59, 60, 400);
        let rare_score = spelling_weight(rare, together, docs, true) * idf(rare, docs);
        let common_score = spelling_weight(common, together, docs, true) * idf(common, docs);
        assert!((rare_score - idf(together, docs)).abs() < 1e-5);
        assert!((common_score - idf(together, docs)).abs() < 1e-5);
        assert!(spelling_weight(rare, together, docs, true) < 1.0);
        let disagreeing = spelling_weight(rare, together, docs, false);
        assert!(
            (disagreeing - DISAGREEING_SPELLING * spelling_weight(rare, together, docs, true))
                .abs()
                < 1e-6
        );
        // Every document holding the name: still a positive weight.
        assert!(spelling_weight(docs, docs * 2, docs, true) > 0.0);
    }

    #[test]
    fn every_word_of_a_joined_name_looks_it_up_in_both_scripts() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let (ben, slimane, arrested) = (literal("Ben"), literal("Slimane"), literal("arrested"));
        let keys = part_name_keys(
            &[Some(&ben), Some(&slimane), Some(&arrested)],
            &[false; 3],
            rules(&lists),
        );
        // Typed as alternatives, the words are no name.
        let alternatives = part_name_keys(
            &[Some(&ben), Some(&slimane), Some(&arrested)],
            &[true, true, false],
            rules(&lists),
        );
        assert!(
            alternatives
                .iter()
                .flatten()
                .all(|k| k.name != "Ben Slimane"),
            "{alternatives:?}"
        );
        let joined = |part: &[NameKey]| -> Vec<String> {
            let mut found: Vec<String> = part
                .iter()
                .filter(|k| k.name == "Ben Slimane")
                .map(|k| k.key.clone())
                .collect();
            found.sort();
            found
        };
        let key = &keys[1]
            .iter()
            .find(|k| k.name == "Ben Slimane")
            .expect("a joined key")
            .key[1..];
        let both = vec![format!("{ARABIC_MARK}{key}"), format!("{LATIN_MARK}{key}")];
        assert_eq!(joined(&keys[0]), both);
        assert_eq!(joined(&keys[1]), both);
        assert!(keys[2].is_empty(), "{keys:?}");
        // One word keeps to the other script.
        assert!(
            keys[1]
                .iter()
                .filter(|k| k.name == "Slimane")
                .all(|k| k.key.starts_with(ARABIC_MARK))
        );
    }
}
