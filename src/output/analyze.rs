//! `rasd analyze`: the analysis of a text, word by word, and how a query is searched.

use std::io::{self, Write};

use super::style::{Layout, TITLE, field, laid_out, text_columns, write_paragraph};
use crate::analysis::AnalyzedWord;
use crate::analysis::names::ARABIC_MARK;
use crate::search::QueryDescription;
use crate::search::aliases::ALIAS_BOOST;
use crate::search::glossary::TRANSLATION_BOOST;
use crate::search::names::{DISAGREEING_SPELLING, NAME_BOOST};

/// A table cell as a terminal shows it: cleaned and bounded, and in visual order when the
/// layout asks for it (an Arabic word written backwards for a terminal without bidi).
fn cell(text: &str, layout: Layout) -> String {
    let unwrapped = Layout {
        width: None,
        ..layout
    };
    laid_out(&field(text), unwrapped, 0)
}

/// `text` padded with spaces to `columns` display columns (harakat take none).
fn padded(text: &str, columns: usize) -> String {
    let pad = columns.saturating_sub(text_columns(text));
    format!("{text}{:pad$}", "")
}

/// Writes the stages of analysis of a text, one word per line, in columns as wide as their
/// widest cell; each word's related forms under it, wrapped by `layout`.
pub fn write_analysis(
    out: &mut impl Write,
    words: &[AnalyzedWord],
    layout: Layout,
) -> io::Result<()> {
    // A negation keeps its place in the positions: told apart, so that the gap it leaves
    // in `pos` reads.
    let missing = |w: &AnalyzedWord| match w.negation {
        true => "(negation)",
        false => "(stop word)",
    };
    let header = ["pos", "chars", "original", "surface", "stem"].map(str::to_string);
    let rows: Vec<[String; 5]> = words
        .iter()
        .map(|w| {
            [
                w.position.map_or("-".to_string(), |p| p.to_string()),
                format!("{}..{}", w.start, w.end),
                cell(&w.original, layout),
                cell(w.surface.as_deref().unwrap_or(missing(w)), layout),
                cell(w.stem.as_deref().unwrap_or(missing(w)), layout),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|row| text_columns(&row[i]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |row: &[String; 5]| {
        // The position right-aligned, as numbers are; the rest left-aligned.
        let pos = format!("{:>1$}", row[0], widths[0]);
        let rest = row[1..]
            .iter()
            .zip(&widths[1..])
            .map(|(c, &w)| padded(c, w));
        let cells: Vec<String> = std::iter::once(pos).chain(rest).collect();
        cells.join("  ").trim_end().to_string()
    };
    writeln!(out, "{TITLE}{}{TITLE:#}", line(&header))?;
    for (w, row) in words.iter().zip(&rows) {
        writeln!(out, "{}", line(row))?;
        if !w.related_forms.is_empty() {
            // Each form glued to its reason, so that lines break between forms.
            let forms: Vec<String> = w
                .related_forms
                .iter()
                .map(|f| {
                    let reason = f.reason.name().replace(' ', "\u{a0}");
                    format!("{}\u{a0}({reason})", field(&f.text))
                })
                .collect();
            let text = format!("{:FORMS_INDENT$}forms: {}", "", forms.join(", "));
            write_paragraph(out, &text, layout.for_facts(), FORMS_INDENT + 7)?;
        }
    }
    Ok(())
}

/// How far a word's related forms are indented under it.
const FORMS_INDENT: usize = 6;

/// Writes how a query is searched: the expanded query, then each word or phrase with the
/// terms of each field and the proclitic forms found in the index, laid out by `layout`.
pub fn write_query_description<W: Write>(
    out: &mut W,
    description: &QueryDescription,
    layout: Layout,
) -> io::Result<()> {
    let facts = layout.for_facts();
    // The query as typed may hold control characters: shown as escapes, as its words are,
    // not dropped with the character after them as a terminal sequence.
    let shown = |text| crate::clean::line(text, usize::MAX);
    write!(out, "{TITLE}query{TITLE:#}     ")?;
    write_paragraph_at(out, &shown(&description.query), facts, LABEL)?;
    write!(out, "{TITLE}searched{TITLE:#}  ")?;
    write_paragraph_at(out, &shown(&description.expanded), facts, LABEL)?;
    let row = |out: &mut W, terms: &str, what: &str| term_row(out, terms, what, layout);
    for literal in &description.literals {
        let exact = if literal.exact { "  (exact)" } else { "" };
        let left_out = if literal.left_out {
            "  (left out: a stop word of the query)"
        } else {
            ""
        };
        writeln!(
            out,
            "\n{TITLE}{}{TITLE:#}{exact}{left_out}",
            cell(&literal.text, layout)
        )?;
        for group in &literal.terms {
            let terms = if group.terms.is_empty() {
                "(stop words only)".to_string()
            } else {
                // `_` marks a place any word of an article may fill.
                let mut joined = String::new();
                for (i, term) in group.terms.iter().enumerate() {
                    if i > 0 {
                        joined.push(' ');
                    }
                    joined.push_str(term);
                    if group.gaps_after.contains(&i) {
                        joined.push_str(" _");
                    }
                }
                joined
            };
            let fields = group.fields.join(", ");
            if group.phrase_in.is_empty() {
                row(out, &terms, &fields)?;
            } else {
                let what = format!(
                    "{fields}: each word, the phrase matched in {} (no positions here)",
                    group.phrase_in.join(", ")
                );
                row(out, &terms, &what)?;
            }
        }
        let group = literal.alias_group.as_deref().unwrap_or_default();
        for alias in &literal.aliases {
            row(
                out,
                alias,
                &format!("alias, weight {ALIAS_BOOST} ({group})"),
            )?;
        }
        for variant in &literal.variants {
            let weight = variant.weight;
            let what = format!("proclitic form found in the index, weight {weight}");
            row(out, &variant.text, &what)?;
        }
        for related in &literal.related_forms {
            let weight = related.weight;
            let reason = related.reason.name();
            let alone = if related.match_alone {
                ""
            } else {
                ", not a match alone"
            };
            let what = format!("{reason}, found in the index, weight {weight}{alone}");
            row(out, &related.text, &what)?;
        }
        for translation in &literal.translations {
            for term in &translation.terms {
                let what = if translation.from == translation.to {
                    format!("{} synonym", translation.to)
                } else {
                    format!("{} → {} translation", translation.from, translation.to)
                };
                let what = format!(
                    "{what}, weight {TRANSLATION_BOOST} (glossary entry {})",
                    translation.entry
                );
                row(out, term, &what)?;
            }
        }
        for name in &literal.names {
            let script = if name.key.key.starts_with(ARABIC_MARK) {
                "Arabic"
            } else {
                "Latin"
            };
            let key = &name.key.key[1..];
            let (name_as_written, weaker) = (&name.key.name, NAME_BOOST * DISAGREEING_SPELLING);
            for (spellings, what) in [
                (&name.candidates, format!("weight {NAME_BOOST}")),
                (
                    &name.other_vowels,
                    format!("vowels or form otherwise, weight {weaker:.2}"),
                ),
            ] {
                if spellings.is_empty() {
                    continue;
                }
                let what = format!(
                    "{script} spellings of {name_as_written} by transliteration (key {key}), \
                     {what}: {}",
                    spellings.join(" "),
                );
                row(out, key, &what)?;
            }
        }
    }
    Ok(())
}

/// `  TERMS  what they are`: the terms in their column, what they are wrapped under itself.
fn term_row(out: &mut impl Write, terms: &str, what: &str, layout: Layout) -> io::Result<()> {
    let terms = padded(&cell(terms, layout), TERMS_COLUMNS);
    write!(out, "  {terms}  ")?;
    write_paragraph_at(out, what, layout.for_facts(), TERMS_COLUMNS + 4)
}

/// The width of the `query` and `searched` labels: their values wrap under themselves.
const LABEL: usize = 10;

/// The width of the terms' column.
const TERMS_COLUMNS: usize = 24;

/// [`write_paragraph`] for a text whose first line starts at `column` (after a label):
/// continuation lines are indented as much.
fn write_paragraph_at(
    out: &mut impl Write,
    text: &str,
    layout: Layout,
    column: usize,
) -> io::Result<()> {
    let layout = Layout {
        width: layout.width.map(|w| w.saturating_sub(column)),
        ..layout
    };
    let mut written = Vec::new();
    write_paragraph(&mut written, text, layout, 0)?;
    let written = String::from_utf8(written).expect("rasd writes UTF-8");
    let indent = format!("\n{:column$}", "");
    write!(
        out,
        "{}",
        written.trim_end_matches('\n').replace('\n', &indent)
    )?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::LineOrder;
    use crate::schema::IndexSchema;

    fn written(text: &str, layout: Layout) -> String {
        let words = crate::analysis::analyze_text(text, &IndexSchema::builtin().word_lists);
        let mut out = Vec::new();
        write_analysis(&mut out, &words, layout).unwrap();
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn a_lam_alef_takes_two_columns_as_a_terminal_draws_it() {
        // Unicode's width of `لا` is one; a terminal that does not shape Arabic draws two.
        assert_eq!(padded("رجال الشرطة", 14), format!("رجال الشرطة{:3}", ""));
    }

    #[test]
    fn columns_fit_their_words_and_forms_wrap_under_themselves() {
        let layout = Layout {
            width: Some(50),
            ..Layout::default()
        };
        let text = written("في الدار البيضاء", layout);
        for line in text.lines() {
            assert!(text_columns(line) <= 50, "{line:?}\n{text}");
        }
        let forms: Vec<&str> = text.lines().filter(|l| l.starts_with("      ")).collect();
        assert!(forms.len() > 2, "{text}");
        for line in forms {
            let first = line.starts_with("      forms: ");
            assert!(
                first || line.starts_with(&" ".repeat(13)),
                "{line:?}\n{text}"
            );
        }
        // A form is never cut from its reason: each line of forms ends after one.
        for line in text.lines().filter(|l| l.starts_with("      ")) {
            assert!(line.ends_with(')') || line.ends_with("),"), "{line:?}");
        }
    }

    #[test]
    fn in_visual_order_arabic_cells_are_written_backwards() {
        let layout = Layout {
            order: LineOrder::Visual,
            ..Layout::default()
        };
        let text = written("الدار", layout);
        let row = text.lines().nth(1).unwrap();
        let backwards: String = "الدار".chars().rev().collect();
        assert!(row.contains(&format!("  {backwards}  ")), "{text}");
    }
}
