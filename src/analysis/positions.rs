//! The positions a view indexes, after its stop words are dropped: the words kept are numbered
//! one after another, and a sentence or clause boundary between two of them leaves one empty
//! position.
//!
//! Phrases are matched on these positions. Numbered as written, a dropped stop word left an
//! empty position that any word filled: `"الاتجار في الأسلحة"` found `الاتجار الإلكتروني
//! الأسلحة` (e-commerce in weapons) and `الاتجار بالبشر. الأسلحة` (a sentence about human
//! trafficking, then one about weapons). Numbered this way, a phrase's words must follow each
//! other but for stop words, and never across `.`, `,`, `:`, `;`, `?`, `!` (Arabic forms
//! too) or a line break. `"الاتجار في الأسلحة"` still finds `الاتجار بالأسلحة`, whose
//! terms in the stemmed view are the same, and the phrase written with another stop word.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Whether `c`, between two words, ends a sentence or a clause.
fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ':' | ';' | '?' | '!' | '…'
            | '\u{060C}' // Arabic comma
            | '\u{061B}' // Arabic semicolon
            | '\u{061F}' // Arabic question mark
            | '\u{06D4}' // Arabic full stop
            | '\n' | '\r' | '\u{2028}' | '\u{2029}'
    )
}

/// The token filter: see the module's documentation.
#[derive(Clone, Copy, Default)]
pub struct ClosePositions;

impl TokenFilter for ClosePositions {
    type Tokenizer<T: Tokenizer> = ClosePositionsTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> ClosePositionsTokenizer<T> {
        ClosePositionsTokenizer { inner }
    }
}

/// [`ClosePositions`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct ClosePositionsTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ClosePositionsTokenizer<T> {
    type TokenStream<'a> = ClosePositionsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ClosePositionsStream {
            tail: self.inner.token_stream(text),
            text,
            last: None,
        }
    }
}

/// The token stream of a [`ClosePositionsTokenizer`].
pub struct ClosePositionsStream<'a, S> {
    tail: S,
    text: &'a str,
    /// The last token's position, and where its word started and ended. (Not its position as
    /// written: the tokenizer counts on from the position this stage gives.)
    last: Option<(usize, usize, usize)>,
}

impl<S: TokenStream> TokenStream for ClosePositionsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let position = match self.last {
            None => 0,
            // Two terms of one word keep one position.
            Some((last, start, _)) if start == token.offset_from => last,
            Some((last, _, end)) => {
                let between = self.text.get(end..token.offset_from).unwrap_or_default();
                last + 1 + usize::from(between.chars().any(is_boundary))
            }
        };
        token.position = position;
        self.last = Some((position, token.offset_from, token.offset_to));
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenizer::WordTokenizer;
    use tantivy::tokenizer::{StopWordFilter, TextAnalyzer};

    fn positions(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
            .filter(StopWordFilter::remove([
                "في".to_string(),
                "the".to_string(),
            ]))
            .filter(ClosePositions)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn numbers(text: &str) -> Vec<usize> {
        positions(text).into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn stop_words_leave_no_gap() {
        assert_eq!(numbers("الاتجار في الأسلحة"), [0, 1]);
        assert_eq!(numbers("الاتجار في في الأسلحة"), [0, 1]);
        assert_eq!(numbers("في الاتجار الأسلحة"), [0, 1]);
        assert_eq!(numbers("seized the arms"), [0, 1]);
    }

    #[test]
    fn a_word_in_between_keeps_its_place() {
        assert_eq!(numbers("الاتجار الإلكتروني الأسلحة"), [0, 1, 2]);
    }

    #[test]
    fn boundaries_leave_one_gap() {
        assert_eq!(numbers("الاتجار بالبشر. الأسلحة"), [0, 1, 3]);
        assert_eq!(numbers("الاتجار بالبشر، في الأسلحة"), [0, 1, 3]);
        assert_eq!(numbers("Le trafic, la drogue"), [0, 1, 3, 4]);
        assert_eq!(numbers("a?! b\n\nc"), [0, 2, 4]);
        assert_eq!(numbers("هل؟ نعم؛ لا"), [0, 2, 4]);
    }

    #[test]
    fn other_marks_are_no_boundary() {
        assert_eq!(
            numbers("ملف «زوارق الشمال» (طنجة) - al-Assad"),
            [0, 1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn each_text_starts_at_zero() {
        let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
            .filter(ClosePositions)
            .build();
        for text in ["a b. c", "d e"] {
            let mut stream = analyzer.token_stream(text);
            assert_eq!(stream.next().map(|t| t.position), Some(0));
        }
    }
}
