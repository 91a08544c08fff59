//! The stop words a view drops, and the positions it indexes: the words kept are numbered one
//! after another, a negation keeps its place (see [`super::stop_words`]), and the end of a
//! sentence, a clause or a paragraph between two words leaves one empty position. One stage,
//! as the positions depend on which words are dropped and how.
//!
//! Phrases are matched on these positions. Numbered as written, a dropped stop word left an
//! empty position that any word filled: `"الاتجار في الأسلحة"` found `الاتجار الإلكتروني
//! الأسلحة` (e-commerce in weapons) and `الاتجار بالبشر. الأسلحة` (a sentence about human
//! trafficking, then one about weapons). Numbered this way, a phrase's words must follow each
//! other but for stop words, and never across a boundary. `"الاتجار في الأسلحة"` still finds
//! `الاتجار بالأسلحة`, whose terms in the stemmed view are the same, and the phrase written
//! with another stop word.
//!
//! A boundary is punctuation that ends a sentence or a clause and is followed by a space, so
//! that `3.5`, `1,000`, `10:30`, `U.S.` and `example.com` are none; a full stop after a word of
//! one or two letters is none either (`M. Dupont`, `George W. Bush`, `د. محمد`); and a blank
//! line. A single line break is none: text is often wrapped in the middle of a sentence. A stop
//! word between two numbers keeps its place (`3 à 5 tonnes` is no `3.5 tonnes`). Query
//! phrases are analyzed alike, so a phrase copied from an article always finds it.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::stop_words::{Kind, StopWords};

/// Whether `c` ends a sentence or a clause when a space follows it.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ':' | ';' | '?' | '!' | '…'
            | '\u{060C}' // Arabic comma
            | '\u{061B}' // Arabic semicolon
            | '\u{061F}' // Arabic question mark
            | '\u{06D4}' // Arabic full stop
            | '\u{3001}' | '\u{3002}' // ideographic comma and full stop
            | '\u{FF0C}' | '\u{FF0E}' | '\u{FF1A}' | '\u{FF1B}' | '\u{FF1F}' | '\u{FF01}' // fullwidth , . : ; ? !
    )
}

/// Whether `c` is a full stop, which an abbreviation may end with too.
fn is_full_stop(c: char) -> bool {
    matches!(c, '.' | '\u{06D4}' | '\u{3002}' | '\u{FF0E}')
}

/// Whether `c` breaks a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whether the text `between` two words, the first of them `before`, holds a boundary.
fn is_boundary(before: &str, between: &str) -> bool {
    let mut chars = between.chars().peekable();
    let mut line_breaks = 0;
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            // `\r\n` is one line break; a paragraph separator is a blank line of its own.
            if !(c == '\r' && chars.peek() == Some(&'\n')) {
                line_breaks += if c == '\u{2029}' { 2 } else { 1 };
            }
            if line_breaks >= 2 {
                return true;
            }
        } else if c.is_whitespace() {
            continue;
        } else {
            line_breaks = 0;
        }
        let spaced = chars.peek().is_some_and(|next| next.is_whitespace());
        if spaced && is_clause_end(c) && !(is_full_stop(c) && before.chars().count() < 3) {
            return true;
        }
    }
    false
}

/// Whether `word` is written in digits only.
fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_numeric())
}

/// The token filter: see the module's documentation.
#[derive(Clone)]
pub struct StopWordsAndPositions {
    stop_words: StopWords,
}

impl StopWordsAndPositions {
    /// Drops `stop_words` and numbers the words left.
    pub fn new(stop_words: StopWords) -> StopWordsAndPositions {
        StopWordsAndPositions { stop_words }
    }
}

impl TokenFilter for StopWordsAndPositions {
    type Tokenizer<T: Tokenizer> = StopWordsAndPositionsTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StopWordsAndPositionsTokenizer<T> {
        StopWordsAndPositionsTokenizer {
            inner,
            stop_words: self.stop_words,
        }
    }
}

/// [`StopWordsAndPositions`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct StopWordsAndPositionsTokenizer<T> {
    inner: T,
    stop_words: StopWords,
}

impl<T: Tokenizer> Tokenizer for StopWordsAndPositionsTokenizer<T> {
    type TokenStream<'a> = StopWordsAndPositionsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopWordsAndPositionsStream {
            tail: self.inner.token_stream(text),
            stop_words: &self.stop_words,
            text,
            last: None,
        }
    }
}

/// The token stream of a [`StopWordsAndPositionsTokenizer`].
pub struct StopWordsAndPositionsStream<'a, S> {
    tail: S,
    stop_words: &'a StopWords,
    text: &'a str,
    /// The last word's position, and where it started and ended. (Not its position as
    /// written: the tokenizer counts on from the position this stage gives.)
    last: Option<(usize, usize, usize)>,
}

impl<S: TokenStream> TokenStream for StopWordsAndPositionsStream<'_, S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            let kind = self.stop_words.kind(&token.text);
            if kind == Kind::Dropped {
                continue;
            }
            let position = match self.last {
                None => 0,
                // Two terms of one word keep one position.
                Some((last, start, _)) if start == token.offset_from => last,
                Some((last, start, end)) => {
                    let between = self.text.get(end..token.offset_from).unwrap_or_default();
                    // Most words are one space apart: nothing to read there.
                    let gap = between != " " && {
                        let before = self.text.get(start..end).unwrap_or_default();
                        // A stop word between two numbers keeps its place: `3 à 5 tonnes` is
                        // no `3.5 tonnes`.
                        let range = is_number(before)
                            && is_number(&token.text)
                            && between.chars().any(char::is_alphabetic);
                        range || is_boundary(before, between)
                    };
                    last + 1 + usize::from(gap)
                }
            };
            token.position = position;
            self.last = Some((position, token.offset_from, token.offset_to));
            // A negation keeps its place and goes no further.
            if kind == Kind::Word {
                return true;
            }
        }
        false
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
    use tantivy::tokenizer::TextAnalyzer;

    fn analyzer() -> TextAnalyzer {
        let stop_words = ["في", "غير", "the", "not", "la", "le", "de"];
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(StopWordsAndPositions::new(StopWords::new(stop_words)))
            .build()
    }

    fn positions(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = analyzer();
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
    fn a_negation_keeps_its_place_and_is_not_a_term() {
        assert_eq!(
            positions("الهجرة غير الشرعية"),
            [("الهجرة".to_string(), 0), ("الشرعية".to_string(), 2)]
        );
        assert_eq!(numbers("not the guilty"), [1]);
    }

    #[test]
    fn a_word_in_between_keeps_its_place() {
        assert_eq!(numbers("الاتجار الإلكتروني الأسلحة"), [0, 1, 2]);
    }

    #[test]
    fn clause_ends_before_a_space_leave_one_gap() {
        assert_eq!(numbers("الاتجار بالبشر. الأسلحة"), [0, 1, 3]);
        assert_eq!(numbers("الاتجار بالبشر، في الأسلحة"), [0, 1, 3]);
        assert_eq!(numbers("le trafic, la drogue"), [0, 2]);
        assert_eq!(numbers("a?! b c"), [0, 2, 3]);
        assert_eq!(numbers("هل؟ نعم؛ لا"), [0, 2, 4]);
        assert_eq!(numbers("word... next"), [0, 2]);
    }

    #[test]
    fn punctuation_inside_a_token_or_after_an_initial_is_no_boundary() {
        for text in [
            "3.5 million",
            "1,000,000 dinars",
            "10:30 heures",
            "U.S. Navy",
            "M. Dupont",
            "George W. Bush",
            "د. محمد",
            "example.com info@x.org",
            "word.word",
            "كلمة،كلمة",
        ] {
            let n = numbers(text);
            assert_eq!(n, (0..n.len()).collect::<Vec<_>>(), "{text}");
        }
    }

    #[test]
    fn a_stop_word_between_numbers_keeps_its_place() {
        assert_eq!(numbers("3 في 5 tonnes"), [0, 2, 3]);
        assert_eq!(numbers("3.5 tonnes"), [0, 1, 2]);
    }

    #[test]
    fn a_blank_line_is_a_boundary_and_a_wrapped_line_is_not() {
        assert_eq!(numbers("money\nlaundering"), [0, 1]);
        assert_eq!(numbers("money\r\nlaundering"), [0, 1]);
        assert_eq!(numbers("money\u{2028}laundering"), [0, 1]);
        assert_eq!(numbers("money\n\nlaundering"), [0, 2]);
        assert_eq!(numbers("money\r\n \r\nlaundering"), [0, 2]);
        assert_eq!(numbers("money\u{2029}laundering"), [0, 2]);
        assert_eq!(numbers("money\n«\nlaundering"), [0, 1]);
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
        let mut analyzer = analyzer();
        for text in ["a b. c", "d e"] {
            let mut stream = analyzer.token_stream(text);
            assert_eq!(stream.next().map(|t| t.position), Some(0));
        }
    }
}
