//! The analyzers rasd is measured against, rebuilt as tantivy analyzers so that every
//! contender runs on the same index schema, queries and ranking.
//!
//! - tantivy's default analyzer, what a tantivy user gets without configuration;
//! - tantivy's Snowball Arabic chain, what a tantivy user gets by adding the built-in stemmer;
//! - Lucene's `ArabicAnalyzer` (also Elasticsearch's and OpenSearch's `arabic` analyzer):
//!   UAX #29 words, lowercase, decimal digits to ASCII, Lucene's stop list (before
//!   normalization, as Lucene does), `ArabicNormalizer`, `ArabicStemmer`. The rules follow
//!   Lucene's sources as documented in the project's research notes.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenStream, Tokenizer,
};
use unicode_segmentation::UnicodeSegmentation;

use rasd::analysis::filter::{MapFilter, TokenMap};

/// Longest token tantivy's default analyzer keeps, in bytes.
const TANTIVY_MAX_TOKEN_BYTES: usize = 40;

/// tantivy's `default` analyzer: alphanumeric runs, tokens over 40 bytes dropped, lowercase.
pub fn tantivy_default() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(TANTIVY_MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// tantivy's default analyzer followed by its built-in Snowball Arabic stemmer.
pub fn snowball_arabic() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(TANTIVY_MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Arabic))
        .build()
}

/// Lucene's `ArabicAnalyzer` chain.
pub fn lucene_arabic() -> TextAnalyzer {
    let stopwords = include_str!("lucene-stopwords-ar.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().to_string());
    TextAnalyzer::builder(Uax29Tokenizer)
        .filter(LowerCaser)
        .filter(MapFilter(TermRewrite(decimal_digits_to_ascii)))
        .filter(StopWordFilter::remove(stopwords))
        .filter(MapFilter(TermRewrite(lucene_normalize)))
        .filter(MapFilter(TermRewrite(lucene_stem)))
        .build()
}

/// Words by the Unicode word-boundary rules (UAX #29), as Lucene's `StandardTokenizer`:
/// combining marks and format characters stay inside the word.
#[derive(Clone, Copy)]
pub struct Uax29Tokenizer;

/// The token stream of [`Uax29Tokenizer`].
pub struct Uax29Stream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for Uax29Tokenizer {
    type TokenStream<'a> = Uax29Stream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Uax29Stream {
        let tokens = text
            .unicode_word_indices()
            .enumerate()
            .map(|(position, (offset, word))| Token {
                offset_from: offset,
                offset_to: offset + word.len(),
                position,
                text: word.to_string(),
                position_length: 1,
            })
            .collect();
        Uax29Stream { tokens, next: 0 }
    }
}

impl TokenStream for Uax29Stream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// A function applied to each term (use it as `MapFilter(TermRewrite(f))`).
#[derive(Clone, Copy)]
pub struct TermRewrite(pub fn(&str) -> String);

impl TokenMap for TermRewrite {
    fn map(&mut self, _text: &str, token: &mut Token) -> bool {
        token.text = (self.0)(&token.text);
        true
    }
}

/// Lucene's `DecimalDigitFilter`: decimal digits of other scripts to ASCII (the zero of each
/// block of ten digits is listed; these cover Arabic, Persian, N'Ko, Devanagari, full width).
fn decimal_digits_to_ascii(term: &str) -> String {
    const ZEROS: &[u32] = &[0x0660, 0x06F0, 0x07C0, 0x0966, 0xFF10];
    term.chars()
        .map(|c| {
            let code = u32::from(c);
            ZEROS
                .iter()
                .find(|&&zero| (zero..zero + 10).contains(&code))
                .and_then(|&zero| char::from_digit(code - zero, 10))
                .unwrap_or(c)
        })
        .collect()
}

/// Lucene's `ArabicNormalizer`: alef forms to bare alef, ى to ي, ة to ه; tatweel and the
/// eight harakat (U+064B–U+0652) deleted. Nothing else.
fn lucene_normalize(term: &str) -> String {
    term.chars()
        .filter_map(|c| match c {
            'آ' | 'أ' | 'إ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            '\u{0640}' | '\u{064B}'..='\u{0652}' => None,
            other => Some(other),
        })
        .collect()
}

/// Lucene's `ArabicStemmer` (light10): the first matching prefix is removed, then each
/// suffix in turn, with Lucene's length conditions (counted in characters).
fn lucene_stem(term: &str) -> String {
    const PREFIXES: &[&str] = &["ال", "وال", "بال", "كال", "فال", "لل", "و"];
    const SUFFIXES: &[&str] = &["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];
    let mut chars: Vec<char> = term.chars().collect();
    for prefix in PREFIXES {
        let prefix: Vec<char> = prefix.chars().collect();
        let long_enough = if prefix.len() == 1 {
            chars.len() >= 4
        } else {
            chars.len() >= prefix.len() + 2
        };
        if long_enough && chars.starts_with(&prefix) {
            chars.drain(..prefix.len());
            break;
        }
    }
    for suffix in SUFFIXES {
        let suffix: Vec<char> = suffix.chars().collect();
        if chars.len() >= suffix.len() + 2 && chars.ends_with(&suffix) {
            chars.truncate(chars.len() - suffix.len());
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        rasd::analysis::terms(&mut analyzer, text)
    }

    #[test]
    fn lucene_chain_follows_lucene() {
        // Light10 merges, stop words removed before normalization, digits folded.
        assert_eq!(
            terms(lucene_arabic(), "والإرهابيين في ٢٠٢٤"),
            vec!["ارهاب", "2024"]
        );
        // Lucene's known over-stemming, reproduced on purpose.
        assert_eq!(
            terms(lucene_arabic(), "البحرين"),
            terms(lucene_arabic(), "البحر")
        );
        assert_eq!(terms(lucene_arabic(), "لبنان"), vec!["لبن"]);
        // Marks stay in the UAX #29 word, and Lucene removes only the harakat.
        assert_eq!(terms(lucene_arabic(), "الإِرْهَاب"), vec!["ارهاب"]);
        assert_eq!(
            terms(lucene_arabic(), "إر\u{200F}هاب"),
            vec!["ار\u{200F}هاب"]
        );
    }

    #[test]
    fn tantivy_chains_split_on_invisible_marks() {
        // SimpleTokenizer cuts words at format characters: the trap the research describes.
        assert_eq!(terms(tantivy_default(), "إر\u{200F}هاب"), vec!["إر", "هاب"]);
        assert_eq!(terms(tantivy_default(), "إِرْهَاب"), vec!["إِرْهَاب"]);
        assert_eq!(terms(tantivy_default(), "Sécurité"), vec!["sécurité"]);
        assert_eq!(terms(snowball_arabic(), "الإرهاب").len(), 1);
    }
}
