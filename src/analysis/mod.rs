//! Text analysis: how article text and query text become index terms.
//!
//! Every analyzer is a chain of small stages, each in its own module and tested there:
//!
//! | stage | module | what it does |
//! | --- | --- | --- |
//! | tokenize | [`tokenizer`] | words = letters, digits, marks, tatweel; invisible marks never split |
//! | normalize | [`normalizer`] | diacritics, tatweel, alef/hamza/yeh/heh forms, digits, presentation forms |
//! | lowercase, fold | [`lowercase`], tantivy `AsciiFoldingFilter` | Latin: `Sécurité` → `securite` |
//! | length cap | [`long_words`] | drops tokens over 64 characters |
//! | stop words, positions | [`stop_words`], [`positions`] | Arabic particles from `index-schema/stopwords-ar.txt` (and French or English ones in those views) dropped, negations keeping their place; the words kept numbered one after another, a gap at each sentence, clause or paragraph end |
//! | stem | [`stemmer`] | conservative Arabic light stemming |
//! | stem (French, English views) | [`snowball`] | Snowball stemming of Latin words only |
//!
//! Every stage after the tokenizer is a [`filter::TokenMap`], a rule applied token by token,
//! turned into a tantivy token filter by [`filter::MapFilter`], but for the stop words and
//! positions, which need the text between two words. The stages up to the length cap
//! are the same in every view: [`shared_words`] runs them once per text for all its views.
//!
//! Four analyzers are built from these stages and registered under the names the schema
//! refers to (see [`register`]): the surface view (everything but stemming), the stemmed view
//! (Arabic light stem), and the French and English views (Snowball for the article's language,
//! Arabic words left as in the surface view).

pub mod filter;
pub mod long_words;
pub mod lowercase;
pub mod morphology;
pub mod names;
pub mod normalizer;
pub mod positions;
pub mod shared_words;
pub mod signature;
pub mod snowball;
pub mod stemmer;
pub mod stop_words;
pub mod tokenizer;
pub mod verbs;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, RawTokenizer, TextAnalyzer, TextAnalyzerBuilder, TokenFilter, Tokenizer,
    TokenizerManager,
};

use filter::MapFilter;
use long_words::RemoveLongWords;
use lowercase::Lowercase;
use normalizer::ArabicNormalizer;
use positions::StopWordsAndPositions;
use shared_words::SharedWords;
use snowball::{LatinLanguage, LatinStemmer};
use stemmer::ArabicLightStemmer;
use stop_words::StopWords;
use tokenizer::WordTokenizer;

/// Version of the analysis code. Bump it whenever a change would give different terms for the
/// same text, or different story signatures: indexes built with another version must be
/// rebuilt, or searches silently miss (or copies are not grouped).
pub const ANALYZER_VERSION: u32 = 12;

/// Full-text analyzer: normalized and light-stemmed (recall).
pub const STEMMED: &str = "rasd";
/// Full-text analyzer: normalized surface forms, no stemming (precision, exact search).
pub const SURFACE: &str = "rasd_surface";
/// Full-text analyzer for French articles: surface view plus French stop words and Snowball.
pub const FRENCH: &str = "rasd_fr";
/// Full-text analyzer for English articles: surface view plus English stop words and Snowball.
pub const ENGLISH: &str = "rasd_en";
/// Keyword analyzer: the whole value as one term, lowercased (source names, languages, tags).
pub const KEYWORD: &str = "rasd_keyword";
/// Name-key analyzer: the transliteration key of each Arabic word and capitalised Latin
/// word, marked with its script (see [`names`]), for names across scripts.
pub const NAME_KEYS: &str = "rasd_name_keys";

/// The analyzer names a schema may use: rasd's own and tantivy's built-in ones.
pub const KNOWN_ANALYZERS: &[&str] = &[
    STEMMED,
    SURFACE,
    FRENCH,
    ENGLISH,
    KEYWORD,
    NAME_KEYS,
    "raw",
    "default",
    "en_stem",
    "whitespace",
];

/// The word lists that parameterize the analysis (read from `index-schema/`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordLists {
    /// Arabic stop words, normalized.
    pub stopwords_ar: Vec<String>,
    /// Arabic words the stemmer leaves alone, normalized.
    pub protected_ar: Vec<String>,
    /// French stop words, normalized (accents folded).
    #[serde(default)]
    pub stopwords_fr: Vec<String>,
    /// English stop words, normalized.
    #[serde(default)]
    pub stopwords_en: Vec<String>,
}

/// The normalization stages over the words `words` gives, before any word is dropped or
/// stemmed.
fn normalizing<T: Tokenizer>(words: T) -> impl Tokenizer {
    let normalized = MapFilter(ArabicNormalizer::default()).transform(words);
    AsciiFoldingFilter.transform(MapFilter(Lowercase).transform(normalized))
}

/// [`normalizing`] as an analyzer to build on.
fn normalized<T: Tokenizer>(words: T) -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(normalizing(words))
}

/// The stages every view of text begins with: words cut, normalized, and dropped when too
/// long.
fn base_stages() -> impl Tokenizer {
    MapFilter(RemoveLongWords).transform(normalizing(WordTokenizer::default()))
}

/// [`base_stages`] run once per text for all its views (see [`shared_words`]).
fn shared_base() -> SharedWords<impl Tokenizer> {
    SharedWords::new(base_stages())
}

/// The words of `text` as the index cuts them, each with its byte range in `text` and
/// normalized as [`normalized_word`] does: a query's `al-Assad` is two words, as it is in an
/// article.
pub fn normalized_words(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut words = normalized(WordTokenizer::default()).build();
    let mut stream = words.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.offset_from..token.offset_to, token.text.clone()));
    }
    out
}

/// One word normalized as the analyzers do (letters folded, lowercased, accents folded),
/// not stemmed; `None` when nothing is left of it.
pub fn normalized_word(word: &str) -> Option<String> {
    let mut normalizer = normalized(RawTokenizer::default()).build();
    let mut stream = normalizer.token_stream(word);
    stream.next().map(|t| t.text.clone())
}

/// Parses a word-list file: one word per line, `#` starts a comment, blank lines ignored.
/// Words are normalized like the text they are compared with, sorted and deduplicated, so
/// that two lists compare equal when they analyze alike.
pub fn parse_word_list(text: &str) -> Vec<String> {
    let mut normalizer = normalized(RawTokenizer::default()).build();
    let mut words: Vec<String> = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|word| !word.is_empty())
        .filter_map(|word| normalizer.token_stream(word).next().map(|t| t.text.clone()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The surface view's stages after the base stages `base`, with the stop words of `lists`
/// and `other_stopwords`.
fn surface_chain<'a, T: Tokenizer>(
    base: T,
    lists: &'a WordLists,
    other_stopwords: impl IntoIterator<Item = &'a String>,
) -> TextAnalyzerBuilder<impl Tokenizer> {
    let stopwords = (lists.stopwords_ar.iter())
        .chain(other_stopwords)
        .map(String::as_str);
    TextAnalyzer::builder(base).filter(StopWordsAndPositions::new(StopWords::new(stopwords)))
}

/// The surface analyzer's stages after the base stages `base`.
fn surface_stages<T: Tokenizer>(base: T, lists: &WordLists) -> TextAnalyzer {
    surface_chain(base, lists, []).build()
}

/// The stemmed analyzer's stages after the base stages `base`.
fn stemmed_stages<T: Tokenizer>(base: T, lists: &WordLists) -> TextAnalyzer {
    let protected: FxHashSet<String> = lists.protected_ar.iter().cloned().collect();
    surface_chain(base, lists, [])
        .filter(MapFilter(ArabicLightStemmer::new(protected)))
        .build()
}

/// A Latin-script language's stages after the base stages `base`.
fn latin_stages<T: Tokenizer>(base: T, lists: &WordLists, language: LatinLanguage) -> TextAnalyzer {
    let stopwords = match language {
        LatinLanguage::French => &lists.stopwords_fr,
        LatinLanguage::English => &lists.stopwords_en,
    };
    surface_chain(base, lists, stopwords)
        .filter(MapFilter(LatinStemmer::new(language)))
        .build()
}

/// The name-key analyzer's stages after the base stages `base`.
fn name_key_stages<T: Tokenizer>(base: T) -> TextAnalyzer {
    TextAnalyzer::builder(base)
        .filter(MapFilter(names::LatinNamesOnly))
        .filter(names::NameKeyFilter)
        .filter(MapFilter(names::ScriptMark))
        .build()
}

/// The surface analyzer: every stage but stemming.
pub fn surface_analyzer(lists: &WordLists) -> TextAnalyzer {
    surface_stages(shared_base(), lists)
}

/// The stemmed analyzer: the surface analyzer followed by the Arabic light stemmer.
pub fn stemmed_analyzer(lists: &WordLists) -> TextAnalyzer {
    stemmed_stages(shared_base(), lists)
}

/// The analyzer of a Latin-script language's view: the surface analyzer with that language's
/// stop words, then Snowball stemming of Latin words (Arabic words stay surface forms).
pub fn latin_analyzer(lists: &WordLists, language: LatinLanguage) -> TextAnalyzer {
    latin_stages(shared_base(), lists, language)
}

/// The name-key analyzer: normalized words, then their script-marked keys.
pub fn name_key_analyzer() -> TextAnalyzer {
    name_key_stages(shared_base())
}

/// The keyword analyzer: one lowercased term per value.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(MapFilter(Lowercase))
        .build()
}

/// Registers rasd's analyzers in an index's tokenizer manager. tantivy does not persist custom
/// analyzers, so this must run every time an index is opened.
pub fn register(manager: &TokenizerManager, lists: &WordLists) {
    manager.register(STEMMED, stemmed_analyzer(lists));
    manager.register(SURFACE, surface_analyzer(lists));
    manager.register(FRENCH, latin_analyzer(lists, LatinLanguage::French));
    manager.register(ENGLISH, latin_analyzer(lists, LatinLanguage::English));
    manager.register(KEYWORD, keyword_analyzer());
    manager.register(NAME_KEYS, name_key_analyzer());
}

/// One word of a text as `rasd analyze` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnalyzedWord {
    /// The word's position in the views phrases are matched on (see [`positions`]); `None`
    /// for a word no view keeps (a stop word, a word over the length cap).
    pub position: Option<usize>,
    /// Character offsets of the word in the original text, end exclusive.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// The word as written.
    pub original: String,
    /// The term in the surface view; `None` when the word is a stop word or too long.
    pub surface: Option<String>,
    /// The term in the stemmed view; `None` when the word is a stop word or too long.
    pub stem: Option<String>,
    /// Whether the word is a stop word that negates, which no view keeps but whose place
    /// each keeps (see [`stop_words`]).
    pub negation: bool,
    /// The related forms a search for the word also finds where the index holds them
    /// (see [`morphology`]), with why.
    pub related_forms: Vec<morphology::RelatedForm>,
}

/// The one term `analyzer` makes of `word`; `None` for a stop word or a text of several terms.
pub fn single_term(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let first = stream.next()?.text.clone();
    stream.next().is_none().then_some(first)
}

/// The terms `analyzer` makes of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    terms_by_position(analyzer, text)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// The terms `analyzer` makes of `text`, each with its position counted from the first: a
/// phrase's words with the gaps its punctuation leaves (see [`positions`]: `تهريب. المخدرات`
/// is not `تهريب المخدرات`, though both are the terms `تهريب مخدر`).
pub fn terms_with_gaps(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut terms = terms_by_position(analyzer, text);
    let first = terms.first().map_or(0, |(position, _)| *position);
    for (position, _) in &mut terms {
        *position -= first;
    }
    terms
}

fn terms_by_position(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((t.position, t.text.clone()));
    }
    out
}

/// Runs the analysis stage by stage on `text`, for `rasd analyze`.
pub fn analyze_text(text: &str, lists: &WordLists) -> Vec<AnalyzedWord> {
    // Matched on where each word starts: a view's positions leave out its stop words.
    let surface = terms_by_start(&mut surface_analyzer(lists), text);
    let stems = terms_by_start(&mut stemmed_analyzer(lists), text);
    fn find(terms: &[(usize, usize, String)], start: usize) -> Option<&(usize, usize, String)> {
        terms.iter().find(|(s, _, _)| *s == start)
    }
    let mut words = TextAnalyzer::from(WordTokenizer::default());
    let mut stream = words.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        let kept = find(&surface, t.offset_from);
        out.push(AnalyzedWord {
            position: kept.map(|(_, position, _)| *position),
            start: text[..t.offset_from].chars().count(),
            end: text[..t.offset_to].chars().count(),
            original: t.text.clone(),
            related_forms: kept
                .map(|(_, _, word)| {
                    morphology::Morphology::builtin()
                        .related_forms(word, morphology::Stages::default())
                })
                .unwrap_or_default(),
            surface: kept.map(|(_, _, term)| term.clone()),
            stem: find(&stems, t.offset_from).map(|(_, _, term)| term.clone()),
            negation: kept.is_none()
                && normalized_word(&t.text).is_some_and(|word| stop_words::is_negation(&word)),
        });
    }
    out
}

/// The terms `analyzer` makes of `text`, each with the byte where its word starts and its
/// position.
fn terms_by_start(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((t.offset_from, t.position, t.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in word lists.
    pub(super) fn lists() -> WordLists {
        WordLists {
            stopwords_ar: parse_word_list(include_str!("../../index-schema/stopwords-ar.txt")),
            protected_ar: parse_word_list(include_str!("../../index-schema/protected-ar.txt")),
            stopwords_fr: parse_word_list(include_str!("../../index-schema/stopwords-fr.txt")),
            stopwords_en: parse_word_list(include_str!("../../index-schema/stopwords-en.txt")),
        }
    }

    #[test]
    fn word_lists_are_normalized_sorted_and_deduplicated() {
        let list = parse_word_list("# comment\nإلى\n\nالى  # same word\nعَن\n");
        assert_eq!(list, vec!["الي".to_string(), "عن".to_string()]);
    }

    #[test]
    fn mixed_text_is_analyzed_per_script() {
        let mut analyzer = stemmed_analyzer(&lists());
        assert_eq!(
            terms(&mut analyzer, "تنظيم ISIS أو Daech في سوريا"),
            vec!["تنظيم", "isis", "daech", "سوريا"]
        );
        assert_eq!(terms(&mut analyzer, "Al-Qaïda"), vec!["al", "qaida"]);
        assert_eq!(terms(&mut analyzer, "Sécurité"), vec!["securite"]);
    }

    #[test]
    fn french_view_drops_stop_words_and_stems_latin_words_only() {
        let mut french = latin_analyzer(&lists(), LatinLanguage::French);
        let t = terms(
            &mut french,
            "Les arrestations de la cellule «الدولة الإسلامية» à Lyon",
        );
        assert_eq!(t[0], terms(&mut french, "arrestation")[0]);
        assert!(!t.contains(&"les".to_string()) && !t.contains(&"de".to_string()));
        // Arabic words are the surface view's terms, not French stems.
        let surface = terms(&mut surface_analyzer(&lists()), "الدولة الإسلامية");
        assert!(t.ends_with(&[surface[0].clone(), surface[1].clone(), "lyon".to_string()]));
    }

    #[test]
    fn accents_are_optional_in_the_french_view() {
        let mut french = latin_analyzer(&lists(), LatinLanguage::French);
        assert_eq!(
            terms(&mut french, "démantèlement réseaux sécurité"),
            terms(&mut french, "demantelement reseau securite")
        );
        assert_eq!(
            terms(&mut french, "démantelé"),
            terms(&mut french, "demanteles")
        );
    }

    #[test]
    fn english_view_conflates_inflections() {
        let mut english = latin_analyzer(&lists(), LatinLanguage::English);
        assert_eq!(
            terms(&mut english, "the smugglers were arrested"),
            terms(&mut english, "smuggler were arrest")
        );
    }

    #[test]
    fn article_glued_to_latin_leaves_no_empty_token() {
        let mut analyzer = stemmed_analyzer(&lists());
        assert_eq!(terms(&mut analyzer, "الـFBI"), vec!["fbi"]);
    }

    #[test]
    fn long_diacritised_word_is_kept() {
        let mut analyzer = stemmed_analyzer(&lists());
        let t = terms(&mut analyzer, "وَالِاسْتِخْبَارَاتِيَّةُ الأمن");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn punctuation_and_digit_variants() {
        let mut analyzer = stemmed_analyzer(&lists());
        assert_eq!(terms(&mut analyzer, "الإرهاب،الأمن"), vec!["ارهاب", "امن"]);
        assert_eq!(terms(&mut analyzer, "٥٫٢"), terms(&mut analyzer, "5.2"));
        assert_eq!(
            terms(&mut analyzer, "٢٠٢٤ ۲۰۲۴ 2024"),
            vec!["2024", "2024", "2024"]
        );
    }

    #[test]
    fn analyze_shows_stop_words_without_a_position_and_the_positions_phrases_use() {
        let words = analyze_text("مكافحة في الإرهاب. الأمن", &lists());
        assert_eq!(words.len(), 4);
        assert_eq!(words[1].surface, None);
        let positions: Vec<Option<usize>> = words.iter().map(|w| w.position).collect();
        assert_eq!(positions, [Some(0), None, Some(1), Some(3)]);
        assert_eq!(words[2].stem.as_deref(), Some("ارهاب"));
        assert_eq!(words[2].surface.as_deref(), Some("الارهاب"));
        assert!(!words[1].negation);
        let words = analyze_text("الهجرة غير الشرعية", &lists());
        assert!(words[1].negation);
        assert_eq!(words[2].position, Some(2));
    }

    #[test]
    fn analyze_reports_character_offsets_of_the_original_word() {
        let words = analyze_text("أمن الْإِرْهَابُ", &lists());
        assert_eq!(words[1].start, 4);
        assert_eq!(words[1].end, 4 + "الْإِرْهَابُ".chars().count());
        assert_eq!(words[1].original, "الْإِرْهَابُ");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::normalizer::normalize_word;
    use super::*;

    /// Text drawn from the characters that matter: Arabic letters and marks, presentation
    /// forms, invisible marks, Latin with accents, digits, punctuation, anything else.
    pub(super) fn messy_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[\u{0600}-\u{06FF}]{1,8}",
            "[\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}]{1,4}",
            "[\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{00AD}\u{061C}]",
            "[a-zA-ZéèàçÉœ\u{0301}]{1,8}",
            "[0-9٠-٩۰-۹]{1,4}",
            "[ ،؛؟«».,\n-]{1,3}",
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(pieces, 0..24).prop_map(|p| p.concat())
    }

    fn lists() -> WordLists {
        WordLists {
            stopwords_ar: parse_word_list("في\nمن\nال\n"),
            protected_ar: parse_word_list("الله\nبحرين\n"),
            stopwords_fr: parse_word_list("de\nla\n"),
            stopwords_en: parse_word_list("the\n"),
        }
    }

    proptest! {
        #[test]
        fn tokens_point_at_character_boundaries_of_the_original(text in messy_text()) {
            let analyzers = [
                stemmed_analyzer(&lists()),
                surface_analyzer(&lists()),
                latin_analyzer(&lists(), LatinLanguage::French),
                latin_analyzer(&lists(), LatinLanguage::English),
            ];
            for mut analyzer in analyzers {
                let mut stream = analyzer.token_stream(&text);
                let mut last_position = None;
                while let Some(token) = stream.next() {
                    prop_assert!(token.offset_from < token.offset_to);
                    prop_assert!(token.offset_to <= text.len());
                    prop_assert!(text.is_char_boundary(token.offset_from));
                    prop_assert!(text.is_char_boundary(token.offset_to));
                    prop_assert!(!token.text.is_empty());
                    prop_assert!(last_position < Some(token.position));
                    last_position = Some(token.position);
                }
            }
        }

        /// Every positional view numbers its words from 0, one after another, skipping one
        /// position only where punctuation or line breaks lie between two words, or a word
        /// left out between two numbers (the lists here have no negation).
        #[test]
        fn positions_follow_the_kept_words_and_the_boundaries(text in messy_text()) {
            let marks = |between: &str| {
                between.chars().any(|c| ".,:;?!…،؛؟۔\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".contains(c))
            };
            for mut analyzer in [stemmed_analyzer(&lists()), surface_analyzer(&lists())] {
                let mut stream = analyzer.token_stream(&text);
                let number = |word: &str| word.chars().all(char::is_numeric);
                let mut last: Option<(usize, usize, bool)> = None;
                while let Some(token) = stream.next() {
                    match last {
                        None => prop_assert_eq!(token.position, 0),
                        Some((position, end, after_number)) => {
                            let step = token.position - position;
                            let between = &text[end..token.offset_from];
                            // Or a word left out between two numbers.
                            let range = after_number
                                && number(&token.text)
                                && between.chars().any(char::is_alphabetic);
                            prop_assert!(
                                step == 1 || (step == 2 && (marks(between) || range)),
                                "{:?}", &text
                            );
                        }
                    }
                    let written = &text[token.offset_from..token.offset_to];
                    last = Some((token.position, token.offset_to, number(written)));
                }
            }
        }

        #[test]
        fn normalization_is_idempotent(text in messy_text()) {
            let once = normalize_word(&text);
            prop_assert_eq!(normalize_word(&once), once);
        }

        #[test]
        fn analyzing_terms_again_changes_nothing_in_the_surface_view(text in messy_text()) {
            // What the index holds, analyzed as a query, finds itself.
            let mut analyzer = surface_analyzer(&lists());
            for term in terms(&mut analyzer, &text) {
                let again = terms(&mut analyzer, &term);
                prop_assert!(again.len() <= 1 || again.concat() == term);
            }
        }
    }
}
