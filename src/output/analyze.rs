//! `rasd analyze`: the analysis of a text, word by word, and how a query is searched.

use std::io::{self, Write};

use super::style::{TITLE, field};
use crate::analysis::AnalyzedWord;
use crate::analysis::names::ARABIC_MARK;
use crate::clean;
use crate::search::QueryDescription;
use crate::search::aliases::ALIAS_BOOST;
use crate::search::forms;
use crate::search::names::NAME_BOOST;
use crate::search::proclitics::VARIANT_BOOST;

/// Writes the stages of analysis of a text, one word per line.
pub fn write_analysis(out: &mut impl Write, words: &[AnalyzedWord]) -> io::Result<()> {
    writeln!(
        out,
        "{TITLE}{:>4}  {:<9}  {:<20}  {:<20}  stem{TITLE:#}",
        "pos", "chars", "original", "surface"
    )?;
    for w in words {
        let missing = "(stop word)";
        writeln!(
            out,
            "{:>4}  {:<9}  {:<20}  {:<20}  {}",
            w.position,
            format!("{}..{}", w.start, w.end),
            field(&w.original),
            field(w.surface.as_deref().unwrap_or(missing)),
            field(w.stem.as_deref().unwrap_or(missing)),
        )?;
        if !w.related_forms.is_empty() {
            let forms: Vec<String> = w
                .related_forms
                .iter()
                .map(|f| format!("{} ({})", f.text, f.reason.name()))
                .collect();
            writeln!(out, "{:>37}forms: {}", "", field(&forms.join(", ")))?;
        }
    }
    Ok(())
}

/// Writes how a query is searched: the expanded query, then each word or phrase with the
/// terms of each field and the proclitic forms found in the index.
pub fn write_query_description(
    out: &mut impl Write,
    description: &QueryDescription,
) -> io::Result<()> {
    let message = |text: &str| clean::line(text, clean::MESSAGE_CHARS).into_owned();
    writeln!(
        out,
        "{TITLE}query{TITLE:#}     {}",
        message(&description.query)
    )?;
    writeln!(
        out,
        "{TITLE}searched{TITLE:#}  {}",
        message(&description.expanded)
    )?;
    for literal in &description.literals {
        let exact = if literal.exact { "  (exact)" } else { "" };
        writeln!(out, "\n{TITLE}{}{TITLE:#}{exact}", field(&literal.text))?;
        for group in &literal.terms {
            let terms = if group.terms.is_empty() {
                "(stop words only)".to_string()
            } else {
                message(&group.terms.join(" "))
            };
            writeln!(out, "  {terms:<24}  {}", group.fields.join(", "))?;
        }
        let group = field(literal.alias_group.as_deref().unwrap_or_default());
        for alias in &literal.aliases {
            let alias = field(alias);
            writeln!(out, "  {alias:<24}  alias, weight {ALIAS_BOOST} ({group})")?;
        }
        for variant in &literal.variants {
            let variant = field(variant);
            writeln!(
                out,
                "  {variant:<24}  proclitic form found in the index, weight {VARIANT_BOOST}"
            )?;
        }
        for related in &literal.related_forms {
            let form = field(&related.text);
            let weight = forms::boost(related.reason);
            let reason = related.reason.name();
            writeln!(
                out,
                "  {form:<24}  {reason}, found in the index, weight {weight}"
            )?;
        }
        for name in literal.names.iter().filter(|n| !n.candidates.is_empty()) {
            let script = if name.key.key.starts_with(ARABIC_MARK) {
                "Arabic"
            } else {
                "Latin"
            };
            let candidates = message(&name.candidates.join(" "));
            writeln!(
                out,
                "  {:<24}  {script} spellings of {} by transliteration (key {}), weight {NAME_BOOST}: {candidates}",
                field(&name.key.key[1..]),
                field(&name.key.name),
                field(&name.key.key[1..]),
            )?;
        }
    }
    Ok(())
}
