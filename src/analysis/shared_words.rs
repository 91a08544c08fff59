//! The words of a text, cut and normalized once for all the views that analyze it.
//!
//! An article's title and body are each analyzed in three to five views (stemmed, surface,
//! name keys, and the French or English view), one after the other, on the same writer
//! thread, and every view begins with the same stages: words cut by [`WordTokenizer`],
//! normalized, lowercased, accent-folded, words over the length cap dropped (the base stages,
//! `analysis::base_stages`). [`SharedWords`] runs the base stages over a text and keeps what
//! they gave (each word's term, offsets and position) for the last [`RECENT_TEXTS`] texts of
//! its thread; a view of a text met lately replays them, and only the view's own stages (stop
//! words, stemming, name keys) run. A text is recognised by its whole content, so the tokens
//! replayed are the ones the base stages would give again.
//!
//! Kept per thread, not per analyzer: tantivy clones an analyzer for every field of every
//! segment it writes, and the views of a text are different analyzers.
//!
//! [`WordTokenizer`]: super::tokenizer::WordTokenizer

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Texts a thread keeps the words of: an article's title and body, and room for a field
/// analyzed between their views (the author's words).
const RECENT_TEXTS: usize = 4;

/// The longest text whose words are kept: a longer one (a web page of several hundred
/// kilobytes) is analyzed again by each view rather than copied.
const MAX_KEPT_TEXT: usize = 1 << 16;

/// One token the base stages gave; its term ends at `term_end` in [`Cut::terms`].
#[derive(Clone, Copy)]
struct CutWord {
    offset_from: usize,
    offset_to: usize,
    position: usize,
    position_length: usize,
    term_end: usize,
}

/// A text and the tokens the base stages gave for it, their terms one after the other.
#[derive(Default)]
struct Cut {
    text: String,
    terms: String,
    words: Vec<CutWord>,
}

thread_local! {
    /// The texts this thread analyzed last, the last one at the end.
    static RECENT: RefCell<Vec<Cut>> = const { RefCell::new(Vec::new()) };
}

/// The tokens of `text` if this thread analyzed it lately, taken out of the thread.
fn take_cut(text: &str) -> Option<Cut> {
    RECENT
        .try_with(|recent| {
            let mut recent = recent.borrow_mut();
            let index = recent.iter().position(|cut| cut.text == text)?;
            Some(recent.remove(index))
        })
        .ok()
        .flatten()
}

/// Keeps the tokens of a text for the next view of it on this thread, forgetting the text
/// met least recently when the thread keeps [`RECENT_TEXTS`].
fn keep_cut(cut: Cut) {
    // A thread being torn down keeps nothing.
    let _ = RECENT.try_with(|recent| {
        let mut recent = recent.borrow_mut();
        if recent.len() >= RECENT_TEXTS {
            recent.remove(0);
        }
        recent.push(cut);
    });
}

/// The tokens the base stages `base` give for a text, given once per text and thread (see
/// the module documentation).
#[derive(Clone)]
pub struct SharedWords<B> {
    base: B,
    token: Token,
}

impl<B: Tokenizer> SharedWords<B> {
    /// The tokens `base` gives, shared by the views of a text.
    pub fn new(base: B) -> SharedWords<B> {
        SharedWords {
            base,
            token: Token::default(),
        }
    }
}

impl<B: Tokenizer> Tokenizer for SharedWords<B> {
    type TokenStream<'a> = SharedWordsStream<'a, B::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        let source = match take_cut(text) {
            Some(cut) => Source::Known {
                cut,
                next: 0,
                term_start: 0,
            },
            None => Source::Cutting {
                stream: self.base.token_stream(text),
                cut: (text.len() <= MAX_KEPT_TEXT).then(Cut::default),
                done: false,
            },
        };
        SharedWordsStream {
            text,
            token: &mut self.token,
            source,
        }
    }
}

/// Where a stream's tokens come from.
enum Source<S> {
    /// The base stages, run as the stream goes; their tokens are kept in `cut` (for a text
    /// short enough), for the next view, once the stream has read them all (`done`).
    Cutting {
        stream: S,
        cut: Option<Cut>,
        done: bool,
    },
    /// The tokens the base stages gave for the same text, for another view.
    Known {
        cut: Cut,
        next: usize,
        term_start: usize,
    },
}

/// The token stream of [`SharedWords`].
pub struct SharedWordsStream<'a, S> {
    text: &'a str,
    /// The token replayed from a [`Source::Known`].
    token: &'a mut Token,
    source: Source<S>,
}

impl<S: TokenStream> TokenStream for SharedWordsStream<'_, S> {
    fn advance(&mut self) -> bool {
        match &mut self.source {
            Source::Cutting { stream, cut, done } => {
                if !stream.advance() {
                    *done = true;
                    return false;
                }
                if let Some(cut) = cut {
                    let token = stream.token();
                    cut.terms.push_str(&token.text);
                    cut.words.push(CutWord {
                        offset_from: token.offset_from,
                        offset_to: token.offset_to,
                        position: token.position,
                        position_length: token.position_length,
                        term_end: cut.terms.len(),
                    });
                }
                true
            }
            Source::Known {
                cut,
                next,
                term_start,
            } => {
                let Some(word) = cut.words.get(*next) else {
                    return false;
                };
                *next += 1;
                let token = &mut *self.token;
                token.text.clear();
                token.text.push_str(&cut.terms[*term_start..word.term_end]);
                *term_start = word.term_end;
                token.offset_from = word.offset_from;
                token.offset_to = word.offset_to;
                token.position = word.position;
                token.position_length = word.position_length;
                true
            }
        }
    }

    fn token(&self) -> &Token {
        match &self.source {
            Source::Cutting { stream, .. } => stream.token(),
            Source::Known { .. } => self.token,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.source {
            Source::Cutting { stream, .. } => stream.token_mut(),
            Source::Known { .. } => self.token,
        }
    }
}

impl<S> Drop for SharedWordsStream<'_, S> {
    fn drop(&mut self) {
        match &mut self.source {
            Source::Cutting {
                cut: Some(cut),
                done: true,
                ..
            } => {
                cut.text = self.text.to_owned();
                keep_cut(std::mem::take(cut));
            }
            Source::Known { cut, .. } => keep_cut(std::mem::take(cut)),
            Source::Cutting { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;
    use tantivy::tokenizer::TextAnalyzer;

    use crate::analysis::properties::messy_text;
    use crate::analysis::snowball::LatinLanguage;
    use crate::analysis::{
        base_stages, latin_analyzer, latin_stages, name_key_analyzer, name_key_stages,
        stemmed_analyzer, stemmed_stages, surface_analyzer, surface_stages,
    };

    use crate::analysis::tests::lists;

    /// Each text analyzer as rasd registers it, beside the same stages with the base stages
    /// run by every view, as the analyzers did before the views shared them.
    fn pairs() -> Vec<(&'static str, TextAnalyzer, TextAnalyzer)> {
        let lists = lists();
        let (french, english) = (LatinLanguage::French, LatinLanguage::English);
        vec![
            (
                "stemmed",
                stemmed_analyzer(&lists),
                stemmed_stages(base_stages(), &lists),
            ),
            (
                "surface",
                surface_analyzer(&lists),
                surface_stages(base_stages(), &lists),
            ),
            (
                "french",
                latin_analyzer(&lists, french),
                latin_stages(base_stages(), &lists, french),
            ),
            (
                "english",
                latin_analyzer(&lists, english),
                latin_stages(base_stages(), &lists, english),
            ),
            (
                "name keys",
                name_key_analyzer(),
                name_key_stages(base_stages()),
            ),
        ]
    }

    /// Everything a token carries into the index.
    fn tokens(
        analyzer: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<(String, usize, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((
                t.text.clone(),
                t.offset_from,
                t.offset_to,
                t.position,
                t.position_length,
            ));
        }
        out
    }

    /// Analyzes `text` in every view in turn, as the indexer does (the first view cuts the
    /// text, the others replay it), and asserts that each gives the tokens of its stages run
    /// on their own.
    fn assert_same_tokens(
        pairs: &mut [(&'static str, TextAnalyzer, TextAnalyzer)],
        text: &str,
    ) -> Result<(), TestCaseError> {
        for (name, shared, alone) in pairs.iter_mut() {
            let expected = tokens(alone, text);
            prop_assert_eq!(
                tokens(shared, text),
                expected,
                "{} analyzer, {:?}",
                name,
                text
            );
        }
        Ok(())
    }

    /// The texts of the files under `root`: each title and body of a JSON Lines file, the
    /// whole text (decoded lossily) of any other file.
    fn texts_under(root: &Path) -> Vec<String> {
        let mut texts = Vec::new();
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.expect("the corpus can be walked");
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path()).expect("a corpus file can be read");
            let text = String::from_utf8_lossy(&bytes);
            if entry.path().extension().is_some_and(|e| e == "jsonl") {
                for line in text.lines() {
                    let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                    for part in ["title", "body"] {
                        texts.extend(value[part].as_str().map(String::from));
                    }
                }
            } else {
                texts.push(text.into_owned());
            }
        }
        texts
    }

    /// The terms, offsets and positions are those of the analyzers before the views shared
    /// their base stages, on the sample corpus and, with `RASD_SAME_TERMS_CORPUS=DIR`, on
    /// another corpus (a generated one: `gen-corpus --docs 30000 --out DIR`).
    #[test]
    fn sharing_changes_no_token_of_a_corpus() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
        let mut texts = texts_under(&sample);
        assert!(texts.len() > 30, "the sample corpus is read");
        if let Some(other) = std::env::var_os("RASD_SAME_TERMS_CORPUS") {
            let more = texts_under(Path::new(&other));
            assert!(!more.is_empty(), "RASD_SAME_TERMS_CORPUS holds no text");
            texts.extend(more);
        }
        let mut pairs = pairs();
        for text in &texts {
            assert_same_tokens(&mut pairs, text).unwrap();
        }
    }

    #[test]
    fn a_megabyte_text_and_long_words_give_the_same_tokens() {
        let mut text = String::new();
        let mut n = 0u32;
        while text.len() < 1 << 20 {
            let letters: String = (0..6)
                .map(|i| char::from_u32(0x0621 + (n >> (i * 4) & 0xF) * 2).unwrap_or('ب'))
                .collect();
            let long = "ب".repeat(n as usize % 90);
            text.push_str(&format!("و{letters} Mot{n} {long} الإرهاب\u{200F}ـ "));
            n += 1;
        }
        let mut pairs = pairs();
        assert_same_tokens(&mut pairs, &text).unwrap();
        // Under the size kept, twice: the second time every view replays the words.
        let mut end = super::MAX_KEPT_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let short = &text[..end];
        assert_same_tokens(&mut pairs, short).unwrap();
        assert_same_tokens(&mut pairs, short).unwrap();
    }

    #[test]
    fn texts_of_one_length_are_told_apart() {
        let lists = lists();
        let mut surface = surface_analyzer(&lists);
        let mut stemmed = stemmed_analyzer(&lists);
        let first = tokens(&mut surface, "الأمن ab");
        assert_eq!(first[0].0, "الامن");
        let other = tokens(&mut stemmed, "الأمن cd");
        assert_eq!(other[1].0, "cd");
        assert_eq!(tokens(&mut stemmed, "الأمن ab")[1].0, "ab");
    }

    #[test]
    fn a_text_read_in_part_is_cut_again() {
        let lists = lists();
        let text = "قال الوزير إن الأمن الوطني أوقف خلية في طنجة";
        let mut surface = surface_analyzer(&lists);
        assert_eq!(crate::analysis::single_term(&mut surface, text), None);
        let expected = tokens(&mut surface_stages(base_stages(), &lists), text);
        assert_eq!(tokens(&mut surface, text), expected);
        assert_eq!(tokens(&mut surface, text), expected);
    }

    proptest! {
        #[test]
        fn sharing_changes_no_token(text in messy_text(), other in messy_text()) {
            let mut pairs = pairs();
            // Each text twice, the other between them: the second time the views replay it.
            for text in [&text, &other, &text, &other] {
                assert_same_tokens(&mut pairs, text)?;
            }
        }
    }
}
