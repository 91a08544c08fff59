//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, and legacy
//! encodings (windows-1256, ISO-8859-6, Latin-1…) detected with `chardetng`.

use encoding_rs::{Encoding, UTF_8};

/// Decoded text and how it was obtained.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// The encoding used, when it was not plain UTF-8.
    pub legacy_encoding: Option<&'static str>,
    /// Whether some bytes could not be decoded and were replaced by U+FFFD.
    pub had_errors: bool,
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
    Ok(Decoded {
        text: text.into_owned(),
        legacy_encoding: (used != UTF_8).then(|| used.name()),
        had_errors,
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
        assert_eq!(plain.legacy_encoding, None);
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
        assert_eq!(decoded.legacy_encoding, Some("windows-1256"));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00", None).unwrap_err(),
            DecodeError::Binary
        );
    }
}
