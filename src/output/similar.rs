//! `rasd similar`: the articles most like one article, as text or JSON Lines.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use anstyle::Style;

use super::json_line;
use super::style::{Layout, META, TITLE, field, shown_path, write_highlighted};
use crate::clean;
use crate::search::Snippet;
use crate::search::similar::SimilarArticle;

/// The indent of the lines under an article's rank.
const INDENT: usize = 3;

/// Writes the similar articles for a person: rank and title, then a line of facts that says
/// whether it is a copy, how much of the text it shares, and its score.
pub fn write_similar_text(
    out: &mut impl Write,
    articles: &[SimilarArticle],
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    let indent = " ".repeat(INDENT);
    for article in articles {
        let rank = format!("{}. ", article.rank);
        write!(out, "{TITLE}{}{TITLE:#} ", rank.trim_end())?;
        let title = match article.title.as_str() {
            "" => Snippet::whole_plain("(untitled)"),
            title => Snippet::whole_plain(title),
        };
        let (column, max) = (rank.chars().count(), clean::FIELD_CHARS);
        write_highlighted(out, &title, TITLE, layout, max, ("", ""), column, INDENT)?;
        writeln!(out)?;
        let mut facts: Vec<Cow<str>> = Vec::new();
        facts.push(if article.copy { "copy" } else { "related" }.into());
        facts.extend(article.date.as_deref().map(field));
        facts.extend(article.meta.source.as_deref().map(field));
        facts.extend(article.meta.lang.as_deref().map(field));
        facts.push(field(shown_path(&article.path, cwd)));
        facts.push(format!("{:.0}% of the text shared", article.similarity * 100.0).into());
        if let Some(score) = article.score {
            facts.push(format!("score {score:.2}").into());
        }
        let facts = Snippet::whole_plain(&layout.facts_line(&facts));
        write!(out, "{indent}")?;
        let max = clean::MESSAGE_CHARS;
        write_highlighted(
            out,
            &facts,
            META,
            layout.for_facts(),
            max,
            ("", ""),
            INDENT,
            INDENT,
        )?;
        writeln!(out)?;
        writeln!(out)?;
    }
    let copies = articles.iter().filter(|a| a.copy).count();
    let copies = match copies {
        1 => "1 copy".to_string(),
        n => format!("{n} copies"),
    };
    let related = articles.len() - articles.iter().filter(|a| a.copy).count();
    let line = format!("{copies}, {related} related.");
    write_highlighted(
        out,
        &Snippet::whole_plain(&line),
        Style::new(),
        layout.for_facts(),
        clean::MESSAGE_CHARS,
        ("", ""),
        0,
        0,
    )?;
    writeln!(out)
}

/// Writes the similar articles as JSON Lines, one object per article.
pub fn write_similar_json(out: &mut impl Write, articles: &[SimilarArticle]) -> io::Result<()> {
    for article in articles {
        json_line(out, article)?;
    }
    Ok(())
}
