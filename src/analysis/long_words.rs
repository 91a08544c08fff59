//! Drops absurdly long tokens (base64 blobs, URLs glued to text) that would bloat the index.
//!
//! tantivy's `RemoveLongFilter` counts UTF-8 bytes, so it drops a 20-letter Arabic word while
//! keeping a 39-letter English one. This filter counts characters of the normalized word.

use tantivy::tokenizer::Token;

use super::filter::TokenMap;

/// Longest word kept, in characters after normalization. The longest dictionary words of
/// Arabic, French and English, clitics included, stay well below it.
pub const MAX_WORD_CHARS: usize = 64;

/// Removes tokens longer than [`MAX_WORD_CHARS`] characters (use it as
/// `MapFilter(RemoveLongWords)`).
#[derive(Clone, Copy, Default)]
pub struct RemoveLongWords;

impl TokenMap for RemoveLongWords {
    fn map(&mut self, _text: &str, token: &mut Token) -> bool {
        let text = &token.text;
        // A cheap byte test first: at most 4 bytes per character.
        text.len() <= MAX_WORD_CHARS || text.chars().count() <= MAX_WORD_CHARS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::filter::mapped;

    fn kept(text: &str) -> Vec<String> {
        mapped(RemoveLongWords, text)
    }

    #[test]
    fn long_arabic_words_are_kept() {
        // 25 characters, 50 bytes: tantivy's default analyzer drops it.
        let word = "والاستخباراتيةوالاستخبار";
        assert_eq!(kept(word), vec![word]);
    }

    #[test]
    fn words_over_the_limit_are_dropped() {
        let blob = "a".repeat(MAX_WORD_CHARS + 1);
        let limit = "ب".repeat(MAX_WORD_CHARS);
        assert_eq!(
            kept(&format!("x {blob} {limit}")),
            vec!["x".to_string(), limit]
        );
    }
}
