//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy
//! encodings (windows-1256, ISO-8859-6, Latin-1…) detected with `chardetng`.

use encoding_rs::{Encoding, UTF_8};

/// Decoded text and how it was obtained.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// The name of the encoding used (`UTF-8`, `UTF-16LE`, `windows-1256`…).
    pub encoding: &'static str,
    /// How many malformed byte sequences were replaced by U+FFFD.
    pub replaced: usize,
}

/// Why bytes are not text.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes outside UTF-16: an image, an archive, a database file.
    #[error("binary file (contains NUL bytes)")]
    Binary,
}

/// Decodes `bytes`, forcing `forced` when given.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(bytes);
    if bom.is_none() && forced.is_none() && bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let encoding = match (forced, bom) {
        (Some(e), _) => e,
        (None, Some((e, _))) => e,
        (None, None) if std::str::from_utf8(bytes).is_ok() => UTF_8,
        (None, None) => {
            // Not valid UTF-8, so the guess is among the legacy encodings.
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Deny)
        }
    };
    // `decode` strips a BOM that matches the encoding.
    let (text, used, had_errors) = encoding.decode(bytes);
    let replaced = if had_errors {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    Ok(Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        replaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "تفكيك خلية إرهابية في الدار البيضاء";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes(), None).unwrap();
        assert_eq!(plain.text, ARABIC);
        assert_eq!(plain.encoding, "UTF-8");
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), ARABIC.as_bytes()].concat();
        assert_eq!(decode(&with_bom, None).unwrap().text, ARABIC);
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(ARABIC.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, None).unwrap().text, ARABIC);
        let mut be = vec![0xFE, 0xFF];
        be.extend(ARABIC.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, None).unwrap().text, ARABIC);
    }

    #[test]
    fn windows_1256_is_detected() {
        let long = format!("{ARABIC}. مكافحة الإرهاب والجريمة المنظمة على الحدود الشرقية للمملكة.");
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&long);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, long);
        assert_eq!(decoded.encoding, "windows-1256");
        assert_eq!(decoded.replaced, 0);
    }

    #[test]
    fn iso_8859_6_is_detected() {
        let long = format!("{ARABIC}. مكافحة الارهاب والجريمة المنظمة علي الحدود الشرقية للمملكة.");
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(&long);
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, long);
        assert_eq!(decoded.encoding, "ISO-8859-6");
    }

    #[test]
    fn a_forced_encoding_wins_and_replacements_are_counted() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        let forced = decode(&bytes, Some(UTF_8)).unwrap();
        assert_eq!(forced.encoding, "UTF-8");
        assert!(forced.replaced > 0);
        assert_eq!(forced.text.matches('\u{FFFD}').count(), forced.replaced);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00", None).unwrap_err(),
            DecodeError::Binary
        );
    }
}
