//! How text looks on a terminal: styles, snippets with their highlights, Arabic lines in
//! visual order for terminals without bidi, paths relative to where the user stands.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};
use unicode_bidi::ParagraphBidiInfo;

use crate::clean;
use crate::search::Snippet;

pub(super) const MATCH: Style = AnsiColor::Red.on_default().bold();
pub(super) const TITLE: Style = Style::new().bold();
pub(super) const META: Style = AnsiColor::BrightBlack.on_default();

/// A single-line field from the archive as shown to a person: cleaned and bounded.
pub(super) fn field(text: &str) -> Cow<'_, str> {
    clean::line(text, clean::FIELD_CHARS)
}

/// Writes a snippet's text with its highlights styled, cleaned (see [`clean::shown`]) and cut
/// to `max_chars` characters.
pub(super) fn write_highlighted(
    out: &mut impl Write,
    snippet: &Snippet,
    base: Style,
    order: LineOrder,
    max_chars: usize,
) -> io::Result<()> {
    let highlighted = |c: usize| {
        snippet
            .highlights
            .iter()
            .any(|[s, e]| (*s..*e).contains(&c))
    };
    // Each shown character keeps the highlight of the character it shows.
    let mut chars: Vec<(char, bool)> = snippet
        .text
        .chars()
        .enumerate()
        .flat_map(|(i, ch)| clean::shown(ch).map(move |c| (c, i)))
        .take(max_chars + 1)
        .map(|(c, i)| (c, highlighted(i)))
        .collect();
    if chars.len() > max_chars {
        chars.truncate(max_chars - 1);
        chars.push(('…', false));
    }
    let chars = match order {
        LineOrder::Logical => chars,
        LineOrder::Visual => {
            let text: String = chars.iter().map(|(c, _)| c).collect();
            visual_order(&text, chars)
        }
    };
    // Runs of equally styled characters.
    let mut run = String::new();
    let mut run_highlighted = false;
    for (ch, is_highlighted) in chars {
        if is_highlighted != run_highlighted && !run.is_empty() {
            let style = if run_highlighted { MATCH } else { base };
            write!(out, "{style}{run}{style:#}")?;
            run.clear();
        }
        run_highlighted = is_highlighted;
        run.push(ch);
    }
    let style = if run_highlighted { MATCH } else { base };
    write!(out, "{style}{run}{style:#}")
}

/// The characters of one line in display order, by the Unicode bidirectional algorithm:
/// right-to-left runs (Arabic) reversed, so that a terminal that writes every line left to
/// right shows them readable. Each character keeps what travels with it (its highlight).
pub(super) fn visual_order<T: Copy>(text: &str, chars: Vec<(char, T)>) -> Vec<(char, T)> {
    let info = ParagraphBidiInfo::new(text, None);
    let (levels, runs) = info.visual_runs(0..text.len());
    // Byte offset → index of its character.
    let mut index_of = vec![0; text.len() + 1];
    for (i, (byte, _)) in text.char_indices().enumerate() {
        index_of[byte] = i;
    }
    let mut out = Vec::with_capacity(chars.len());
    for run in runs {
        let in_run: Vec<usize> = text[run.clone()]
            .char_indices()
            .map(|(b, _)| index_of[run.start + b])
            .collect();
        if levels[run.start].is_rtl() {
            out.extend(in_run.iter().rev().map(|&i| chars[i]));
        } else {
            out.extend(in_run.iter().map(|&i| chars[i]));
        }
    }
    out
}

/// The order in which the characters of a line are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineOrder {
    /// As stored (right for terminals that apply the bidirectional algorithm, and for pipes).
    #[default]
    Logical,
    /// Reordered for display, for terminals that write every line left to right.
    Visual,
}

/// A path shown relative to the current folder when it lies below it.
pub(super) fn shown_path<'a>(path: &'a str, cwd: Option<&Path>) -> &'a str {
    cwd.and_then(|cwd| Path::new(path).strip_prefix(cwd).ok())
        .and_then(|p| p.to_str())
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_styled_on_character_offsets() {
        let snippet = Snippet {
            text: "قال إن الْإِرْهَابَ انتهى".to_string(),
            highlights: vec![[7, 19]],
            ..Snippet::default()
        };
        let mut out = Vec::new();
        write_highlighted(&mut out, &snippet, Style::new(), LineOrder::Logical, 300).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(&format!("{MATCH}الْإِرْهَابَ{MATCH:#}")), "{out}");
    }

    #[test]
    fn visual_order_reverses_arabic_and_keeps_highlights_on_their_words() {
        let snippet = Snippet {
            text: "اعتقال عنصر من داعش في Paris".to_string(),
            highlights: vec![[15, 19]],
            ..Snippet::default()
        };
        let mut out = Vec::new();
        write_highlighted(&mut out, &snippet, Style::new(), LineOrder::Visual, 300).unwrap();
        let out = String::from_utf8(out).unwrap();
        // The highlighted word is داعش written backwards, still whole and still highlighted;
        // the Latin word keeps its order.
        assert!(out.contains(&format!("{MATCH}شعاد{MATCH:#}")), "{out}");
        assert!(out.contains("Paris"), "{out}");
        let plain: String = anstream::adapter::strip_str(&out).to_string();
        let reversed_arabic: String = "اعتقال عنصر من داعش في".chars().rev().collect();
        assert!(plain.contains(&reversed_arabic), "{plain}");
    }
}
