//! The one mechanism behind rasd's token filters: a [`TokenMap`] changes each token in place
//! or drops it, and [`MapFilter`] turns it into a tantivy `TokenFilter`. Each stage
//! (normalizer, lowercase, stemmers, length cap) is then only its rule, tested beside it.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// One stage of analysis, applied token by token.
pub trait TokenMap: Clone + Send + Sync + 'static {
    /// Changes `token`, a word of `text` (its offsets point into `text`); returns false to
    /// drop it.
    fn map(&mut self, text: &str, token: &mut Token) -> bool;
}

/// A [`TokenMap`] as a tantivy token filter.
#[derive(Clone, Copy, Default)]
pub struct MapFilter<M>(pub M);

impl<M: TokenMap> TokenFilter for MapFilter<M> {
    type Tokenizer<T: Tokenizer> = MapFilterTokenizer<T, M>;

    fn transform<T: Tokenizer>(self, inner: T) -> MapFilterTokenizer<T, M> {
        MapFilterTokenizer { inner, map: self.0 }
    }
}

/// A [`MapFilter`] wrapped around a tokenizer. The map's state (buffers, stemmers) lives here
/// and serves every text analyzed.
#[derive(Clone)]
pub struct MapFilterTokenizer<T, M> {
    inner: T,
    map: M,
}

impl<T: Tokenizer, M: TokenMap> Tokenizer for MapFilterTokenizer<T, M> {
    type TokenStream<'a> = MapFilterStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapFilterStream {
            tail: self.inner.token_stream(text),
            map: &mut self.map,
            text,
        }
    }
}

/// The token stream of a [`MapFilterTokenizer`].
pub struct MapFilterStream<'a, S, M> {
    tail: S,
    map: &'a mut M,
    text: &'a str,
}

impl<S: TokenStream, M: TokenMap> TokenStream for MapFilterStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if self.map.map(self.text, self.tail.token_mut()) {
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

/// The terms `map` makes of the whitespace-separated words of `text`: for the stages' tests.
#[cfg(test)]
pub(crate) fn mapped<M: TokenMap>(map: M, text: &str) -> Vec<String> {
    use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
    let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default())
        .filter(MapFilter(map))
        .build();
    super::terms(&mut analyzer, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};

    /// Uppercases words and drops those starting with `x`, counting what it saw.
    #[derive(Clone, Default)]
    struct Shout(usize);

    impl TokenMap for Shout {
        fn map(&mut self, text: &str, token: &mut Token) -> bool {
            self.0 += 1;
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
            token.text.make_ascii_uppercase();
            !token.text.starts_with('X')
        }
    }

    #[test]
    fn maps_keep_or_drop_tokens_and_keep_their_state() {
        let mut analyzer = TextAnalyzer::builder(WhitespaceTokenizer::default())
            .filter(MapFilter(Shout::default()))
            .build();
        let mut words = Vec::new();
        for text in ["a xb c", "x d"] {
            let mut stream = analyzer.token_stream(text);
            while let Some(t) = stream.next() {
                words.push((t.text.clone(), t.position));
            }
        }
        assert_eq!(words, [("A".into(), 0), ("C".into(), 2), ("D".into(), 1)]);
    }
}
