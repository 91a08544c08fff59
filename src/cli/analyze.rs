//! `rasd analyze`: how a text, or a query, is analyzed.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::output;
use rasd::schema::IndexSchema;
use rasd::search::{self, AliasTable, Glossary, QueryOptions, Vocabulary};
use rasd::store::RasdIndex;

use super::args::{AnalyzeArgs, BidiWhen};
use super::terminal;

/// Runs `rasd analyze` on the index at `index_path`, writing to `out`.
pub fn run(args: AnalyzeArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    let AnalyzeArgs {
        text,
        query,
        exact,
        aliases,
        glossary,
        json,
    } = args;
    // Analyze as the index does when there is one, else as a new index would.
    let index = match RasdIndex::open(&index_path) {
        Ok(index) => index,
        Err(_) => RasdIndex::in_memory(IndexSchema::builtin())?,
    };
    let text = text.join(" ");
    let layout = terminal::layout(io::stdout().is_terminal(), BidiWhen::Auto, None);
    if query {
        let (aliases, expand_aliases) = aliases.table()?;
        let (translate_phrases, (glossary, translate)) =
            (glossary.translate_phrases(), glossary.glossary()?);
        let options = QueryOptions {
            exact,
            expand_aliases,
            translate,
            translate_phrases,
            ..QueryOptions::default()
        };
        let vocabulary = Vocabulary {
            aliases: aliases.as_deref().unwrap_or(AliasTable::builtin()),
            glossary: match (&glossary, translate) {
                (_, false) => Glossary::empty(),
                (Some(glossary), true) => glossary,
                (None, true) => Glossary::builtin(),
            },
        };
        let description =
            search::describe_query(&index, &index.searcher()?, &text, options, vocabulary)?;
        if json {
            output::json_line(&mut out, &description)?;
        } else {
            output::write_query_description(&mut out, &description, layout)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let words = rasd::analysis::analyze_text(&text, &index.schema.word_lists);
    if json {
        for word in &words {
            output::json_line(&mut out, word)?;
        }
    } else {
        output::write_analysis(&mut out, &words, layout)?;
    }
    Ok(ExitCode::SUCCESS)
}
