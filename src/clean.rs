//! Text from the archive made safe to show to a person: on a terminal, in a log, in a
//! spreadsheet.
//!
//! Titles, sources, tags, ids, urls, file names and the values quoted in messages come from
//! files nobody vetted. Written raw, an `ESC ] 0 ; … BEL` sequence retitles or drives the
//! terminal, a newline in a file name forges a second `rasd: error:` line, and U+202E (RIGHT-TO-LEFT
//! OVERRIDE) makes `gpj.exe` read `exe.jpg`. Every printer for people passes such text through
//! [`line`]; JSON output does not, since serde_json escapes control characters itself and
//! programs need the exact data.

use std::borrow::Cow;

use unicode_segmentation::GraphemeCursor;

/// Longest single-line field shown on a terminal (title, source, tag, id, path), in
/// characters: a real title is under 200.
pub const FIELD_CHARS: usize = 300;

/// Longest value quoted inside a message (an invalid date, a front-matter line).
pub const VALUE_CHARS: usize = 80;

/// Longest message line on stderr.
pub const MESSAGE_CHARS: usize = 2_000;

/// Longest CSV cell: room for the longest urls seen in practice, far below a spreadsheet's
/// cell limit (32,767).
pub const CELL_CHARS: usize = 4_096;

/// Whether a character must not reach a terminal as it is: control characters (C0 with
/// newline and tab, DEL, C1 with NEL), the line and paragraph separators, and the explicit
/// bidirectional embeddings, overrides and isolates, which reorder the rest of the line; also
/// the deprecated format characters (U+206A–U+206F: symmetric swapping, Arabic form shaping,
/// digit shapes) and the interlinear annotation marks (U+FFF9–U+FFFB), which change how the
/// text around them is shown where a terminal honours them.
///
/// The implicit marks (LRM, RLM, ALM) only set the direction of neutral characters next to
/// them, and the zero-width joiner and non-joiner shape Arabic and Persian words: they stay.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The characters that show `c`: `c` itself, or a visible escape such as `\n`, `\u{1b}` or
/// `\u{202e}`, so that the reader sees something was there.
pub fn shown(c: char) -> impl Iterator<Item = char> {
    let unsafe_char = is_unsafe(c);
    let escape = unsafe_char.then(|| c.escape_debug());
    let plain = (!unsafe_char).then_some(c);
    escape.into_iter().flatten().chain(plain)
}

/// `text` on one line, with every unsafe character escaped (see [`shown`]), cut to at most
/// `max_chars` characters (`max_chars` ≥ 1), the last one `…` when something was cut.
/// Ordinary text, Arabic or Latin, comes back unchanged and unallocated.
pub fn line(text: &str, max_chars: usize) -> Cow<'_, str> {
    let fits = text.chars().nth(max_chars).is_none();
    if fits && !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut chars = text.chars().flat_map(shown);
    let mut out: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        out.pop();
        // Cut before a cluster the cut falls inside (a letter and its marks, an emoji
        // sequence): what stays is whole letters.
        // The few characters after the cut tell whether it falls inside a cluster.
        let kept = out.len();
        let after = text
            .chars()
            .flat_map(shown)
            .skip(out.chars().count())
            .take(8);
        out.extend(after);
        out.truncate(cluster_start(&out, kept));
        out.push('…');
    }
    Cow::Owned(out)
}

/// Where a cut of `text` at byte `at` (a character boundary) keeps whole grapheme clusters:
/// `at` itself when it lies between two, else the start of the one it falls inside.
pub fn cluster_start(text: &str, at: usize) -> usize {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) | Err(_) => at,
        Ok(false) => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    }
}

/// A CSV cell: [`line`], then the formula-injection defence of OWASP: a cell that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by a
/// spreadsheet (`=HYPERLINK(…)`), so it gets a leading `'`, which spreadsheets read as
/// "this is text" and do not display.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let cell = line(text, CELL_CHARS);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_and_newlines_become_visible_escapes() {
        assert_eq!(
            line("a\u{1b}]0;pwned\u{7}b", 100),
            "a\\u{1b}]0;pwned\\u{7}b"
        );
        assert_eq!(
            line("a\nrasd: error: fake.txt", 100),
            "a\\nrasd: error: fake.txt"
        );
        assert_eq!(line("\u{202E}gpj.exe", 100), "\\u{202e}gpj.exe");
        assert_eq!(line("x\u{85}\u{9b}y", 100), "x\\u{85}\\u{9b}y");
        assert_eq!(
            line("\u{206d}عربي\u{fff9}x", 100),
            "\\u{206d}عربي\\u{fff9}x"
        );
    }

    #[test]
    fn arabic_with_joiners_and_marks_is_unchanged() {
        let text = "می\u{200C}خواهم \u{200F}داعش\u{200D} في الدار البيضاء";
        assert!(matches!(line(text, 300), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let title = "ا".repeat(1_000_000);
        let cut = line(&title, FIELD_CHARS);
        assert_eq!(cut.chars().count(), FIELD_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(line("abc", 3), "abc");
        assert_eq!(line("abcd", 3), "ab…");
    }

    #[test]
    fn a_cut_keeps_whole_letters_with_their_marks() {
        // A letter and its marks go together, in either script; so does an emoji sequence.
        let marks = format!("ab{}", "\u{301}".repeat(10));
        assert_eq!(line(&marks, 5), "a…");
        assert_eq!(line("خَلِيَّة", 4), "خَ…");
        assert_eq!(line("x\u{1F469}\u{200D}\u{1F4BB}yz", 3), "x…");
        // Where the cut falls between letters, nothing more goes.
        assert_eq!(line("خلية إرهابية", 5), "خلية…");
        assert_eq!(cluster_start("ab\u{301}\u{301}", 4), 1);
        assert_eq!(cluster_start("ab", 1), 1);
    }

    #[test]
    fn csv_formulas_are_defused_and_other_cells_kept() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x.test\",\"y\")"),
            "'=HYPERLINK(\"http://x.test\",\"y\")"
        );
        for formula in ["+1", "-1+2", "@SUM(A1)"] {
            assert!(csv_cell(formula).starts_with('\''), "{formula}");
        }
        // A leading tab or carriage return is already escaped, hence harmless.
        assert_eq!(csv_cell("\t=1"), "\\t=1");
        assert_eq!(csv_cell("تفكيك خلية"), "تفكيك خلية");
        assert_eq!(csv_cell("a=b"), "a=b");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn cleaned_text_is_safe_and_bounded(text in "\\PC*|[\\x00-\\x20\\x7f-\\x9f\u{2028}\u{202A}-\u{202E}\u{2066}-\u{206F}\u{FFF9}-\u{FFFB}a\u{627}]*", max in 1usize..400) {
            let cleaned = line(&text, max);
            prop_assert!(!cleaned.chars().any(is_unsafe), "{cleaned:?}");
            prop_assert!(cleaned.chars().count() <= max);
            let cell = csv_cell(&text);
            prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']));
        }

        #[test]
        fn ordinary_text_is_unchanged(text in "[a-zA-Z0-9 .,éàç\u{621}-\u{64A}\u{660}-\u{669}\u{200C}\u{200D}]{0,300}") {
            prop_assert_eq!(line(&text, FIELD_CHARS), text.as_str());
        }
    }
}
