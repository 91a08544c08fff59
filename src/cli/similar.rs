//! `rasd similar`: the articles most like one article.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use rasd::output;
use rasd::store::RasdIndex;

use super::args::{BidiWhen, SimilarArgs, TextOrJsonFormat};
use super::terminal;

/// Runs `rasd similar` on the index at `index_path`, writing to `out`.
pub fn run(args: SimilarArgs, index_path: PathBuf, mut out: impl Write) -> Result<ExitCode> {
    let SimilarArgs {
        id,
        limit,
        format,
        json,
    } = args;
    let index = RasdIndex::open(&index_path)?;
    let articles = rasd::search::similar::similar(&index, &id, limit)?;
    if json || format == TextOrJsonFormat::Json {
        output::write_similar_json(&mut out, &articles)?;
    } else {
        let layout = terminal::layout(std::io::stdout().is_terminal(), BidiWhen::Auto, None);
        let cwd = std::env::current_dir().ok();
        output::write_similar_text(&mut out, &articles, cwd.as_deref(), layout)?;
    }
    out.flush()?;
    Ok(ExitCode::from(if articles.is_empty() { 1 } else { 0 }))
}
