//! The first stage of every rasd text analyzer: cutting text into words.
//!
//! A word is a run of letters, digits, combining marks and tatweel. Invisible format characters
//! (bidi marks, zero-width joiners, the BOM, the soft hyphen) are carried inside a word instead
//! of splitting it, because real archives are full of them in the middle of Arabic words; the
//! normalizer drops them from the term. A zero-width space is the exception: a word break, as
//! in Unicode's rules and in queries. Offsets always point into the original text, so a
//! highlight covers the whole written word, marks included.
//!
//! A word also ends where Arabic letters meet Latin letters (`الـFBI` → `الـ`, `FBI`) and where
//! Arabic letters meet digits (`2024م` → `2024`, `م`): both are common in Arabic news and the
//! reader sees two words there.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

/// Tatweel (kashida), the Arabic stretching character.
pub(crate) const TATWEEL: char = '\u{0640}';

/// Splits text into words; see the module documentation for what a word is.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    /// The next word's position, kept here: later stages may change the token's.
    position: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            cursor: 0,
            position: 0,
            token: &mut self.token,
        }
    }
}

/// The zero-width space (U+200B).
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// True for the invisible format characters that may sit inside a word without splitting it
/// (the tokenizer splits at a [`ZERO_WIDTH_SPACE`] all the same).
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{061C}'                // Arabic letter mark
        | '\u{200B}'..='\u{200F}'   // zero-width space, ZWNJ, ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner and invisible operators
        | '\u{2066}'..='\u{2069}'   // bidi isolates
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors (a glyph's style, not a letter)
        | '\u{E0100}'..='\u{E01EF}'
        | '\u{FEFF}' // BOM / zero-width no-break space
    )
}

/// What a character contributes to a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    ArabicLetter,
    OtherLetter,
    Digit,
    /// Marks and tatweel: part of the word, whatever its script.
    Joiner,
    /// Invisible format characters: inside a word only, never at its edges.
    Invisible,
    Separator,
}

/// Whether a character is of the Arabic script (letters, marks, presentation forms, and the
/// mathematical letters that normalize to Arabic ones: 𞹗 is خ once normalized, so a word
/// must not join it to Latin letters the way it would not join خ).
pub fn is_arabic_script(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10EC0}'..='\u{10EFF}'
        | '\u{1EE00}'..='\u{1EEFF}'
    )
}

fn kind(c: char) -> CharKind {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            CharKind::OtherLetter
        } else if c.is_ascii_digit() {
            CharKind::Digit
        } else {
            CharKind::Separator
        };
    }
    // The common Arabic letters, marks and digits, without Unicode table lookups.
    match c {
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => return CharKind::ArabicLetter,
        TATWEEL | '\u{064B}'..='\u{065F}' | '\u{0670}' => return CharKind::Joiner,
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => return CharKind::Digit,
        _ => {}
    }
    // A zero-width space is a word break (Unicode's, and a query's: see `query::plain_spaces`),
    // the one invisible mark that splits a word; the normalizer still drops it elsewhere.
    if c == ZERO_WIDTH_SPACE {
        CharKind::Separator
    } else if is_invisible_format(c) {
        CharKind::Invisible
    } else if c == TATWEEL || is_combining_mark(c) {
        CharKind::Joiner
    } else if c.is_numeric() {
        CharKind::Digit
    } else if c.is_alphabetic() {
        if is_arabic_script(c) {
            CharKind::ArabicLetter
        } else {
            CharKind::OtherLetter
        }
    } else {
        CharKind::Separator
    }
}

/// Whether a word must end between a character of kind `before` and one of kind `after`.
fn breaks_between(before: CharKind, after: CharKind) -> bool {
    use CharKind::*;
    matches!(
        (before, after),
        (ArabicLetter, OtherLetter)
            | (OtherLetter, ArabicLetter)
            | (ArabicLetter, Digit)
            | (Digit, ArabicLetter)
    )
}

impl WordTokenStream<'_> {
    /// Finds the next word at or after `self.cursor`: its byte range in the text.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let rest = &self.text[self.cursor..];
        let mut start = None;
        // End of the last visible character of the word, and the kind of its last letter or digit.
        let mut end = 0;
        let mut last_base: Option<CharKind> = None;
        for (i, c) in rest.char_indices() {
            let at = self.cursor + i;
            let k = kind(c);
            match (start, k) {
                (None, CharKind::Separator | CharKind::Invisible) => {}
                (None, _) => {
                    start = Some(at);
                    end = at + c.len_utf8();
                    last_base = (k != CharKind::Joiner).then_some(k);
                }
                (Some(_), CharKind::Separator) => break,
                (Some(_), CharKind::Invisible) => {}
                (Some(_), CharKind::Joiner) => end = at + c.len_utf8(),
                (Some(_), _) => {
                    if last_base.is_some_and(|before| breaks_between(before, k)) {
                        break;
                    }
                    end = at + c.len_utf8();
                    last_base = Some(k);
                }
            }
        }
        let start = start?;
        self.cursor = end;
        Some((start, end))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = self.next_word() else {
            self.cursor = self.text.len();
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|(t, _, _)| t).collect()
    }

    #[test]
    fn diacritised_word_is_one_token_with_its_marks() {
        let text = "الْإِرْهَابُ";
        assert_eq!(words(text), vec![(text.to_string(), 0, text.len())]);
    }

    #[test]
    fn tatweel_stays_inside_the_word() {
        assert_eq!(texts("الإرهـــاب والأمن"), vec!["الإرهـــاب", "والأمن"]);
    }

    #[test]
    fn invisible_marks_never_split_a_word() {
        for mark in [
            '\u{200F}', '\u{200E}', '\u{061C}', '\u{200C}', '\u{200D}', '\u{FEFF}', '\u{00AD}',
            '\u{2067}',
        ] {
            let text = format!("الإر{mark}هاب");
            assert_eq!(
                words(&text),
                vec![(text.clone(), 0, text.len())],
                "{mark:?}"
            );
        }
    }

    #[test]
    fn a_zero_width_space_splits_words() {
        assert_eq!(texts("تهريب\u{200B}المخدرات"), vec!["تهريب", "المخدرات"]);
        assert_eq!(
            texts("trafic\u{200B}\u{200F}drogue"),
            vec!["trafic", "drogue"]
        );
    }

    #[test]
    fn invisible_marks_at_word_edges_are_outside_the_offsets() {
        let text = "\u{200F}الإرهاب\u{200F} x";
        let w = words(text);
        assert_eq!(&text[w[0].1..w[0].2], "الإرهاب");
        assert_eq!(w[1].0, "x");
    }

    #[test]
    fn arabic_punctuation_separates_words() {
        for sep in ["،", "؛", "؟", "«", "»", "“", "”", " ", "\n", "."] {
            let text = format!("الإرهاب{sep}الأمن");
            assert_eq!(texts(&text), vec!["الإرهاب", "الأمن"], "{sep}");
        }
    }

    #[test]
    fn script_changes_split_words() {
        assert_eq!(texts("الـFBI"), vec!["الـ", "FBI"]);
        assert_eq!(texts("2024م"), vec!["2024", "م"]);
        assert_eq!(texts("٢٠٢٤م"), vec!["٢٠٢٤", "م"]);
        assert_eq!(texts("A320 COVID19"), vec!["A320", "COVID19"]);
        // An Arabic mathematical letter is Arabic: found by the analyzer's property tests.
        assert_eq!(texts("É\u{301}\u{1EE57}"), vec!["É\u{301}", "\u{1EE57}"]);
    }

    #[test]
    fn latin_words_split_at_apostrophes_and_hyphens() {
        assert_eq!(texts("l'État Al-Qaïda"), vec!["l", "État", "Al", "Qaïda"]);
    }

    #[test]
    fn positions_count_up_from_zero() {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream("a b c");
        let mut positions = Vec::new();
        while let Some(t) = stream.next() {
            positions.push(t.position);
        }
        assert_eq!(positions, vec![0, 1, 2]);
    }

    #[test]
    fn empty_and_separator_only_text_give_no_tokens() {
        assert!(words("").is_empty());
        assert!(words(" ،؛ \u{200F} ").is_empty());
    }
}
