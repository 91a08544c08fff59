//! Lowercasing, the stage after normalization.
//!
//! tantivy's `LowerCaser` sends every non-ASCII token through Unicode's case tables, character
//! by character, into a new string. Arabic has no case, and Arabic tokens are most of what
//! rasd analyzes, so this stage leaves them as they are and lowercases the rest.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Token filter that lowercases tokens, skipping caseless Arabic ones.
#[derive(Clone, Copy, Default)]
pub struct Lowercase;

impl TokenFilter for Lowercase {
    type Tokenizer<T: Tokenizer> = LowercaseFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> LowercaseFilter<T> {
        LowercaseFilter { inner }
    }
}

/// [`Lowercase`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct LowercaseFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for LowercaseFilter<T> {
    type TokenStream<'a> = LowercaseStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LowercaseStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`LowercaseFilter`].
pub struct LowercaseStream<S> {
    tail: S,
}

/// Characters with no case: the Arabic block.
fn is_caseless_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

impl<S: TokenStream> TokenStream for LowercaseStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if text.is_ascii() {
            text.make_ascii_lowercase();
        } else if !text.chars().all(is_caseless_arabic) {
            *text = text.to_lowercase();
        }
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
    use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};

    fn lowered(text: &str) -> Vec<String> {
        let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(Lowercase)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn latin_greek_and_cyrillic_are_lowercased_arabic_untouched() {
        assert_eq!(
            lowered("FBI Sécurité ΑΘΗΝΑ МОСКВА الإرهاب الـFBI"),
            vec!["fbi", "sécurité", "αθηνα", "москва", "الإرهاب", "الـfbi"]
        );
    }
}
