//! Snippets: a window of the original text around the best matches, with the matched words'
//! positions, in characters, for terminals and for JSON.

use serde::Serialize;
use tantivy::snippet::{SnippetGenerator, collapse_overlapped_ranges};

/// A piece of text with highlighted ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text on one line: newlines and tabs become spaces, one for one.
    pub text: String,
    /// Highlighted ranges as `[start, end)` Unicode character offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Whether text was cut before the snippet.
    pub cut_before: bool,
    /// Whether text was cut after the snippet.
    pub cut_after: bool,
}

/// Converts byte ranges in `text` to character ranges (ranges sorted, not overlapping).
fn char_ranges(text: &str, byte_ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let mut out = Vec::with_capacity(byte_ranges.len());
    let (mut chars, mut bytes) = (0, 0);
    let mut advance_to = |target: usize| {
        chars += text[bytes..target].chars().count();
        bytes = target;
        chars
    };
    for range in byte_ranges {
        let start = advance_to(range.start);
        let end = advance_to(range.end);
        out.push([start, end]);
    }
    out
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Snippet {
    /// The best window of `text` for the generator's query, or `None` when nothing in `text`
    /// matches (tantivy highlights no fuzzy, regex or range matches).
    pub fn best(generator: &SnippetGenerator, text: &str) -> Option<Snippet> {
        Snippet::window(&generator.snippet(text), text, 0)
    }

    /// The best window of `text` for `preferred`'s terms (the words as typed), with the
    /// terms of `all` (the query's, which include them) highlighted in it; `None` when none
    /// of `preferred`'s terms is in `text`. Tantivy picks the window with the most weight of
    /// terms, in which two words of an alias outweigh the one word typed: choosing it by the
    /// typed words alone keeps what the user wrote in view.
    pub fn best_preferring(
        preferred: &SnippetGenerator,
        all: &SnippetGenerator,
        text: &str,
    ) -> Option<Snippet> {
        let chosen = preferred.snippet(text);
        if chosen.highlighted().is_empty() {
            return None;
        }
        // The window is no longer than `all`'s budget (both have the same), so `all` keeps it
        // whole and only adds its highlights.
        let start = chosen.fragment_range().start;
        let window = &text[chosen.fragment_range()];
        Snippet::window(&all.snippet(window), text, start)
    }

    /// A snippet from tantivy's `snippet` of `text[offset..]`, cut flags against all of `text`.
    fn window(snippet: &tantivy::snippet::Snippet, text: &str, offset: usize) -> Option<Snippet> {
        if snippet.highlighted().is_empty() {
            return None;
        }
        let fragment = snippet.fragment();
        let ranges = collapse_overlapped_ranges(snippet.highlighted());
        let range = snippet.fragment_range();
        let range = range.start + offset..range.end + offset;
        Some(Snippet {
            text: one_line(fragment),
            highlights: char_ranges(fragment, &ranges),
            cut_before: !text[..range.start].trim().is_empty(),
            cut_after: !text[range.end..].trim().is_empty(),
        })
    }

    /// The whole of a short `text` with its matches highlighted (for titles).
    pub fn whole(generator: &SnippetGenerator, text: &str) -> Snippet {
        let snippet = generator.snippet(text);
        let offset = snippet.fragment_range().start;
        let ranges: Vec<_> = collapse_overlapped_ranges(snippet.highlighted())
            .into_iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect();
        Snippet {
            text: one_line(text),
            highlights: char_ranges(text, &ranges),
            ..Snippet::default()
        }
    }

    /// The whole of a short `text`, unhighlighted (titles that did not match).
    pub fn whole_plain(text: &str) -> Snippet {
        Snippet {
            text: one_line(text),
            ..Snippet::default()
        }
    }

    /// The first `max_chars` characters of `text`, cut at a word boundary, unhighlighted.
    pub fn leading(text: &str, max_chars: usize) -> Snippet {
        let text = text.trim();
        let mut end = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| i);
        if end < text.len() {
            end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
        }
        Snippet {
            text: one_line(text[..end].trim_end()),
            highlights: vec![],
            cut_before: false,
            cut_after: end < text.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_become_character_ranges() {
        let text = "في الْإِرْهَابُ و x";
        let start = text.find("الْ").unwrap();
        let end = start + "الْإِرْهَابُ".len();
        let x = text.find('x').unwrap();
        assert_eq!(
            char_ranges(text, &[start..end, x..x + 1]),
            vec![[3, 15], [18, 19]]
        );
    }

    #[test]
    fn leading_text_is_cut_at_a_word() {
        let s = Snippet::leading("one two\nthree four", 10);
        assert_eq!(s.text, "one two");
        assert!(s.cut_after);
        let s = Snippet::leading("short", 10);
        assert_eq!(s.text, "short");
        assert!(!s.cut_after);
    }
}
