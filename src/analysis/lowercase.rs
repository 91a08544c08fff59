//! Lowercasing, the stage after normalization.
//!
//! tantivy's `LowerCaser` sends every non-ASCII token through Unicode's case tables, character
//! by character, into a new string. Arabic has no case, and Arabic tokens are most of what
//! rasd analyzes, so this stage leaves them as they are and lowercases the rest.

use tantivy::tokenizer::Token;

use super::filter::TokenMap;

/// Lowercases tokens, skipping caseless Arabic ones (use it as `MapFilter(Lowercase)`).
#[derive(Clone, Copy, Default)]
pub struct Lowercase;

/// Characters with no case: the Arabic block.
fn is_caseless_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

impl TokenMap for Lowercase {
    fn map(&mut self, _text: &str, token: &mut Token) -> bool {
        let text = &mut token.text;
        if text.is_ascii() {
            text.make_ascii_lowercase();
        } else if !text.chars().all(is_caseless_arabic) {
            *text = text.to_lowercase();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::filter::mapped;

    fn lowered(text: &str) -> Vec<String> {
        mapped(Lowercase, text)
    }

    #[test]
    fn latin_greek_and_cyrillic_are_lowercased_arabic_untouched() {
        assert_eq!(
            lowered("FBI Sécurité ΑΘΗΝΑ МОСКВА الإرهاب الـFBI"),
            vec!["fbi", "sécurité", "αθηνα", "москва", "الإرهاب", "الـfbi"]
        );
    }
}
