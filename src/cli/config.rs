//! The configuration file: the user's defaults for the index folder and for the options they
//! repeat. A flag beats the environment, which beats the file, which beats rasd's defaults:
//! a value from the file applies only where clap fell back to its own default.
//!
//! ```toml
//! index = "/srv/archive/rasd-index"   # like --index
//! color = "never"                     # like --color
//!
//! [search]
//! limit = 20
//! sort = "date"                       # relevance, date, -date
//! format = "text"                     # text, json, csv
//! bidi = "off"                        # auto, on, off
//! exact = false
//! all = false
//! collapse = true                     # false: like --no-collapse
//! aliases = "/srv/archive/aliases.toml"
//! glossary = "/srv/archive/glossary.txt"
//!
//! [indexing]
//! memory = 512
//! commit_every = 5000
//! follow_links = false
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;

use rasd::schema::line_and_column;

use super::args::{BidiWhen, Cli, ColorWhen, Command, OutputFormat};

/// The file's contents. Unknown keys are errors: a misspelt option must not be ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    index: Option<PathBuf>,
    color: Option<ColorWhen>,
    #[serde(default)]
    search: SearchDefaults,
    #[serde(default)]
    indexing: IndexingDefaults,
}

/// `[search]`: defaults of `rasd search`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchDefaults {
    limit: Option<usize>,
    sort: Option<String>,
    format: Option<OutputFormat>,
    bidi: Option<BidiWhen>,
    exact: Option<bool>,
    all: Option<bool>,
    /// `false`: every syndicated copy as its own hit, as `--no-collapse`.
    collapse: Option<bool>,
    aliases: Option<PathBuf>,
    glossary: Option<PathBuf>,
}

/// `[indexing]`: defaults of `rasd index`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexingDefaults {
    memory: Option<usize>,
    commit_every: Option<usize>,
    follow_links: Option<bool>,
}

/// Where the configuration is read from, and whether it exists.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    /// The file's path.
    pub path: PathBuf,
    /// Whether it was found and read.
    pub read: bool,
}

/// The configuration file's path: `--config`, else `RASD_CONFIG` (both through clap), else
/// `config.toml` in the user's configuration folder (`~/.config/rasd/` on Linux).
fn config_path(explicit: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(path) = explicit {
        return Some((path.to_path_buf(), true));
    }
    directories::ProjectDirs::from("", "", "rasd")
        .map(|dirs| (dirs.config_dir().join("config.toml"), false))
}

/// Reads the configuration file: none when the default file does not exist; an error when
/// the named one does not, or when the file is not valid.
fn read(path: &Path, named: bool) -> Result<Option<Config>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return Ok(None),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the configuration {}", path.display()));
        }
    };
    match toml::from_str(&text) {
        Ok(config) => Ok(Some(config)),
        Err(e) => {
            let place = e
                .span()
                .map(|span| {
                    let (line, column) = line_and_column(&text, span.start);
                    format!(":{line}:{column}")
                })
                .unwrap_or_default();
            let reason = e.message().replace('\n', " ");
            bail!("configuration {}{place}: {reason}", path.display())
        }
    }
}

/// Whether clap took this argument's value from its own default (or had none): only then
/// does the file's value apply.
fn defaulted(matches: &ArgMatches, id: &str) -> bool {
    matches!(
        matches.value_source(id),
        None | Some(ValueSource::DefaultValue)
    )
}

/// Reads the configuration file and applies it to the arguments where they hold defaults;
/// which file was looked for.
pub fn apply(cli: &mut Cli, matches: &ArgMatches) -> Result<ConfigFile> {
    let Some((path, named)) = config_path(cli.config.as_deref()) else {
        return Ok(ConfigFile {
            path: PathBuf::new(),
            read: false,
        });
    };
    let Some(config) = read(&path, named)? else {
        return Ok(ConfigFile { path, read: false });
    };
    if cli.index.is_none() {
        cli.index = config.index;
    }
    if let Some(color) = config.color
        && defaulted(matches, "color")
    {
        cli.color = color;
    }
    let sub = matches.subcommand().map(|(_, m)| m);
    match (&mut cli.command, sub) {
        (Command::Search(args), Some(m)) => {
            let defaults = config.search;
            set(&mut args.limit, defaults.limit, m, "limit");
            if let Some(sort) = defaults.sort {
                if !["relevance", "date", "-date"].contains(&sort.as_str()) {
                    bail!(
                        "configuration {}: [search] sort = \"{sort}\" is not relevance, date or -date",
                        path.display()
                    );
                }
                set(&mut args.sort, Some(sort), m, "sort");
            }
            if !args.json {
                set(&mut args.format, defaults.format, m, "format");
            }
            set(&mut args.bidi, defaults.bidi, m, "bidi");
            set(&mut args.exact, defaults.exact, m, "exact");
            set(&mut args.all, defaults.all, m, "all");
            let no_collapse = defaults.collapse.map(|collapse| !collapse);
            set(&mut args.no_collapse, no_collapse, m, "no_collapse");
            args.aliases.default_file(defaults.aliases);
            args.glossary.default_file(defaults.glossary);
        }
        (Command::Index(args), Some(m)) => {
            let defaults = config.indexing;
            if let Some(memory) = defaults.memory
                && !super::args::MEMORY_MB.contains(&(memory as u64))
            {
                bail!(
                    "configuration {}: [indexing] memory = {memory} is not between {} and {} MB",
                    path.display(),
                    super::args::MEMORY_MB.start(),
                    super::args::MEMORY_MB.end()
                );
            }
            set(&mut args.memory, defaults.memory, m, "memory");
            set(
                &mut args.commit_every,
                defaults.commit_every,
                m,
                "commit_every",
            );
            set(
                &mut args.follow_links,
                defaults.follow_links,
                m,
                "follow_links",
            );
        }
        _ => {}
    }
    Ok(ConfigFile { path, read: true })
}

/// Sets an argument to the file's value when the file has one and the argument holds its
/// default.
fn set<T>(arg: &mut T, value: Option<T>, matches: &ArgMatches, id: &str) {
    if let Some(value) = value
        && defaulted(matches, id)
    {
        *arg = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        assert_eq!(line_and_column("a = 1\nبب = 2", 6), (2, 1));
        assert_eq!(line_and_column("a = 1\nبب = 2", 10), (2, 3));
        assert_eq!(line_and_column("", 5), (1, 1));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors() {
        assert!(toml::from_str::<Config>("limt = 3").is_err());
        assert!(toml::from_str::<Config>("[search]\nlimit = \"x\"").is_err());
        let config: Config = toml::from_str("[search]\nlimit = 3\nbidi = \"on\"").unwrap();
        assert_eq!(config.search.limit, Some(3));
        assert_eq!(config.search.bidi, Some(BidiWhen::On));
        let config: Config = toml::from_str("[search]\ncollapse = false").unwrap();
        assert_eq!(config.search.collapse, Some(false));
        assert!(toml::from_str::<Config>("[search]\ncollapse = \"no\"").is_err());
    }
}
