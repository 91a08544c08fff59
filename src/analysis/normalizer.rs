//! Orthographic normalization of Arabic words, the second stage of rasd's analyzers.
//!
//! The same Arabic word is written many ways: with or without diacritics, stretched with
//! tatweel, with or without hamza on its alef, with teh marbuta or heh, in presentation forms
//! copied out of old PDFs, with Persian letters, with Arabic-Indic digits, decomposed (NFD).
//! [`normalize_word`] maps all of these to one form so that they meet in the index.
//! Latin letters are left alone here; later stages lowercase and fold them.

use std::borrow::Cow;

use tantivy::tokenizer::Token;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

use super::filter::TokenMap;
use super::tokenizer::{TATWEEL, is_invisible_format};

/// Characters dropped from every word: harakat, Quranic marks, dagger alef, tatweel and
/// invisible format characters.
pub(crate) fn is_deleted(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'     // Quranic honorifics and small marks
        | '\u{064B}'..='\u{065F}'   // harakat, shadda, sukun, combining hamza and madda
        | '\u{0670}'                // superscript (dagger) alef
        | '\u{06D6}'..='\u{06DC}'   // Quranic annotation marks
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}'   // extended Arabic marks
        | TATWEEL
    ) || is_invisible_format(c)
}

/// Arabic letters that NFKC leaves alone and no stage deletes (hamza to yeh, feh to yeh).
fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

/// The one-to-one letter foldings, applied after compatibility folding.
fn fold_letter(c: char) -> char {
    match c {
        // alef with hamza above or below, with madda, wasla, wavy hamza
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        // alef maqsura and the Persian and Urdu yehs
        'ى' | 'ی' | 'ے' => 'ي',
        // teh marbuta and the Persian and Urdu hehs
        'ة' | 'ۀ' | 'ہ' | 'ە' => 'ه',
        // keheh (Persian kaf)
        'ک' => 'ك',
        // hamza on waw and on yeh: both standard spellings (مسؤول / مسئول) meet
        'ؤ' | 'ئ' => 'ء',
        _ => ascii_digit(c),
    }
}

/// Whether `c` is an invisible mark that sets the direction of text around it (LRM, RLM, ALM,
/// embeddings, overrides and isolates), which text copied from a right-to-left page carries
/// around words and numbers.
pub fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A mark that says nothing of the text around it: a direction mark or a byte-order mark.
pub fn is_invisible_mark(c: char) -> bool {
    is_direction_mark(c) || c == '\u{FEFF}'
}

/// A full-width form of an ASCII character (`Ｏ`, `２`, `［`, as an East Asian input method types
/// them) as that character; other characters unchanged.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// Arabic-Indic and Eastern Arabic-Indic digits to ASCII digits; other characters unchanged.
pub fn ascii_digit(c: char) -> char {
    match c {
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        _ => c,
    }
}

/// Presentation forms whose compatibility decomposition is not a word: isolated harakat
/// (NFKC turns them into a space and a mark), the multi-word honorific ligatures and the basmala.
fn is_dropped_before_nfkc(c: char) -> bool {
    matches!(
        c,
        '\u{FE70}'..='\u{FE7F}' | '\u{FDFA}' | '\u{FDFB}' | '\u{FDFD}'
    )
}

/// Characters removed before NFKC: they may sit between a letter and its combining mark
/// (a bidi mark between alef and a decomposed hamza) and would block composition.
fn is_removed_before_nfkc(c: char) -> bool {
    is_dropped_before_nfkc(c) || is_invisible_format(c) || c == TATWEEL
}

/// Applies NFKC only when the word needs it (presentation forms, ligatures, decomposed
/// hamza, other compatibility characters); most words pass through without a copy.
fn compatibility_fold(word: &str) -> Cow<'_, str> {
    if !word.chars().any(is_removed_before_nfkc) && is_nfkc_quick(word.chars()) == IsNormalized::Yes
    {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.chars()
            .filter(|&c| !is_removed_before_nfkc(c))
            .nfkc()
            // Compatibility decompositions may bring spaces and punctuation into a word
            // (¨ → space + U+0308, ¼ → 1⁄4): keep only what a word is made of. Removing the
            // space before a mark leaves the mark free to compose with the previous letter.
            .filter(|&c| c.is_alphanumeric() || is_combining_mark(c))
            .nfc()
            .collect(),
    )
}

/// Normalizes a word of plain Arabic letters into `out` (cleared first), as
/// [`normalize_word_into`] does, or does nothing and says so when the word has another
/// character: the quick path of the story signature, which hashes most words this way.
pub(crate) fn normalize_plain_arabic_into(word: &str, out: &mut String) -> bool {
    if !word.chars().all(is_plain_arabic_letter) {
        return false;
    }
    out.clear();
    out.extend(word.chars().map(fold_letter));
    true
}

/// Normalizes one word into `out` (cleared first). See the module documentation.
pub fn normalize_word_into(word: &str, out: &mut String) {
    // Most words are bare Arabic letters: fold them without Unicode table lookups.
    if normalize_plain_arabic_into(word, out) {
        return;
    }
    out.clear();
    let mut deleted = false;
    for c in compatibility_fold(word).chars() {
        if is_deleted(c) {
            deleted = true;
        } else {
            out.push(fold_letter(c));
        }
    }
    // Deleting a mark can unblock the composition of the marks around it (C, U+0610, U+0301).
    if deleted && is_nfc_quick(out.chars()) != IsNormalized::Yes {
        *out = out.nfc().collect();
    }
}

/// Normalizes one word. See the module documentation.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_word_into(word, &mut out);
    out
}

/// Applies [`normalize_word`] to every token and drops tokens left empty (a lone tatweel or
/// diacritic). Use it as `MapFilter(ArabicNormalizer::default())`; its buffer is reused from
/// token to token.
#[derive(Clone, Default)]
pub struct ArabicNormalizer {
    buffer: String,
}

impl TokenMap for ArabicNormalizer {
    fn map(&mut self, _text: &str, token: &mut Token) -> bool {
        if token.text.is_ascii() {
            return true;
        }
        normalize_word_into(&token.text, &mut self.buffer);
        std::mem::swap(&mut token.text, &mut self.buffer);
        !token.text.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize_word(s)
    }

    #[test]
    fn harakat_shadda_sukun_are_removed() {
        assert_eq!(n("الْإِرْهَابُ"), "الارهاب");
        assert_eq!(n("كِتَابٌ"), "كتاب");
        assert_eq!(n("خَلِيَّةٍ"), "خليه");
    }

    #[test]
    fn dagger_alef_and_quranic_marks_are_removed() {
        assert_eq!(n("هٰذا"), "هذا");
        assert_eq!(n("الرحمٰن"), "الرحمن");
        assert_eq!(n("ذٰلِكَ\u{06D6}"), "ذلك");
    }

    #[test]
    fn decomposed_input_meets_composed_input() {
        // NFD alef + hamza below, waw + hamza above
        assert_eq!(n("ال\u{0627}\u{0655}رهاب"), n("الإرهاب"));
        assert_eq!(n("مو\u{0654}سسة"), "مءسسه");
        assert_eq!(n("مو\u{0654}سسة"), n("مؤسسة"));
    }

    #[test]
    fn tatweel_is_removed() {
        assert_eq!(n("الإرهـــاب"), "الارهاب");
    }

    #[test]
    fn presentation_forms_fold_to_letters() {
        assert_eq!(
            n("\u{FE8D}\u{FEF9}\u{FEAD}\u{FEEB}\u{FE8E}\u{FE8F}"),
            "الارهاب"
        );
        assert_eq!(n("\u{FDF2}"), "الله");
        assert_eq!(n("\u{FEFB}\u{FE8B}\u{FEA4}\u{FE94}"), n("لائحة"));
        assert_eq!(n("\u{FEFB}\u{FE8B}\u{FEA4}\u{FE94}"), "لاءحه");
    }

    #[test]
    fn isolated_harakat_forms_and_multiword_ligatures_are_dropped() {
        assert_eq!(n("ك\u{FE77}تاب"), "كتاب");
        assert_eq!(n("كتاب\u{FE70}"), "كتاب");
        assert_eq!(n("\u{FDFA}"), "");
        assert_eq!(n("\u{FDFD}"), "");
    }

    #[test]
    fn invisible_marks_are_dropped_from_the_term() {
        for mark in [
            '\u{200F}',
            '\u{061C}',
            '\u{200C}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{FE0F}',
            '\u{E0100}',
        ] {
            assert_eq!(n(&format!("الإر{mark}هاب")), "الارهاب", "{mark:?}");
        }
    }

    #[test]
    fn digits_fold_to_ascii() {
        assert_eq!(n("٢٠٢٤"), "2024");
        assert_eq!(n("۲۰۲۴"), "2024");
        assert_eq!(n("2024"), "2024");
    }

    #[test]
    fn persian_letters_fold_to_arabic() {
        assert_eq!(n("کردی"), n("كردي"));
        assert_eq!(n("کردی"), "كردي");
    }

    #[test]
    fn alef_variants_and_wasla_fold_to_bare_alef() {
        assert_eq!(n("ٱلإرهاب"), "الارهاب");
        assert_eq!(n("أإآا"), "اااا");
    }

    #[test]
    fn hamza_carriers_meet() {
        assert_eq!(n("مسؤول"), n("مسئول"));
        assert_eq!(n("مسؤول"), "مسءول");
    }

    #[test]
    fn teh_marbuta_and_alef_maqsura() {
        // على and علي meet (an accepted collision with the name Ali)
        assert_eq!(n("مدرسة"), n("مدرسه"));
        assert_eq!(n("على"), "علي");
        assert_eq!(n("مستشفى"), n("مستشفي"));
    }

    #[test]
    fn compatibility_forms_keep_only_word_characters() {
        assert_eq!(n("¼"), "14");
        assert_eq!(n("o¨"), "ö");
        assert_eq!(n("ﬁn"), "fin");
    }

    #[test]
    fn latin_is_left_to_later_stages() {
        assert_eq!(n("État"), "État");
        // but decomposed Latin is composed, so that folding can work on it
        assert_eq!(n("E\u{0301}tat"), "État");
    }

    #[test]
    fn normalization_is_idempotent_on_examples() {
        for w in [
            "الْإِرْهَابُ",
            "مو\u{0654}سسة",
            "\u{FEFB}\u{FE8B}",
            "کردی",
            "٢٠٢٤",
            "\u{FDF2}",
        ] {
            let once = n(w);
            assert_eq!(n(&once), once);
        }
    }
}
