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
    /// How many stray NUL bytes a document held, left out of its text.
    pub nuls_removed: usize,
}

/// Why bytes are not text.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes outside UTF-16: an image, an archive, a database file.
    #[error("binary file (contains NUL bytes)")]
    Binary,
}

/// How a file's text is cut into inputs, which decides what its NUL bytes mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One document (`.txt`, `.json`, a page, a feed): NUL bytes make the file binary when
    /// control bytes are more than one in [`BYTES_PER_CONTROL`]; fewer are stray bytes in text
    /// (a damaged download, a copy out of a database), left out of it.
    Document,
    /// Independent lines (JSON Lines): NUL bytes are damage to the lines that hold them,
    /// which then fail to parse, as long as at least half of the lines hold no control
    /// character; else the file is binary.
    Lines,
}

impl Framing {
    /// Whether `bytes`, which hold a NUL byte, are binary data rather than text damaged in
    /// places.
    ///
    /// A line of JSON Lines holds no control character but tab and carriage return (JSON
    /// allows no other raw one), so a NUL byte in it is a line gone bad, like any other
    /// malformed line, and must not cost the file's other articles. Binary data has control
    /// bytes in nearly every line: an image, an executable or UTF-16 without BOM in all of
    /// them, random or compressed bytes in all but the shortest (29 control bytes of 256, in
    /// lines of 256 bytes on average).
    ///
    /// A document's text holds control bytes other than whitespace only by accident: binary
    /// data has them everywhere (an image or an archive in its first bytes, random or
    /// compressed bytes one in nine, UTF-16 without BOM one in two).
    pub(crate) fn is_binary(self, bytes: &[u8]) -> bool {
        match self {
            Framing::Document => {
                let control = bytes
                    .iter()
                    .filter(|&&b| b < 0x20 && !b.is_ascii_whitespace())
                    .count();
                control * BYTES_PER_CONTROL > bytes.len()
            }
            Framing::Lines => {
                let (mut lines, mut clean) = (0usize, 0usize);
                for line in bytes.split(|&b| b == b'\n') {
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    lines += 1;
                    clean +=
                        usize::from(!line.iter().any(|&b| b < 0x20 && b != b'\t' && b != b'\r'));
                }
                2 * clean < lines
            }
        }
    }
}

/// A document with more than one control byte (other than whitespace) in this many is binary.
const BYTES_PER_CONTROL: usize = 100;

/// At least this many valid multi-byte UTF-8 sequences per invalid one make bytes UTF-8 text
/// with a few corrupted bytes rather than a legacy encoding: see [`is_mostly_utf8`].
const VALID_PER_INVALID: usize = 2;

/// Whether bytes that are not valid UTF-8 are nevertheless UTF-8 text damaged in a few places.
///
/// In a legacy single-byte encoding (windows-1256, ISO-8859-6, Latin-1), a byte above 0x7F
/// is a letter or a sign, and the next one is rarely one of the continuation bytes that
/// UTF-8 requires: invalid sequences abound, valid multi-byte ones are accidents. In UTF-8
/// text truncated, concatenated or edited with one stray byte, the reverse holds: thousands
/// of valid Arabic letters, a handful of invalid sequences. Decoding such a file as a legacy
/// encoding turns every Arabic letter into mojibake that no search finds; decoding it as
/// UTF-8 loses only the bad bytes, replaced by U+FFFD and counted in a warning.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        // One lead byte (0xC0 and above) per multi-byte character.
        multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    multibyte >= VALID_PER_INVALID * invalid
}

/// Decodes `bytes`, forcing `forced` when given; without a BOM or `forced`, NUL bytes make the
/// bytes binary as `framing` judges them. A document's stray NUL bytes are left out (but in
/// UTF-16, where they are half of the letters); a line's stay, for the line to fail. Valid
/// UTF-8 without BOM becomes the text without a copy, which matters for files of hundreds of
/// megabytes.
pub fn decode(
    mut bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    framing: Framing,
) -> Result<Decoded, DecodeError> {
    let bom = Encoding::for_bom(&bytes);
    let mut nuls_removed = 0;
    if bytes.contains(&0) {
        if bom.is_none() && forced.is_none() && framing.is_binary(&bytes) {
            return Err(DecodeError::Binary);
        }
        // Either may say UTF-16: encoding_rs decodes by a BOM whatever `--encoding` says.
        let utf_16 = [forced, bom.map(|(e, _)| e)]
            .into_iter()
            .flatten()
            .any(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE);
        if framing == Framing::Document && !utf_16 {
            let before = bytes.len();
            bytes.retain(|&b| b != 0);
            nuls_removed = before - bytes.len();
        }
    }
    let mut decoded = decode_bytes(bytes, forced, bom)?;
    decoded.nuls_removed = nuls_removed;
    Ok(decoded)
}

fn decode_bytes(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
    bom: Option<(&'static Encoding, usize)>,
) -> Result<Decoded, DecodeError> {
    let encoding = match (forced, bom) {
        (Some(e), _) => e,
        (None, Some((e, _))) => e,
        (None, None) => match String::from_utf8(bytes) {
            Ok(text) => {
                return Ok(Decoded {
                    text,
                    encoding: UTF_8.name(),
                    replaced: 0,
                    nuls_removed: 0,
                });
            }
            Err(e) => return Ok(decode_invalid_utf8(&e.into_bytes())),
        },
    };
    Ok(decode_with(&bytes, encoding))
}

/// Bytes that are not valid UTF-8 and have no BOM: UTF-8 if mostly so, else the legacy
/// encoding `chardetng` guesses.
fn decode_invalid_utf8(bytes: &[u8]) -> Decoded {
    if is_mostly_utf8(bytes) {
        return decode_with(bytes, UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    decode_with(bytes, detector.guess(None, chardetng::Utf8Detection::Deny))
}

fn decode_with(bytes: &[u8], encoding: &'static Encoding) -> Decoded {
    // `decode` strips a BOM that matches the encoding.
    let (text, used, had_errors) = encoding.decode(bytes);
    let replaced = if had_errors {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        replaced,
        nuls_removed: 0,
    }
}

/// The encoding a WHATWG label names (`windows-1256`, `iso-8859-6`, `utf-16le`, `arabic`…),
/// for `--encoding`.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, crate::Error> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| crate::Error::UnknownEncoding(label.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "تفكيك خلية إرهابية في الدار البيضاء";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes().to_vec(), None, Framing::Document).unwrap();
        assert_eq!(plain.text, ARABIC);
        assert_eq!(plain.encoding, "UTF-8");
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), ARABIC.as_bytes()].concat();
        assert_eq!(
            decode(with_bom, None, Framing::Document).unwrap().text,
            ARABIC
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(ARABIC.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(le, None, Framing::Document).unwrap().text, ARABIC);
        let mut be = vec![0xFE, 0xFF];
        be.extend(ARABIC.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(be, None, Framing::Document).unwrap().text, ARABIC);
    }

    #[test]
    fn windows_1256_is_detected() {
        let long = format!("{ARABIC}. مكافحة الإرهاب والجريمة المنظمة على الحدود الشرقية للمملكة.");
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&long);
        let decoded = decode(bytes.into_owned(), None, Framing::Document).unwrap();
        assert_eq!(decoded.text, long);
        assert_eq!(decoded.encoding, "windows-1256");
        assert_eq!(decoded.replaced, 0);
    }

    #[test]
    fn iso_8859_6_is_detected() {
        let long = format!("{ARABIC}. مكافحة الارهاب والجريمة المنظمة علي الحدود الشرقية للمملكة.");
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(&long);
        let decoded = decode(bytes.into_owned(), None, Framing::Document).unwrap();
        assert_eq!(decoded.text, long);
        assert_eq!(decoded.encoding, "ISO-8859-6");
    }

    #[test]
    fn a_forced_encoding_wins_and_replacements_are_counted() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ARABIC);
        let forced = decode(bytes.into_owned(), Some(UTF_8), Framing::Document).unwrap();
        assert_eq!(forced.encoding, "UTF-8");
        assert!(forced.replaced > 0);
        assert_eq!(forced.text.matches('\u{FFFD}').count(), forced.replaced);
    }

    #[test]
    fn utf8_with_a_few_bad_bytes_is_utf8_with_replacements() {
        let mut bytes = format!("عنوان\n\n{ARABIC}").into_bytes();
        bytes.insert(20, 0xFF);
        let decoded = decode(bytes, None, Framing::Document).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.replaced, 1);
        assert!(decoded.text.contains("الدار البيضاء"), "{}", decoded.text);
    }

    #[test]
    fn latin_1_french_is_not_taken_for_utf8() {
        let text = "Démantèlement d'une cellule terroriste à Casablanca, selon la DGSN. Été";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let decoded = decode(bytes.into_owned(), None, Framing::Document).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.replaced, 0);
    }

    #[test]
    fn a_few_stray_nul_bytes_in_a_document_are_left_out_of_its_text() {
        let article = format!("{ARABIC}\0\n{ARABIC}\n");
        let decoded = decode(article.into_bytes(), None, Framing::Document).unwrap();
        assert_eq!(decoded.text, format!("{ARABIC}\n{ARABIC}\n"));
        assert_eq!(decoded.nuls_removed, 1);
        // Forced or not, a legacy encoding loses them too; UTF-16 keeps its own.
        let latin = b"caf\xe9 \x00noir, une cellule d\xe9mantel\xe9e \xe0 Tanger en mars".to_vec();
        let windows = encoding_rs::WINDOWS_1252;
        let decoded = decode(latin, Some(windows), Framing::Document).unwrap();
        assert_eq!(
            decoded.text,
            "café noir, une cellule démantelée à Tanger en mars"
        );
        assert_eq!(decoded.nuls_removed, 1);
        let utf16: Vec<u8> = "ab".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let decoded = decode(utf16, Some(encoding_rs::UTF_16LE), Framing::Document).unwrap();
        assert_eq!((decoded.text.as_str(), decoded.nuls_removed), ("ab", 0));
        // A BOM says UTF-16 whatever is forced.
        let with_bom: Vec<u8> = "\u{feff}عنوان ab"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let decoded = decode(with_bom, Some(windows), Framing::Document).unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.nuls_removed),
            ("عنوان ab", 0)
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        for framing in [Framing::Document, Framing::Lines] {
            assert_eq!(
                decode(b"PK\x03\x04\x00\x00".to_vec(), None, framing).unwrap_err(),
                DecodeError::Binary
            );
        }
    }

    #[test]
    fn a_nul_byte_in_one_line_of_many_is_damage_to_that_line() {
        let lines = b"{\"id\":\"n1\"}\n\x00\n\n{\"id\":\"n3\"}\n".to_vec();
        let decoded = decode(lines, None, Framing::Lines).unwrap();
        assert_eq!(decoded.text.lines().nth(1), Some("\0"));
        assert_eq!(decoded.nuls_removed, 0);
    }

    #[test]
    fn nul_bytes_in_most_lines_are_binary_even_as_lines() {
        // ASCII in UTF-16 without BOM: a NUL in every line.
        let utf16: Vec<u8> = "{\"id\":\"n1\"}\n{\"id\":\"n2\"}\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(utf16, None, Framing::Lines).unwrap_err(),
            DecodeError::Binary
        );
        // Control bytes in two lines of three.
        let mostly = b"a\x00\nb\x00\nc\n".to_vec();
        assert_eq!(
            decode(mostly, None, Framing::Lines).unwrap_err(),
            DecodeError::Binary
        );
        // Random bytes, as in a compressed file: NUL bytes in half of the lines, other
        // control bytes in nearly all.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let random: Vec<u8> = (0..1 << 16)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        assert_eq!(
            decode(random, None, Framing::Lines).unwrap_err(),
            DecodeError::Binary
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Arabic or French UTF-8 text with up to three stray bytes stays UTF-8: every other
        /// character survives, and each stray byte is one replacement.
        #[test]
        fn utf8_text_with_a_few_corrupted_bytes_is_utf8(
            text in "[\u{621}-\u{64A} ]{40,400}|[a-zé ]{0,20}[\u{621}-\u{64A}]{40,200}",
            bad in proptest::collection::vec((any::<prop::sample::Index>(), 0xF8u8..=0xFF), 1..=3),
        ) {
            // At character boundaries, so that no character of the text is damaged; from the
            // end, so that each insertion leaves the earlier positions in place.
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let mut inserts: Vec<(usize, u8)> =
                bad.iter().map(|(at, byte)| (boundaries[at.index(boundaries.len())], *byte)).collect();
            inserts.sort_unstable_by_key(|&(at, _)| std::cmp::Reverse(at));
            let mut bytes = text.clone().into_bytes();
            for (at, byte) in inserts {
                bytes.insert(at, byte);
            }
            let decoded = decode(bytes, None, Framing::Document).unwrap();
            prop_assert_eq!(decoded.encoding, "UTF-8");
            prop_assert_eq!(decoded.replaced, bad.len());
            prop_assert_eq!(decoded.text.replace('\u{FFFD}', ""), text);
        }

        #[test]
        fn arbitrary_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(decoded) = decode(bytes, None, Framing::Document) {
                prop_assert!(decoded.replaced <= decoded.text.chars().count());
            }
        }
    }
}
