//! The language of an article: from its metadata when given, else guessed from its text.
//!
//! rasd cares about three languages. Arabic is told by its script; French and English by their
//! most frequent function words. Anything else is left as the metadata said, or unknown.

/// The languages rasd analyzes and detects, by code.
pub const LANGS: [&str; 3] = ["ar", "fr", "en"];

/// Maps a metadata value (`ar`, `AR`, `ara`, `Arabic`, `arabe`, `fr-FR`…) to a short code.
pub fn normalize_lang(value: &str) -> Option<String> {
    let value = value.trim().to_lowercase();
    let primary = value.split(['-', '_']).next().unwrap_or_default();
    let code = match primary {
        "" => return None,
        "ar" | "ara" | "arabic" | "arabe" | "عربي" | "العربية" => "ar",
        "fr" | "fra" | "fre" | "french" | "français" | "francais" => "fr",
        "en" | "eng" | "english" | "anglais" => "en",
        other => other,
    };
    Some(code.to_string())
}

const FRENCH_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "dans", "pour", "par", "sur",
    "au", "aux", "qui", "que", "avec", "ont", "été", "selon",
];
const ENGLISH_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with", "by", "from", "at",
    "has", "were", "have", "said",
];

/// Guesses `ar`, `fr` or `en` from the first few thousand characters of `text`.
pub fn detect_lang(text: &str) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    let arabic = sample
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    let latin = sample
        .chars()
        .filter(|c| c.is_alphabetic() && !('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    if arabic == 0 && latin == 0 {
        return None;
    }
    if arabic >= latin {
        return Some("ar".into());
    }
    let (mut french, mut english) = (0, 0);
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        french += usize::from(FRENCH_WORDS.contains(&word.as_str()));
        english += usize::from(ENGLISH_WORDS.contains(&word.as_str()));
    }
    match french.cmp(&english) {
        std::cmp::Ordering::Greater => Some("fr".into()),
        std::cmp::Ordering::Less => Some("en".into()),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_values_are_normalized() {
        assert_eq!(normalize_lang("AR").as_deref(), Some("ar"));
        assert_eq!(normalize_lang("fr-FR").as_deref(), Some("fr"));
        assert_eq!(normalize_lang("English").as_deref(), Some("en"));
        assert_eq!(normalize_lang("es").as_deref(), Some("es"));
        assert_eq!(normalize_lang("  "), None);
    }

    #[test]
    fn languages_are_detected() {
        assert_eq!(
            detect_lang("تفكيك خلية إرهابية في الدار البيضاء").as_deref(),
            Some("ar")
        );
        assert_eq!(
            detect_lang("La police a démantelé une cellule selon le ministère").as_deref(),
            Some("fr")
        );
        assert_eq!(
            detect_lang("The police said the cell was dismantled in Madrid").as_deref(),
            Some("en")
        );
        assert_eq!(detect_lang("تنظيم ISIS في سوريا").as_deref(), Some("ar"));
        assert_eq!(detect_lang("12345 !!!"), None);
    }
}
