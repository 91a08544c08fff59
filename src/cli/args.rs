//! The command line's arguments, as clap reads them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use clap::builder::RangedU64ValueParser;
use clap::{Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use rasd::ingest::{DEFAULT_MAX_ARTICLE_SIZE, DEFAULT_MAX_FILE_SIZE};
use rasd::search::{self, AliasTable, Glossary};
use rasd::{clean, indexer, output};

/// The version `--version` prints: the release and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("RASD_COMMIT"),
    ")"
);

/// rasd (رصد): full-text search for archives of security-news articles, Arabic first,
/// French and English beside it.
#[derive(Parser)]
#[command(version = VERSION, about, max_term_width = 100)]
pub struct Cli {
    /// The index folder [default: `index` in the configuration file, else the user's data
    /// folder, e.g. ~/.local/share/rasd/index]
    #[arg(long, global = true, env = "RASD_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// The configuration file [default: ~/.config/rasd/config.toml, read if it exists]
    #[arg(long, global = true, env = "RASD_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to color the output: auto (only on a terminal; with NO_COLOR set, bold and
    /// underline without colors), always or never [default: `color` in the configuration file,
    /// else auto]
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN",
          hide_default_value = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

/// How query names are expanded with their aliases.
#[derive(clap::Args)]
pub struct AliasArgs {
    /// Do not expand names with their aliases (داعش also finding ISIS, Daech…)
    #[arg(long)]
    no_aliases: bool,
    /// Also expand names with the alias groups of this file (the format of
    /// index-schema/aliases.toml)
    #[arg(long, value_name = "FILE", conflicts_with = "no_aliases")]
    aliases: Option<PathBuf>,
}

impl AliasArgs {
    /// Uses this alias file when none was given and aliases are on (the configuration's).
    pub fn default_file(&mut self, file: Option<PathBuf>) {
        if self.aliases.is_none() && !self.no_aliases {
            self.aliases = file;
        }
    }

    /// The alias table to use, and whether to expand at all.
    pub fn table(&self) -> Result<(Option<Arc<AliasTable>>, bool)> {
        let table = match &self.aliases {
            Some(file) => Some(Arc::new(
                AliasTable::builtin().merged(&AliasTable::from_file(file)?),
            )),
            None => None,
        };
        Ok((table, !self.no_aliases))
    }
}

/// How query terms are translated with the glossary.
#[derive(clap::Args)]
pub struct GlossaryArgs {
    /// Do not translate terms with the glossary (border fence also finding السياج الحدودي…)
    #[arg(long)]
    no_glossary: bool,
    /// Also translate terms with the concepts of this file (the format of
    /// index-schema/glossary.txt)
    #[arg(long, value_name = "FILE", conflicts_with = "no_glossary")]
    glossary: Option<PathBuf>,
    /// Also translate a quoted phrase that is a term of the glossary ("mandat d'arrêt" also
    /// finding مذكرة توقيف); without it, quotes mean these words only
    #[arg(long, conflicts_with = "no_glossary")]
    translate_phrases: bool,
}

impl GlossaryArgs {
    /// Uses this glossary file when none was given and translation is on (the
    /// configuration's).
    pub fn default_file(&mut self, file: Option<PathBuf>) {
        if self.glossary.is_none() && !self.no_glossary {
            self.glossary = file;
        }
    }

    /// The glossary to use, and whether to translate at all.
    pub fn glossary(&self) -> Result<(Option<Arc<Glossary>>, bool)> {
        let glossary = match &self.glossary {
            Some(file) => Some(Arc::new(
                Glossary::builtin().merged(&Glossary::from_file(file)?),
            )),
            None => None,
        };
        Ok((glossary, !self.no_glossary))
    }

    /// Whether quoted phrases are translated too.
    pub fn translate_phrases(&self) -> bool {
        self.translate_phrases
    }
}

/// When to reorder Arabic lines for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BidiWhen {
    Auto,
    On,
    Off,
}

/// Output formats of `rasd search`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Text,
    Json,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Index the articles in files and folders (.txt, .md, .json, .jsonl, .ndjson, .html,
    /// RSS/Atom feeds .xml .rss .atom, WARC web archives .warc; each also gzipped, .gz),
    /// redoing only what changed since the last run. Exit status: 0 all indexed, 1 some inputs failed
    /// (the rest is indexed), 2 usage or fatal error, 3 another job is indexing.
    #[command(after_help = INDEX_EXAMPLES)]
    Index(IndexArgs),
    /// Search the index. Exit status: 0 something matched, 1 nothing matched, 2 error.
    #[command(after_help = SEARCH_EXAMPLES)]
    Search(SearchArgs),
    /// Show how a text is analyzed: each word with its position, character offsets,
    /// surface term and stem; or, with --query, how a query is searched.
    #[command(after_help = ANALYZE_EXAMPLES)]
    Analyze(AnalyzeArgs),
    /// Show what the index holds: articles, languages, sources, dates, size, location.
    #[command(after_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Saved searches that report the articles they have not reported before: add, list,
    /// show, remove, run. `rasd watch run` exit status: 0 new articles, 1 none, 2 error, 3
    /// another job holds the index.
    #[command(after_help = WATCH_EXAMPLES)]
    Watch(WatchArgs),
    /// List the articles most like one article: its syndicated copies first, then related
    /// coverage by score. Exit status: 0 found, 1 nothing similar, 2 error (no such id).
    #[command(after_help = SIMILAR_EXAMPLES)]
    Similar(SimilarArgs),
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of rasd, or of one of its commands
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

/// The arguments of `rasd man`.
#[derive(clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (`search` for rasd-search(1), `watch add` for
    /// rasd-watch-add(1)): its options and examples; rasd's own page without it
    pub command: Vec<String>,
}

const INDEX_EXAMPLES: &str = "\
Examples:
  # Index a folder; later runs redo only what changed
  rasd index ~/archive
  # What a run would add, update and remove; no change
  rasd index --dry-run ~/archive
  # In cron: wait up to 10 min for another job, quietly
  rasd index --wait 600 --quiet ~/archive
  # Start again (the old index is searched until the new
  # one is ready)
  rasd index --rebuild ~/archive";

const SIMILAR_EXAMPLES: &str = "\
Examples:
  # The copies and related coverage of one article, by the
  # id search shows
  rasd similar sw-2025-0611
  # The 5 most similar, as JSON Lines
  rasd similar -n 5 --json sw-2025-0611";

const SEARCH_EXAMPLES: &str = "\
Examples:
  # Every word, in any of its forms
  rasd search 'تفكيك خلية إرهابية'
  # A phrase, without a word, since 2020
  rasd search '\"مكافحة الإرهاب\" -داعش' --since 2020
  # The 20 newest articles
  rasd search --sort date -n 20 'تهريب المخدرات'
  # JSON Lines for scripts
  rasd search --json 'source:\"Security Wire\"' |
    jq -r .title
  # A query that starts with -: put it after --
  rasd search -- -داعش تهريب";

const WATCH_EXAMPLES: &str = "\
Examples:
  # Save a search; what the archive holds now is not news
  rasd watch add مراقبة-الموانئ 'ميناء تهريب' --lang ar
  # After each re-index, print what the saved searches had
  # not reported (cron mails it)
  rasd index --watch --quiet ~/archive
  # Or on its own, as JSON Lines
  rasd watch run --json";

const ANALYZE_EXAMPLES: &str = "\
Examples:
  # Each word's surface term, stem and related forms, with
  # the reason for each
  rasd analyze 'والمهربين الحدوديين'
  # How a query is searched: its terms per field, aliases
  # and translations
  rasd analyze --query 'Lahlou تهريب'
  # As JSON Lines
  rasd analyze --json 'بالمخدرات'";

const STATS_EXAMPLES: &str = "\
Examples:
  # Articles, languages, sources, dates and size
  rasd stats
  # Of another index, as one JSON object
  rasd stats --index /srv/archive-index --json";

const WATCH_ADD_EXAMPLES: &str = "\
Examples:
  # Report new Arabic articles on smuggling through ports
  rasd watch add مراقبة-الموانئ 'ميناء تهريب' --lang ar
  # One source's articles, those since March 2024 included
  rasd watch add sw Interpol --source 'Security Wire' \\
    --since 2024-03 --backfill";

const WATCH_RUN_EXAMPLES: &str = "\
Examples:
  # Every saved search's new stories
  rasd watch run
  # One of them, as JSON Lines, one alert per new article
  rasd watch run --json --no-collapse مراقبة-الموانئ";

const WATCH_LIST_EXAMPLES: &str = "\
Examples:
  rasd watch list
  rasd watch list --json";

const WATCH_SHOW_EXAMPLES: &str = "\
Examples:
  # Its query, filters, last run and alerts so far
  rasd watch show مراقبة-الموانئ";

const WATCH_REMOVE_EXAMPLES: &str = "\
Examples:
  # The search and what it has seen; the others stay
  rasd watch remove مراقبة-الموانئ";

const MAN_EXAMPLES: &str = "\
Examples:
  # Install the pages (man finds them beside ~/.cargo/bin)
  mkdir -p ~/.cargo/share/man/man1
  rasd man > ~/.cargo/share/man/man1/rasd.1
  rasd man search > ~/.cargo/share/man/man1/rasd-search.1
  man rasd-search";

const COMPLETIONS_EXAMPLES: &str = "\
Install:
  d=~/.local/share/bash-completion/completions
  mkdir -p $d && rasd completions bash > $d/rasd
  # zsh, with fpath+=~/.zfunc in ~/.zshrc
  mkdir -p ~/.zfunc
  rasd completions zsh > ~/.zfunc/_rasd
  d=~/.config/fish/completions
  mkdir -p $d && rasd completions fish > $d/rasd.fish";

/// The arguments of `rasd completions`.
#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--memory`, in megabytes: at least what one writer thread and the program take (less
/// could not be honored), at most what tantivy takes per thread (with one thread, all of it).
pub(super) const MEMORY_MB: std::ops::RangeInclusive<u64> =
    rasd::store::memory::MIN_MEMORY_MB as u64..=4000;

/// The longest `--wait`: a year.
const MAX_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// Reads `--wait`: seconds, 0 to [`MAX_WAIT`], fractions allowed.
fn parse_wait(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(0.0..=MAX_WAIT.as_secs_f64()).contains(&seconds) {
        return Err(format!(
            "{text} seconds is not between 0 and {} (a year)",
            MAX_WAIT.as_secs()
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The arguments of `rasd index`.
#[derive(clap::Args)]
pub struct IndexArgs {
    /// Files and folders to index; `-` reads JSON Lines articles from standard input
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Build the index with this schema file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Follow symbolic links while walking folders
    #[arg(long)]
    pub follow_links: bool,
    /// Build the index again from scratch beside the current one, then put it in its place
    #[arg(long)]
    pub rebuild: bool,
    /// Let a folder or file named here that holds nothing to index remove its articles from
    /// the index (without it, such a run changes nothing and fails: an unmounted share looks
    /// like an emptied folder)
    #[arg(long)]
    pub allow_empty: bool,
    /// Print what would be added, updated and removed, file by file, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Wait up to this many seconds (at most a year) for another indexing job to finish
    /// (default: fail after a second, exit status 3)
    #[arg(long, default_value = "0", hide_default_value = true, value_parser = parse_wait, value_name = "SECONDS")]
    pub wait: Duration,
    /// Commit after this many articles, so that a killed run keeps its progress [default:
    /// `commit_every` under `[indexing]` in the configuration file, else 10000]
    #[arg(long, default_value_t = indexer::DEFAULT_COMMIT_EVERY, value_name = "N",
          hide_default_value = true)]
    pub commit_every: usize,
    /// Decode every file with this encoding (e.g. windows-1256, iso-8859-6, utf-16le)
    /// instead of detecting it
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Skip files larger than this, in megabytes (a gzipped file: once decompressed; a web
    /// archive is read record by record and skips larger records instead)
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_SIZE / 1_000_000, value_name = "MB")]
    pub max_file_size: u64,
    /// Cut the text of a longer article to this size, in megabytes, with a warning: the
    /// memory and time one article takes grow with its size
    #[arg(long, default_value_t = DEFAULT_MAX_ARTICLE_SIZE as u64 / 1_000_000, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_article_size: u64,
    /// Indexing memory, in megabytes (64 to 4000) [default: `memory` under `[indexing]` in
    /// the configuration file, else 256]
    #[arg(long, default_value_t = 256, value_name = "MB", hide_default_value = true,
          value_parser = RangedU64ValueParser::<usize>::new().range(MEMORY_MB))]
    pub memory: usize,
    /// Print only errors
    #[arg(short, long)]
    pub quiet: bool,
    /// Print problems and the summary as JSON Lines on stdout
    #[arg(long)]
    pub json: bool,
    /// After indexing, run the saved searches (`rasd watch run`) and print their new articles
    /// on stdout: as text, or with --json as JSON Lines after the summary. The exit status
    /// stays the indexing's, or 2 when a saved search fails
    #[arg(long, conflicts_with = "dry_run")]
    pub watch: bool,
    /// With --watch: one alert per new article, copies of one story included, as `rasd
    /// watch run --no-collapse`
    #[arg(long, requires = "watch")]
    pub no_collapse: bool,
}

/// The command line's definition, where a variable such as `RASD_INDEX` set to nothing counts
/// as unset: clap would read it as its option given without a value (`RASD_INDEX= rasd stats`
/// failing with "a value is required").
pub fn command() -> clap::Command {
    without_empty_variables(<Cli as clap::CommandFactory>::command())
}

/// `command` and its subcommands, their arguments no longer read from an empty variable.
fn without_empty_variables(command: clap::Command) -> clap::Command {
    command
        .mut_args(|arg| {
            let empty = arg
                .get_env()
                .and_then(std::env::var_os)
                .is_some_and(|value| value.is_empty());
            if empty { arg.env(None::<&str>) } else { arg }
        })
        .mut_subcommands(without_empty_variables)
}

/// The command line as clap should read it: `-n10` (or `-n=10`) as `-n 10`, up to `--`.
///
/// The query may start with an exclusion (`-word`), so clap reads a token that starts with
/// `-` and holds a letter that is no short option as the query; `-n10` would be the query
/// "not n10", and the limit silently the default.
pub fn normalized(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut options = true;
    for arg in args {
        if arg == "--" {
            options = false;
        }
        match arg.to_str().and_then(|a| a.strip_prefix("-n")) {
            Some(value) if options && !value.is_empty() => {
                out.push(OsString::from("-n"));
                out.push(OsString::from(value.strip_prefix('=').unwrap_or(value)));
            }
            _ => out.push(arg),
        }
    }
    out
}

/// The error for a query that is an option misspelled (`--lmit`, `-N`): clap reads any token
/// that starts with `-` as the query when it could be an exclusion, but no query starts with
/// `--`, or with the exclusion of a lone Latin letter, unless it comes after `--` in `args`,
/// the command line clap read.
pub fn misread_option(cli: &Cli, args: &[OsString]) -> Option<clap::Error> {
    let (query, path): (&str, &[&str]) = match &cli.command {
        Command::Search(search) => (&search.query, &["search"]),
        Command::Watch(WatchArgs {
            action: WatchCommand::Add(add),
        }) => (&add.query, &["watch", "add"]),
        _ => return None,
    };
    // After `--` clap reads every token as the query: the query's own token is not before it.
    if let Some(end) = args.iter().position(|arg| arg == "--")
        && !args[..end].iter().any(|arg| arg == query)
    {
        return None;
    }
    let option = query.split_whitespace().next()?;
    // `-N 5`, a short option mistyped: excluding one Latin letter finds nothing useful.
    let short =
        option.len() == 2 && option.starts_with('-') && option.as_bytes()[1].is_ascii_alphabetic();
    (option.starts_with("--") || short).then(|| {
        use clap::CommandFactory;
        let mut command = Cli::command();
        for name in path {
            command = command
                .find_subcommand(name)
                .expect("the subcommand exists")
                .clone();
        }
        let name = format!("rasd {}", path.join(" "));
        // Quoted as any value in a message: cut, and escaped, whatever was typed.
        let option = clean::line(option, clean::VALUE_CHARS);
        command.bin_name(&name).error(
            clap::error::ErrorKind::UnknownArgument,
            format!(
                "unknown option '{option}' (`{name} --help` lists them; after `--`, \
                 everything is the query)"
            ),
        )
    })
}

/// The filters `rasd search` and `rasd watch add` share (search adds `--until`).
#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles from this source (repeat for several; any case)
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Only articles in this language: ar, fr, en, or a name such as arabic or français
    /// (repeat for several)
    #[arg(long = "lang", value_name = "CODE")]
    pub langs: Vec<String>,
    /// Only articles with this tag (repeat for several)
    #[arg(long = "tag", value_name = "NAME")]
    pub tags: Vec<String>,
}

impl FilterArgs {
    /// The search filters these flags ask for.
    pub fn filters(self) -> search::Filters {
        search::Filters {
            since: self.since,
            sources: self.sources,
            langs: self.langs,
            tags: self.tags,
            ..search::Filters::default()
        }
    }
}

/// The arguments of `rasd search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// The query: words, "quoted phrases", AND/OR/NOT, +word -word, field:value,
    /// date:[2024-01-01 TO 2024-06-30]. It may start with an exclusion (-word) that is not
    /// one of the options below; after `--`, everything is the query
    // The first word alone allows a leading `-`: on a list, clap would read every option
    // after the first word as more query.
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// More words of the query
    #[arg(value_name = "QUERY")]
    pub more_query: Vec<String>,
    /// Number of hits to show (at most 1,000,000) [default: `limit` under `[search]` in the
    /// configuration file, else 10]
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N", hide_default_value = true,
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=search::MAX_LIMIT as u64))]
    pub limit: usize,
    /// Number of hits to skip, for paging (at most 1,000,000)
    #[arg(long, default_value_t = 0, value_name = "N",
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=search::MAX_OFFSET as u64))]
    pub offset: usize,
    /// Match only the written (normalized) form of every word: no stems, no proclitic
    /// forms, no spellings in the other script. `exact:word` does the same for one word or
    /// "phrase"
    #[arg(long)]
    pub exact: bool,
    /// Only articles with every word: no articles with a word only through words of its
    /// root, no partial matches, nor articles like the first hit, when fewer articles than the
    /// page have them all
    #[arg(long)]
    pub all: bool,
    /// Show every copy of a syndicated story as its own hit, rather than the best-ranked
    /// copy with the others named under it
    #[arg(long)]
    pub no_collapse: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only articles published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; the
    /// whole year, month or day is included)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Order of the hits: relevance, date (newest first) or -date (oldest first) [default:
    /// `sort` under `[search]` in the configuration file, else relevance]
    #[arg(long, default_value = "relevance", value_name = "ORDER", allow_hyphen_values = true,
          hide_default_value = true,
          value_parser = ["relevance", "date", "-date"])]
    pub sort: String,
    /// Print only the number of articles with every word
    #[arg(long)]
    pub count: bool,
    /// Explain each hit's score: the matched terms of each field and their weights
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub aliases: AliasArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// After the hits (or alone, with --count), the number of matching articles per value
    /// of these facets, largest first: any of source, lang, year, tags, comma-separated
    #[arg(long, value_name = "LIST")]
    pub facets: Option<String>,
    /// Output format: text, json (JSON Lines, one object per hit) or csv (with a header)
    /// [default: `format` under `[search]` in the configuration file, else text]
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT",
          hide_default_value = true)]
    pub format: OutputFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Arabic in text output: on reorders each line for terminals that do not apply the
    /// bidirectional algorithm (Arabic shows mirrored); off keeps the logical order, right
    /// for terminals that do and for pipes; auto reorders only on a terminal not known to do
    /// bidi itself (see the README). JSON and CSV always keep logical order [default:
    /// RASD_BIDI, else `bidi` under `[search]` in the configuration file, else auto]
    #[arg(long, value_enum, default_value_t = BidiWhen::Auto, value_name = "WHEN",
          env = "RASD_BIDI", hide_default_value = true, hide_env = true)]
    pub bidi: BidiWhen,
    /// Wrap text output to this many columns (at least 20; 0: do not wrap). Default: the
    /// terminal's width (COLUMNS when set); not wrapped when stdout is not a terminal
    #[arg(long, value_name = "N", value_parser = parse_width)]
    pub width: Option<usize>,
}

/// Reads `--width`: 0 (no wrapping) or at least [`output::MIN_WIDTH`] columns.
fn parse_width(text: &str) -> Result<usize, String> {
    let width: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of columns"))?;
    if width != 0 && width < output::MIN_WIDTH {
        return Err(format!(
            "{width} columns leave no room for the text: use at least {} (or 0: no wrapping)",
            output::MIN_WIDTH
        ));
    }
    Ok(width)
}

/// The arguments of `rasd analyze`.
#[derive(clap::Args)]
pub struct AnalyzeArgs {
    /// The text to analyze
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
    /// Read the text as a query: show each word's terms per field and the proclitic
    /// forms found in the index
    #[arg(long)]
    pub query: bool,
    /// With --query: as `rasd search --exact`
    #[arg(long, requires = "query")]
    pub exact: bool,
    #[command(flatten)]
    pub aliases: AliasArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Print the words as JSON Lines
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `rasd watch`.
#[derive(clap::Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub action: WatchCommand,
}

/// What `rasd watch` does.
#[derive(Subcommand)]
pub enum WatchCommand {
    /// Save a search under a name. What the archive holds now is taken as seen: only what
    /// comes later is reported (unless --backfill)
    #[command(after_help = WATCH_ADD_EXAMPLES)]
    Add(WatchAddArgs),
    /// List the saved searches
    #[command(after_help = WATCH_LIST_EXAMPLES)]
    List(WatchListArgs),
    /// Show a saved search: its query, filters, last run and alerts so far
    #[command(after_help = WATCH_SHOW_EXAMPLES)]
    Show(WatchShowArgs),
    /// Remove a saved search and what it has seen
    #[command(after_help = WATCH_REMOVE_EXAMPLES)]
    Remove(WatchRemoveArgs),
    /// Print the articles each saved search (or those named) has not reported before, copies
    /// of one story as one alert, then remember them. Exit status: 0 new stories, 1 none (or
    /// only copies of stories reported before), 2 error, 3 index busy
    #[command(after_help = WATCH_RUN_EXAMPLES)]
    Run(WatchRunArgs),
}

/// The arguments of `rasd watch add`.
#[derive(clap::Args)]
pub struct WatchAddArgs {
    /// The search's name: letters (any script), digits, - and _
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The query, as `rasd search` reads it (checked against the index now)
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// More words of the query
    #[arg(value_name = "QUERY")]
    pub more_query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Report what the archive already holds at the next run, instead of taking it as seen
    #[arg(long)]
    pub backfill: bool,
    /// Wait up to this many seconds for another job holding the index (default: fail
    /// after a second, exit status 3)
    #[arg(long, default_value = "0", hide_default_value = true, value_parser = parse_wait, value_name = "SECONDS")]
    pub wait: Duration,
}

/// The arguments of `rasd watch list`.
#[derive(clap::Args)]
pub struct WatchListArgs {
    /// Output format: text, or json (JSON Lines, one object per saved search)
    #[arg(long, value_enum, default_value_t = TextOrJsonFormat::Text, value_name = "FORMAT")]
    pub format: TextOrJsonFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// The arguments of `rasd watch show`.
#[derive(clap::Args)]
pub struct WatchShowArgs {
    /// The search's name
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Output format: text, or json (one JSON object, the keys of `watch list --format json`)
    #[arg(long, value_enum, default_value_t = TextOrJsonFormat::Text, value_name = "FORMAT")]
    pub format: TextOrJsonFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// The arguments of `rasd watch remove`.
#[derive(clap::Args)]
pub struct WatchRemoveArgs {
    /// The search's name
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Wait up to this many seconds for another job holding the index (default: fail
    /// after a second, exit status 3)
    #[arg(long, default_value = "0", hide_default_value = true, value_parser = parse_wait, value_name = "SECONDS")]
    pub wait: Duration,
}

/// The arguments of `rasd watch run`.
#[derive(clap::Args)]
pub struct WatchRunArgs {
    /// Run only these saved searches (default: all)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format: text (a line per search fit for a mail's subject, then its articles as
    /// `rasd search` shows them), json (JSON Lines, one object per article, with the search's
    /// name, one per story, and one per copy of a story reported before, with `copy_of`) or
    /// csv (with a header)
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT")]
    pub format: OutputFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// One alert per new article: copies of one story are not grouped, nor copies of a story
    /// reported before named as such
    #[arg(long)]
    pub no_collapse: bool,
    /// Wait up to this many seconds for another job holding the index (default: fail
    /// after a second, exit status 3)
    #[arg(long, default_value = "0", hide_default_value = true, value_parser = parse_wait, value_name = "SECONDS")]
    pub wait: Duration,
}

/// The arguments of `rasd stats`.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// Print the statistics as one JSON object
    #[arg(long)]
    pub json: bool,
}

/// Output formats of the commands that write text or JSON Lines only (`rasd similar`, `rasd
/// watch list` and `show`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextOrJsonFormat {
    Text,
    Json,
}

/// The arguments of `rasd similar`.
#[derive(clap::Args)]
pub struct SimilarArgs {
    /// The id of the article (`rasd search --json` prints it), or the path of its file as
    /// `rasd search` prints it, when the file holds one article
    #[arg(value_name = "ID")]
    pub id: String,
    /// Number of articles to list (at most 1,000,000)
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N",
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=search::MAX_LIMIT as u64))]
    pub limit: usize,
    /// Output format: text, or json (JSON Lines, one object per article)
    #[arg(long, value_enum, default_value_t = TextOrJsonFormat::Text, value_name = "FORMAT")]
    pub format: TextOrJsonFormat,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized_str(args: &[&str]) -> Vec<String> {
        normalized(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    /// The error [`misread_option`] finds in this command line, if any.
    fn misread(args: &[&str]) -> Option<String> {
        let args = normalized(args.iter().map(OsString::from));
        let cli = Cli::try_parse_from(&args).unwrap();
        misread_option(&cli, &args).map(|e| e.to_string())
    }

    #[test]
    fn a_query_that_starts_with_two_dashes_is_an_option_unless_after_the_end_of_options() {
        let error = misread(&["rasd", "search", "--lmit", "x"]).unwrap();
        assert!(error.contains("unknown option '--lmit'"), "{error}");
        assert!(misread(&["rasd", "search", "--lmit", "--", "x"]).is_some());
        assert!(misread(&["rasd", "watch", "add", "w", "--a b"]).is_some());
        assert_eq!(
            misread(&["rasd", "search", "-n", "1", "--", "--a خلية"]),
            None
        );
        assert_eq!(misread(&["rasd", "search", "--", "--a", "b"]), None);
        assert_eq!(misread(&["rasd", "watch", "add", "w", "--", "--a"]), None);
        assert_eq!(misread(&["rasd", "search", "-داعش"]), None);
    }

    #[test]
    fn a_long_misread_option_is_quoted_cut() {
        let word = format!("{}a", "-".repeat(4900));
        let error = misread(&["rasd", "search", &word]).unwrap();
        let line = error.lines().next().unwrap();
        assert!(line.chars().count() < 200, "{line}");
        assert!(line.contains("…'"), "{line}");
    }

    #[test]
    fn attached_limits_are_split_before_the_end_of_options() {
        assert_eq!(
            normalized_str(&["rasd", "search", "-n10", "-المخدرات", "تهريب"]),
            ["rasd", "search", "-n", "10", "-المخدرات", "تهريب"]
        );
        assert_eq!(
            normalized_str(&["search", "-n=5", "x"]),
            ["search", "-n", "5", "x"]
        );
        // Left alone: a separate value, other options, and everything after `--`.
        for args in [
            &["search", "-n", "5", "x"][..],
            &["search", "--limit=5", "x"],
            &["search", "--", "-n5", "x"],
        ] {
            assert_eq!(normalized_str(args), args);
        }
    }
}
