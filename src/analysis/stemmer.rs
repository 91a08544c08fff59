//! A conservative Arabic light stemmer, the last stage of rasd's recall analyzer.
//!
//! Light stemming (stripping the definite article and a few frequent suffixes) is what the
//! Arabic IR literature found best for news retrieval; root extraction merges unrelated words.
//! This is light10 (Larkey et al.) with four changes, each fixing a merge that light10, Lucene
//! and Snowball make on security-news vocabulary:
//!
//! 1. The article `ال` is stripped only when the written word starts with a bare alef, so
//!    ألمانيا, ألف, إلغاء, آلية keep their first letters.
//! 2. The article with a proclitic (`وال بال كال فال ولل وبال`…) needs three letters left, so
//!    والد and والدة stay "father" and "mother".
//! 3. No single-letter proclitic (و ف ب ك ل) is stripped here: وطنية, وكالة, وزارة, فرنسا,
//!    بيروت start with those letters. Searches find proclitic forms at query time instead.
//! 4. The dual `ان` is not a suffix: it mostly ends nouns (لبنان, إيران, البرلمان).
//! 5. The nisba `ي` stays: أمني, الأمنية, الأمنيين and أمنيون stem to امني, not to امن
//!    ("security", in nearly every article), and عملية ("operation") stays apart from عمل
//!    ("work"). Searches find the noun and the adjective of each other at a lower weight
//!    (see [`super::morphology`]).
//!
//! Suffixes `ها ات ون ين ه` are tried once each, in that order, each only when three
//! letters remain. A protected-word list stops stemming for names the rules would damage.
//! The stemmer works on normalized words (see [`super::normalizer`]); it reads the original
//! text through the token's offsets only to see whether the article's alef carried a hamza.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::Token;

use super::filter::TokenMap;
use super::tokenizer::is_invisible_format;

/// Prefixes made of a proclitic and the article, longest first, with the index of the
/// article's alef inside them (`None` for the `لل` forms, which have no alef).
const ARTICLE_PREFIXES: &[(&str, Option<usize>)] = &[
    ("وبال", Some(2)),
    ("وكال", Some(2)),
    ("فبال", Some(2)),
    ("ولل", None),
    ("فلل", None),
    ("وال", Some(1)),
    ("بال", Some(1)),
    ("كال", Some(1)),
    ("فال", Some(1)),
    ("لل", None),
    ("ال", Some(0)),
];

const SUFFIXES: &[&str] = &["ها", "ات", "ون", "ين", "ه"];

/// Letters that must remain after stripping a suffix or a proclitic-and-article prefix.
const MIN_STEM: usize = 3;
/// Letters that must remain after stripping the bare article `ال` or `لل`.
const MIN_AFTER_ARTICLE: usize = 2;

/// The light stemmer with its protected words (normalized, without the article).
#[derive(Clone, Default)]
pub struct ArabicLightStemmer {
    protected: Arc<FxHashSet<String>>,
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// Whether the `index`-th letter of the original word is an alef carrying hamza or madda,
/// written precomposed, decomposed, or as a presentation form.
fn original_letter_has_hamza(original: &str, index: usize) -> bool {
    let mut letters = original
        .chars()
        .filter(|&c| !is_invisible_format(c) && c != '\u{0640}')
        .peekable();
    let mut seen = 0;
    while let Some(c) = letters.next() {
        let is_mark = ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}';
        if is_mark {
            continue;
        }
        if seen == index {
            let hamzated_alef = matches!(c, 'أ' | 'إ' | 'آ' | '\u{FE81}'..='\u{FE88}');
            let decomposed = c == 'ا'
                && letters
                    .peek()
                    .is_some_and(|&m| matches!(m, '\u{0653}' | '\u{0654}' | '\u{0655}'));
            return hamzated_alef || decomposed;
        }
        seen += 1;
    }
    false
}

impl ArabicLightStemmer {
    /// A stemmer that never stems the given words (normalized forms, without the article).
    /// Every Arabic word of every article is looked up in them, so they are hashed with Fx.
    pub fn new(protected: FxHashSet<String>) -> Self {
        Self {
            protected: Arc::new(protected),
        }
    }

    /// Stems a normalized word. `original` is the word as written, used only to tell the
    /// article `ال` from a word that starts with `أل`/`إل`/`آل`. Non-Arabic words are returned
    /// unchanged.
    pub fn stem<'w>(&self, word: &'w str, original: &str) -> &'w str {
        if !word.starts_with(is_arabic_letter) || self.protected.contains(word) {
            return word;
        }
        let letters = word.chars().count();
        let mut stem = word;
        for &(prefix, alef_index) in ARTICLE_PREFIXES {
            let Some(rest) = word.strip_prefix(prefix) else {
                continue;
            };
            let prefix_letters = prefix.chars().count();
            let min_left = if prefix_letters <= 2 {
                MIN_AFTER_ARTICLE
            } else {
                MIN_STEM
            };
            let hamzated = alef_index.is_some_and(|i| original_letter_has_hamza(original, i));
            if letters - prefix_letters >= min_left && !hamzated {
                stem = rest;
            }
            break;
        }
        if self.protected.contains(stem) {
            return stem;
        }
        for suffix in SUFFIXES {
            if let Some(rest) = stem.strip_suffix(suffix)
                && rest.chars().count() >= MIN_STEM
            {
                stem = rest;
                if self.protected.contains(stem) {
                    break;
                }
            }
        }
        stem
    }
}

impl TokenMap for ArabicLightStemmer {
    fn map(&mut self, text: &str, token: &mut Token) -> bool {
        let original = text
            .get(token.offset_from..token.offset_to)
            .unwrap_or_default();
        // The stem is a slice of the token's text: keep that slice in place.
        let (start, len) = {
            let stem = self.stem(&token.text, original);
            (
                stem.as_ptr() as usize - token.text.as_ptr() as usize,
                stem.len(),
            )
        };
        token.text.truncate(start + len);
        token.text.drain(..start);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalizer::normalize_word;

    fn stemmer() -> ArabicLightStemmer {
        let protected = ["الله", "بحرين", "فلسطين", "وجده", "ياسين", "حسين"]
            .into_iter()
            .map(String::from)
            .collect();
        ArabicLightStemmer::new(protected)
    }

    fn s(word: &str) -> String {
        stemmer().stem(&normalize_word(word), word).to_string()
    }

    fn all_equal(words: &[&str], expected: &str) {
        for w in words {
            assert_eq!(s(w), expected, "stem of {w}");
        }
    }

    #[test]
    fn article_and_proclitic_article_forms_meet() {
        all_equal(
            &[
                "الإرهاب",
                "والإرهاب",
                "للإرهاب",
                "بالإرهاب",
                "إرهاب",
                "الارهاب",
                "فالإرهاب",
            ],
            "ارهاب",
        );
    }

    #[test]
    fn nisba_forms_meet_and_keep_their_ya() {
        all_equal(
            &[
                "إرهابي",
                "إرهابية",
                "الإرهابيين",
                "الإرهابيون",
                "إرهابيون",
                "الإرهابيات",
            ],
            "ارهابي",
        );
        all_equal(&["الأمنيين", "أمني", "الأمنية", "أمنيون"], "امني");
        assert_ne!(s("الأمنيين"), s("الأمن"));
        assert_ne!(s("إرهابي"), s("إرهاب"));
    }

    #[test]
    fn double_proclitic_and_plural_pairs_meet() {
        assert_eq!(s("وللأمن"), s("الأمن"));
        assert_eq!(s("الأمن"), "امن");
        assert_eq!(s("المخابرات"), s("مخابرات"));
        assert_eq!(s("الاستخبارات"), s("استخبارات"));
        all_equal(&["عمليات", "العمليات", "عملية"], "عملي");
        assert_ne!(s("عملية"), s("عمل"));
        all_equal(&["سيارات", "سيارة"], "سيار");
        all_equal(&["القوات", "قواتها", "قوات"], "قوات");
    }

    #[test]
    fn short_words_are_not_merged_with_shorter_ones() {
        all_equal(&["خلية", "الخلية"], "خلي");
        assert_ne!(s("خلية"), s("خل"));
        assert_eq!(s("كلية"), "كلي");
        all_equal(&["وطنية", "الوطني"], "وطني");
        assert_eq!(s("وطن"), "وطن");
    }

    #[test]
    fn initial_waw_is_not_a_conjunction() {
        all_equal(&["وزارة", "الوزارة"], "وزار");
        assert_eq!(s("وزير"), "وزير");
        all_equal(&["وكالة", "الوكالة"], "وكال");
        assert_eq!(s("والي"), s("الوالي"));
        all_equal(&["ولاية", "الولاية", "الولايات"], "ولاي");
        all_equal(&["وثيقة", "الوثيقة"], "وثيق");
    }

    #[test]
    fn protected_words_survive() {
        assert_eq!(s("الله"), "الله");
        assert_eq!(s("وجدة"), "وجده");
        assert_ne!(s("البحرين"), s("البحر"));
        all_equal(&["البحرين", "بالبحرين", "بحرين"], "بحرين");
        assert_eq!(s("فلسطين"), "فلسطين");
        all_equal(&["فلسطيني", "الفلسطينيين"], "فلسطيني");
    }

    #[test]
    fn hamzated_alef_is_not_the_article() {
        assert_eq!(s("ألمانيا"), "المانيا");
        assert_eq!(s("ألف"), "الف");
        assert_eq!(s("إلغاء"), "الغاء");
        assert_eq!(s("آلاف"), "الاف");
        assert_eq!(s("آلية"), "الي");
        // also when written decomposed or with diacritics
        assert_eq!(s("ا\u{0654}لمانيا"), "المانيا");
        assert_eq!(s("أَلمانيا"), "المانيا");
        // but the article before a hamzated word is stripped
        assert_eq!(s("الإرهاب"), "ارهاب");
    }

    #[test]
    fn distinct_words_stay_distinct() {
        assert_ne!(s("الجزائر"), s("الجزيرة"));
        let islam = [s("إسلامي"), s("سلام"), s("مسلم")];
        assert!(islam[0] != islam[1] && islam[1] != islam[2] && islam[0] != islam[2]);
        assert_ne!(s("المخابرات"), s("أخبار"));
        assert_ne!(s("اعتقال"), s("عقل"));
        assert_ne!(s("مكتب"), s("كتاب"));
        assert_eq!(s("بطاطس"), "بطاطس");
        assert_ne!(s("لبنان"), s("لبن"));
        assert_eq!(s("إيران"), "ايران");
        assert_eq!(s("البرلمان"), "برلمان");
        for w in [
            "فرنسا",
            "بيروت",
            "بريد",
            "فريق",
            "فيلم",
            "بوليساريو",
            "واشنطن",
            "وهران",
            "تطوان",
            "بنكيران",
        ] {
            assert_eq!(s(w), normalize_word(w), "{w} must not be stemmed");
        }
    }

    #[test]
    fn father_and_mother_keep_their_waw_alef_lam() {
        all_equal(&["والدة", "والد"], "والد");
    }

    #[test]
    fn latin_words_are_untouched() {
        assert_eq!(stemmer().stem("terroristes", "terroristes"), "terroristes");
        assert_eq!(stemmer().stem("2024", "2024"), "2024");
    }
}
