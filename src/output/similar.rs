//! `rasd similar`: the articles most like one article, as text or JSON Lines.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use super::json_line;
use super::style::{
    Layout, MATCH, field, shown_path, write_meta_line, write_paragraph, write_ranked_title,
};
use crate::search::Snippet;
use crate::search::similar::SimilarArticle;

/// Writes the similar articles for a person: rank and title, then a line of facts that says
/// whether it is a copy, how much of the text it shares, and its score.
pub fn write_similar_text(
    out: &mut impl Write,
    articles: &[SimilarArticle],
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    for article in articles {
        let title = Snippet::whole_plain(&article.title);
        write_ranked_title(out, article.rank, &title, MATCH, layout)?;
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
        write_meta_line(out, &layout.facts_line(&facts), layout)?;
        writeln!(out)?;
    }
    let copies = articles.iter().filter(|a| a.copy).count();
    let copies = match copies {
        1 => "1 copy".to_string(),
        n => format!("{n} copies"),
    };
    let related = articles.len() - articles.iter().filter(|a| a.copy).count();
    let line = format!("{copies}, {related} related.");
    write_paragraph(out, &line, layout.for_facts(), 0)
}

/// Writes the similar articles as JSON Lines, one object per article.
pub fn write_similar_json(out: &mut impl Write, articles: &[SimilarArticle]) -> io::Result<()> {
    for article in articles {
        json_line(out, article)?;
    }
    Ok(())
}
