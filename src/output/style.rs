//! How text looks on a terminal: styles, snippets with their highlights, lines wrapped to the
//! terminal's width at word boundaries, Arabic lines in visual order for terminals without
//! bidi, paths relative to where the user stands.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use unicode_bidi::{Level, ParagraphBidiInfo};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use crate::clean;
use crate::search::Snippet;

pub(super) const MATCH: Style = AnsiColor::Red.on_default().bold();
/// The words an article like the first hit shares with it: underlined, not in the colour of
/// the query's matches, which that article does not have.
pub(super) const SHARED: Style = Style::new().underline();
pub(super) const TITLE: Style = Style::new().bold();
pub(super) const META: Style = AnsiColor::BrightBlack.on_default();

/// How a text looks: its characters, and its highlighted words.
#[derive(Clone, Copy)]
pub(super) struct Look {
    pub text: Style,
    pub highlight: Style,
}

impl Look {
    /// Text in `text`, highlights as matches of the query.
    pub(super) const fn of(text: Style) -> Look {
        Look {
            text,
            highlight: MATCH,
        }
    }
}

/// A single-line field from the archive as shown to a person: cleaned and bounded.
pub(super) fn field(text: &str) -> Cow<'_, str> {
    clean::line(text, clean::FIELD_CHARS)
}

/// How lines of text are laid out on the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The order in which each line's characters are written.
    pub order: LineOrder,
    /// The display columns lines are wrapped to; `None`: lines are not wrapped.
    pub width: Option<usize>,
    /// Whether the text is a line rasd composes of facts (a hit's date, source and path;
    /// statistics; explanations) rather than article text: one left-to-right paragraph
    /// whatever its first letters, and its no-break spaces, which glue the words of a fact
    /// so that lines wrap between facts, shown as plain spaces.
    pub facts: bool,
}

impl Layout {
    /// The same layout for a line of facts (see [`Layout::facts`]): the date stays first even
    /// when an Arabic source name follows it.
    pub fn for_facts(self) -> Layout {
        Layout {
            facts: true,
            ..self
        }
    }

    /// Joins facts into one line that wraps between them, never inside one.
    pub fn facts_line(&self, facts: &[Cow<str>]) -> String {
        if self.width.is_none() {
            return facts.join(" · ");
        }
        // No-break spaces glue the words of a fact, and each separator to the fact before it.
        let glued: Vec<String> = facts.iter().map(|f| f.replace(' ', "\u{a0}")).collect();
        glued.join("\u{a0}· ")
    }
}

/// The narrowest width lines are wrapped to: below it, a hanging indent leaves no room.
pub const MIN_WIDTH: usize = 20;

/// A shown character and whether it is highlighted.
type Shown = (char, bool);

/// A snippet's characters as shown: cleaned (see [`clean::shown`]), each with the highlight of
/// the character it shows, cut to `max_chars` characters with `…`.
fn shown_chars(snippet: &Snippet, max_chars: usize) -> Vec<Shown> {
    let highlighted = |c: usize| {
        snippet
            .highlights
            .iter()
            .any(|[s, e]| (*s..*e).contains(&c))
    };
    let mut chars: Vec<Shown> = snippet
        .text
        .chars()
        .enumerate()
        .flat_map(|(i, ch)| clean::shown(ch).map(move |c| (c, i)))
        .take(max_chars + 1)
        .map(|(c, i)| (c, highlighted(i)))
        .collect();
    if chars.len() > max_chars {
        // Cut before a cluster the cut falls inside: whole letters, with their marks.
        let text: String = chars.iter().map(|(c, _)| *c).collect();
        let at = text
            .char_indices()
            .nth(max_chars - 1)
            .map_or(text.len(), |(i, _)| i);
        let at = clean::cluster_start(&text, at);
        chars.truncate(text[..at].chars().count());
        chars.push(('…', false));
    }
    chars
}

/// Writes a snippet's text with its highlights styled, cleaned and cut to `max_chars`
/// characters, between `before` and `after` (the `…` of a cut text), laid out by `layout`:
/// wrapped at word boundaries with continuation lines indented by `indent` columns, the first
/// line starting at column `column`. Writes no final newline.
#[allow(clippy::too_many_arguments)] // each is one independent aspect of the text's look
pub(super) fn write_highlighted(
    out: &mut impl Write,
    snippet: &Snippet,
    look: Look,
    layout: Layout,
    max_chars: usize,
    (before, after): (&str, &str),
    column: usize,
    indent: usize,
) -> io::Result<()> {
    let mut chars: Vec<Shown> = before.chars().map(|c| (c, false)).collect();
    chars.extend(shown_chars(snippet, max_chars));
    chars.extend(after.chars().map(|c| (c, false)));
    if layout.facts && layout.order == LineOrder::Visual {
        chars = with_marks_after_separators(chars);
    }
    let text: String = chars.iter().map(|(c, _)| c).collect();
    let lines = match layout.width {
        Some(width) => wrap(
            &chars,
            width.saturating_sub(column),
            width.saturating_sub(indent),
        ),
        None => std::iter::once(0..chars.len()).collect(),
    };
    // Levels are resolved over the whole text (one paragraph), then each line is reordered on
    // its own, as the bidirectional algorithm asks: the first words stay on the first line.
    let direction = layout.facts.then(Level::ltr);
    let bidi =
        (layout.order == LineOrder::Visual).then(|| ParagraphBidiInfo::new(&text, direction));
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            write!(out, "\n{:indent$}", "")?;
        }
        let mut shown = match &bidi {
            None => chars[line].to_vec(),
            Some(info) => visual_order(info, &byte_of, &chars, line),
        };
        if layout.facts {
            for (c, _) in &mut shown {
                if *c == '\u{a0}' {
                    *c = ' ';
                }
            }
        }
        write_runs(out, &shown, look)?;
    }
    Ok(())
}

/// Writes one line of plain text (a message, a `label: value` line) laid out by `layout`,
/// continuation lines indented by `indent` columns, then a newline. Leading spaces indent
/// the first line.
pub(super) fn write_paragraph(
    out: &mut impl Write,
    text: &str,
    layout: Layout,
    indent: usize,
) -> io::Result<()> {
    // Leading spaces are an indent, written as they are: wrapping would drop them.
    let body = text.trim_start_matches(' ');
    let column = text.len() - body.len();
    write!(out, "{:column$}", "")?;
    let body = Snippet::whole_plain(body);
    let max = clean::MESSAGE_CHARS;
    write_highlighted(
        out,
        &body,
        Look::of(Style::new()),
        layout,
        max,
        ("", ""),
        column,
        indent,
    )?;
    writeln!(out)
}

/// One line of plain text laid out by `layout` (see [`write_paragraph`]), without the final
/// newline: for messages that go to standard error.
pub fn laid_out(text: &str, layout: Layout, indent: usize) -> String {
    let mut out = Vec::new();
    write_paragraph(&mut out, text, layout, indent).expect("writing to memory");
    out.pop();
    String::from_utf8(out).expect("rasd writes UTF-8")
}

/// A list of counts (`3 added, 0 updated; 10 files read`) laid out as [`laid_out`] does,
/// but broken only after its separators (`,` `;` `:`): at 60 columns, `0` ended one line and
/// `unchanged` began the next.
pub fn laid_out_list(text: &str, layout: Layout, indent: usize) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        let inside_item = c == ' ' && !matches!(previous, ',' | ';' | ':');
        kept.push(if inside_item { '\u{a0}' } else { c });
        previous = c;
    }
    laid_out(&kept, layout, indent).replace('\u{a0}', " ")
}

/// The indent of the lines under a ranked title (a hit, a similar article), and of every
/// continuation line.
pub(super) const INDENT: usize = 3;

/// Writes `N. TITLE`, the title wrapped under itself, then a newline; `(untitled)` for an
/// empty title.
pub(super) fn write_ranked_title(
    out: &mut impl Write,
    rank: usize,
    title: &Snippet,
    highlight: Style,
    layout: Layout,
) -> io::Result<()> {
    let rank = format!("{rank}. ");
    write!(out, "{TITLE}{}{TITLE:#} ", rank.trim_end())?;
    let untitled;
    let title = if title.text.is_empty() {
        untitled = Snippet::whole_plain("(untitled)");
        &untitled
    } else {
        title
    };
    let (column, max) = (rank.chars().count(), clean::FIELD_CHARS);
    let look = Look {
        text: TITLE,
        highlight: highlight.bold(),
    };
    write_highlighted(out, title, look, layout, max, ("", ""), column, INDENT)?;
    writeln!(out)
}

/// Writes an indented line rasd composes under a ranked title (its facts, its copies), dimmed
/// and laid out as a line of facts (see [`Layout::facts`]), then a newline.
pub(super) fn write_meta_line(out: &mut impl Write, text: &str, layout: Layout) -> io::Result<()> {
    write!(out, "{:INDENT$}", "")?;
    let text = Snippet::whole_plain(text);
    let max = clean::MESSAGE_CHARS;
    let layout = layout.for_facts();
    write_highlighted(
        out,
        &text,
        Look::of(META),
        layout,
        max,
        ("", ""),
        INDENT,
        INDENT,
    )?;
    writeln!(out)
}

/// The characters of a line of facts with a left-to-right mark after each separator (`· `,
/// `, `, `: `): each fact then starts its own left-to-right context, so that a date or a count
/// after an Arabic fact stays in its place instead of joining the Arabic run (the Unicode
/// bidirectional algorithm reads digits after Arabic letters as Arabic numbers). The marks
/// are dropped once the line is reordered.
fn with_marks_after_separators(chars: Vec<Shown>) -> Vec<Shown> {
    let mut out = Vec::with_capacity(chars.len());
    for (i, &shown) in chars.iter().enumerate() {
        out.push(shown);
        let separator = i > 0 && matches!(chars[i - 1].0, '·' | ',' | ':');
        if separator && shown.0 == ' ' {
            out.push(('\u{200e}', false));
        }
    }
    out
}

/// Writes runs of equally styled characters.
fn write_runs(out: &mut impl Write, chars: &[Shown], look: Look) -> io::Result<()> {
    let style = |highlighted| {
        if highlighted {
            look.highlight
        } else {
            look.text
        }
    };
    let mut run = String::new();
    let mut run_highlighted = false;
    for &(ch, highlighted) in chars {
        if highlighted != run_highlighted && !run.is_empty() {
            let style = style(run_highlighted);
            write!(out, "{style}{run}{style:#}")?;
            run.clear();
        }
        run_highlighted = highlighted;
        run.push(ch);
    }
    if run.is_empty() {
        return Ok(());
    }
    let style = style(run_highlighted);
    write!(out, "{style}{run}{style:#}")
}

/// The display width of a character: 0 for combining marks (Arabic harakat), 2 for wide
/// (CJK) characters. Styles are never among the characters, so they never count.
fn columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The display width of a text, character by character: a terminal draws `لا` (lam and alef)
/// in two columns, though Unicode's width of the string counts the ligature one.
pub(super) fn text_columns(text: &str) -> usize {
    text.chars().map(columns).sum()
}

/// Whether a line may break at `c`: at whitespace, but not at the no-break spaces that French
/// puts inside « » and before : ; ! ?.
fn breaks(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// The lines of `chars` (as ranges), wrapped greedily at whitespace: the first line holds at
/// most `first` columns, the others `rest`. The spaces where a line breaks are dropped. A word
/// is cut only when it is longer than a whole line.
fn wrap(chars: &[Shown], first: usize, rest: usize) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let room = |lines: &Vec<Range<usize>>| if lines.is_empty() { first } else { rest }.max(1);
    // The current line: where it starts and ends, and its width.
    let mut line: Option<(usize, usize, usize)> = None;
    let mut i = 0;
    while i < chars.len() {
        let space_start = i;
        while i < chars.len() && breaks(chars[i].0) {
            i += 1;
        }
        let word_start = i;
        loop {
            while i < chars.len() && !breaks(chars[i].0) {
                i += 1;
            }
            // French puts a space inside « » and before : ; ! ? where typists rarely write a
            // no-break one: the line does not break there either.
            let mut next = i;
            while next < chars.len() && breaks(chars[next].0) {
                next += 1;
            }
            let glued = next < chars.len()
                && (matches!(chars[next].0, '»' | ':' | ';' | '!' | '?')
                    || (i > word_start && chars[i - 1].0 == '«'));
            if !glued {
                break;
            }
            i = next;
        }
        if word_start == i {
            break; // trailing whitespace
        }
        let spaces: usize = chars[space_start..word_start]
            .iter()
            .map(|c| columns(c.0))
            .sum();
        let word: usize = chars[word_start..i].iter().map(|c| columns(c.0)).sum();
        match line {
            Some((start, _, width)) if width + spaces + word <= room(&lines) => {
                line = Some((start, i, width + spaces + word));
                continue;
            }
            Some((start, end, _)) => lines.push(start..end),
            None => {}
        }
        // The word begins a line; cut it while it is longer than one: at its last no-break
        // space that fits (between the words of a fact, inside « »), or else between letters,
        // so that a fact longer than a line keeps its words whole (`by root: المتفجرات`).
        let mut start = word_start;
        let mut width = 0;
        let mut j = word_start;
        while j < i {
            let w = columns(chars[j].0);
            if width + w > room(&lines) && j > start {
                match (start + 1..j).rev().find(|&k| chars[k].0.is_whitespace()) {
                    Some(space) => {
                        lines.push(start..space);
                        start = space + 1;
                        width = chars[start..j].iter().map(|c| columns(c.0)).sum();
                        // `j` again, on the new line.
                        continue;
                    }
                    None => {
                        lines.push(start..j);
                        start = j;
                        width = 0;
                    }
                }
            }
            width += w;
            j += 1;
        }
        line = Some((start, i, width));
    }
    if let Some((start, end, _)) = line {
        lines.push(start..end);
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// The characters of one line (`line`, as character indices into `chars`) in display order,
/// by the Unicode bidirectional algorithm with the paragraph's levels (`info`; `byte_of` maps
/// a character index to its byte offset): right-to-left runs (Arabic) reversed, so that a
/// terminal that writes every line left to right shows them readable. A combining mark stays
/// after its base letter, where a terminal draws it on that letter, and brackets in them are
/// mirrored; each character keeps its highlight.
fn visual_order(
    info: &ParagraphBidiInfo,
    byte_of: &[usize],
    chars: &[Shown],
    line: Range<usize>,
) -> Vec<Shown> {
    let mut out = Vec::with_capacity(line.len());
    if line.is_empty() {
        return out;
    }
    let bytes = byte_of[line.start]..byte_of[line.end];
    let (levels, runs) = info.visual_runs(bytes);
    // Byte offset → index of its character.
    let index_of = |byte: usize| byte_of.partition_point(|&b| b < byte);
    for run in runs {
        let in_run = index_of(run.start)..index_of(run.end);
        if levels[run.start].is_rtl() {
            // Whole graphemes in reverse order: a letter with its marks, an emoji sequence
            // joined by ZWJ (👨‍👩‍👧), a flag's two letters.
            let text: String = chars[in_run.clone()].iter().map(|(c, _)| *c).collect();
            let mut start = in_run.start;
            let mut units: Vec<Range<usize>> = Vec::new();
            for grapheme in text.graphemes(true) {
                let end = start + grapheme.chars().count();
                units.push(start..end);
                start = end;
            }
            // A bracket, reversed, faces the wrong way: it is drawn mirrored (rule L4), as a
            // terminal with bidi draws `(` in Arabic text.
            for unit in units.into_iter().rev() {
                out.extend(chars[unit].iter().map(|&(c, style)| {
                    (unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c), style)
                }));
            }
        } else {
            out.extend_from_slice(&chars[in_run]);
        }
    }
    // The implicit direction marks have done their work; a terminal without bidi may draw them.
    out.retain(|(c, _)| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}'));
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
    use unicode_normalization::char::is_combining_mark;

    use super::*;

    #[test]
    fn highlights_are_styled_on_character_offsets() {
        let snippet = Snippet {
            text: "قال إن الْإِرْهَابَ انتهى".to_string(),
            highlights: vec![[7, 19]],
            ..Snippet::default()
        };
        let mut out = Vec::new();
        write_highlighted(
            &mut out,
            &snippet,
            Look::of(Style::new()),
            Layout::default(),
            300,
            ("", ""),
            0,
            0,
        )
        .unwrap();
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
        let layout = Layout {
            order: LineOrder::Visual,
            ..Layout::default()
        };
        let out = written(&snippet, layout);
        // The highlighted word is داعش written backwards, still whole and still highlighted;
        // the Latin word keeps its order.
        assert!(out.contains(&format!("{MATCH}شعاد{MATCH:#}")), "{out}");
        assert!(out.contains("Paris"), "{out}");
        let plain: String = anstream::adapter::strip_str(&out).to_string();
        let reversed_arabic: String = "اعتقال عنصر من داعش في".chars().rev().collect();
        assert!(plain.contains(&reversed_arabic), "{plain}");
    }

    #[test]
    fn visual_order_mirrors_brackets_in_arabic() {
        let snippet = Snippet {
            text: "قال (المصدر) إن «الخلية» [سابقا] (Europol)".to_string(),
            ..Snippet::default()
        };
        let layout = Layout {
            order: LineOrder::Visual,
            ..Layout::default()
        };
        let out = written(&snippet, layout);
        let plain: String = anstream::adapter::strip_str(&out).to_string();
        // Reversed and mirrored, each bracket still opens before its word on the screen.
        let reversed = |s: &str| s.chars().rev().collect::<String>();
        for (open, word, close) in [
            ('(', "المصدر", ')'),
            ('«', "الخلية", '»'),
            ('[', "سابقا", ']'),
        ] {
            let shown = format!("{open}{}{close}", reversed(word));
            assert!(plain.contains(&shown), "{shown}: {plain}");
        }
        // A Latin run keeps its brackets as written.
        assert!(plain.contains("(Europol)"), "{plain}");
    }

    #[test]
    fn visual_order_keeps_emoji_sequences_and_flags_whole() {
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        let flag = "🇲🇦";
        let text = format!("عائلة {family} من {flag} المغرب");
        let line = wrapped(&text, LineOrder::Visual, 100).concat();
        assert!(line.contains(family), "{line:?}");
        assert!(line.contains(flag), "{line:?}");
        // The Arabic words are still reversed around them.
        let reversed: String = "المغرب".chars().rev().collect();
        assert!(line.contains(&reversed), "{line:?}");
    }

    /// A snippet as `write_highlighted` writes it from column 0, styles included.
    fn written(snippet: &Snippet, layout: Layout) -> String {
        let mut out = Vec::new();
        write_highlighted(
            &mut out,
            snippet,
            Look::of(Style::new()),
            layout,
            300,
            ("", ""),
            0,
            0,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The lines of a text wrapped to `width` columns, styles removed.
    fn wrapped(text: &str, order: LineOrder, width: usize) -> Vec<String> {
        let snippet = Snippet::whole_plain(text);
        let layout = Layout {
            order,
            width: Some(width),
            facts: false,
        };
        let out = written(&snippet, layout);
        anstream::adapter::strip_str(&out)
            .to_string()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn width(line: &str) -> usize {
        line.chars().map(columns).sum()
    }

    #[test]
    fn a_list_of_counts_breaks_between_its_items() {
        let summary = "indexed in 0.1s: 12 added, 0 updated, 0 removed, 0 unchanged, 0 failed, \
                       0 warnings; 13 files read, 1 other file skipped; 12 articles in the index";
        for columns in [40, 60, 100] {
            let layout = Layout {
                width: Some(columns),
                ..Layout::default()
            };
            let out = laid_out_list(summary, layout, 2);
            for line in out.lines() {
                assert!(width(line) <= columns, "{out}");
                let line = line.trim();
                assert!(
                    line.ends_with([',', ';', ':']) || summary.ends_with(line),
                    "{columns}: {out}"
                );
            }
            let joined: Vec<&str> = out.split_whitespace().collect();
            assert_eq!(joined.join(" "), summary);
        }
    }

    #[test]
    fn lines_wrap_at_words_in_display_columns() {
        let text = "الْإِرْهَابِيَّة خلية من خمسة عناصر 中文字符 and some English words here";
        for w in [12, 20, 30] {
            let lines = wrapped(text, LineOrder::Logical, w);
            assert!(lines.iter().all(|l| width(l) <= w), "{w}: {lines:?}");
            assert_eq!(lines.join(" "), text, "{w}");
        }
        // The marks take no column: the word fits in its letters' width.
        assert_eq!(width("الْإِرْهَابِيَّة"), "الارهابية".chars().count());
        assert_eq!(width("中文"), 4);
        // No break at a no-break space.
        let quoted = "une opération «\u{a0}Gaviota\u{a0}» de police";
        let lines = wrapped(quoted, LineOrder::Logical, 16);
        assert!(
            lines.contains(&"«\u{a0}Gaviota\u{a0}» de".to_string()),
            "{lines:?}"
        );
        // A word longer than a line is cut, and only then.
        assert_eq!(
            wrapped("a abcdefghij b", LineOrder::Logical, 4),
            ["a", "abcd", "efgh", "ij b"]
        );
        // Words glued by no-break spaces longer than a line break at those spaces first
        // (probe 17: a fact cut its Arabic word in two).
        assert_eq!(
            wrapped("by\u{a0}root:\u{a0}المتفجرات", LineOrder::Logical, 12),
            ["by\u{a0}root:", "المتفجرات"]
        );
        assert_eq!(
            wrapped("x\u{a0}abcdefghij", LineOrder::Logical, 4),
            ["x", "abcd", "efgh", "ij"]
        );
    }

    #[test]
    fn visual_lines_keep_the_first_words_first_and_marks_after_their_letters() {
        let text = "قال إن الْإِرْهَابِيَّة فرت";
        let lines = wrapped(text, LineOrder::Visual, 10);
        let reversed = |s: &str| {
            // Letters with their marks, in reverse order.
            let mut units: Vec<String> = Vec::new();
            for c in s.chars() {
                match units.last_mut() {
                    Some(u) if is_combining_mark(c) => u.push(c),
                    _ => units.push(c.to_string()),
                }
            }
            units.into_iter().rev().collect::<String>()
        };
        assert_eq!(lines[0], reversed("قال إن"), "{lines:?}");
        assert_eq!(lines[1], reversed("الْإِرْهَابِيَّة"), "{lines:?}");
        // Every mark follows a letter, never a space or the start of a line.
        for line in &lines {
            let chars: Vec<char> = line.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if is_combining_mark(*c) {
                    assert!(i > 0 && !chars[i - 1].is_whitespace(), "{line}");
                }
            }
        }
        // The ة comes first and bare: the shadda and fatha stay on the ي before it.
        let mut word = lines[1].chars();
        assert_eq!(word.next(), Some('ة'));
        assert!(!is_combining_mark(word.next().unwrap()), "{lines:?}");
    }

    #[test]
    fn in_a_line_of_facts_a_date_after_an_arabic_fact_keeps_its_order_and_place() {
        let layout = Layout {
            order: LineOrder::Visual,
            ..Layout::default()
        };
        let mut out = Vec::new();
        write_meta_line(&mut out, "+1 copy: صدى الوطن · 2016-03-12", layout).unwrap();
        let out = anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string();
        let source: String = "صدى الوطن".chars().rev().collect();
        assert_eq!(out, format!("   +1 copy: {source} · 2016-03-12\n"));
    }
}
