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
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use rasd::schema::line_and_column;

use super::args::{BidiWhen, Cli, ColorWhen, Command, MEMORY_MB, OutputFormat};

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
    #[serde(default, deserialize_with = "limit")]
    limit: Option<usize>,
    #[serde(default, deserialize_with = "sort")]
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
    #[serde(default, deserialize_with = "memory")]
    memory: Option<usize>,
    #[serde(default, deserialize_with = "commit_every")]
    commit_every: Option<usize>,
    follow_links: Option<bool>,
}

// Values checked while the file is read, so that the error names their line as TOML's own do.

/// `[search] sort`: one of the orders `--sort` takes.
fn sort<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let sort = String::deserialize(deserializer)?;
    if !["relevance", "date", "-date"].contains(&sort.as_str()) {
        return Err(D::Error::custom(format!(
            "[search] sort = \"{sort}\" is not relevance, date or -date"
        )));
    }
    Ok(Some(sort))
}

/// `[search] limit`: at most as many hits as a search returns.
fn limit<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let limit = u64::deserialize(deserializer)
        .map_err(|_| D::Error::custom("[search] limit is not a whole number of hits"))?;
    if limit > rasd::search::MAX_LIMIT as u64 {
        return Err(D::Error::custom(format!(
            "[search] limit = {limit} is more than the {} hits a search returns",
            rasd::search::MAX_LIMIT
        )));
    }
    Ok(Some(limit as usize))
}

/// `[indexing] commit_every`: a number of articles.
fn commit_every<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let files = usize::deserialize(deserializer).map_err(|_| {
        D::Error::custom("[indexing] commit_every is not a whole number of articles")
    })?;
    Ok(Some(files))
}

/// `[indexing] memory`: megabytes in the range `--memory` takes.
fn memory<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let memory = usize::deserialize(deserializer)
        .map_err(|_| D::Error::custom("[indexing] memory is not a whole number of megabytes"))?;
    if !MEMORY_MB.contains(&(memory as u64)) {
        return Err(D::Error::custom(format!(
            "[indexing] memory = {memory} is not between {} and {} MB",
            MEMORY_MB.start(),
            MEMORY_MB.end()
        )));
    }
    Ok(Some(memory))
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
            set(&mut args.sort, defaults.sort, m, "sort");
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
    fn numbers_out_of_range_or_of_the_wrong_type_are_said_in_rasds_words() {
        let message = |text: &str| {
            toml::from_str::<Config>(text)
                .unwrap_err()
                .message()
                .to_string()
        };
        assert_eq!(
            message("[search]\nlimit = 2000000"),
            "[search] limit = 2000000 is more than the 1000000 hits a search returns"
        );
        assert_eq!(
            message("[search]\nlimit = \"ten\""),
            "[search] limit is not a whole number of hits"
        );
        assert!(message("[indexing]\nmemory = -1").contains("not a whole number of megabytes"));
        assert!(
            message("[indexing]\ncommit_every = 1.5").contains("not a whole number of articles")
        );
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

    #[test]
    fn wrong_values_name_their_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        for (text, place, reason) in [
            (
                "[indexing]\nmemory = 10\n",
                "2:10",
                "[indexing] memory = 10 is not between 64 and 4000 MB",
            ),
            (
                "[search]\nlimit = 3\nsort = \"x\"\n",
                "3:8",
                "[search] sort = \"x\" is not relevance, date or -date",
            ),
        ] {
            let path = dir.path().join("c.toml");
            std::fs::write(&path, text).unwrap();
            let error = read(&path, true).unwrap_err().to_string();
            let expected = format!("configuration {}:{place}: {reason}", path.display());
            assert_eq!(error, expected);
        }
        let config: Config = toml::from_str("[indexing]\nmemory = 64").unwrap();
        assert_eq!(config.indexing.memory, Some(64));
        let config: Config = toml::from_str("[search]\nsort = \"-date\"").unwrap();
        assert_eq!(config.search.sort.as_deref(), Some("-date"));
    }
}
