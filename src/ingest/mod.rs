//! From files to articles: discover the files under the roots, decode them, parse them.
//!
//! Nothing here touches the index. Every problem becomes a [`Problem`] naming the file and line;
//! one bad file or line never stops the others.

pub mod date;
pub mod decode;
pub mod formats;
pub mod lang;

use std::fmt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use walkdir::WalkDir;

use formats::{Format, Record};

/// One news article, ready to index.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Unique key: the `id` from the metadata, else the file's path relative to its root
    /// (plus `#LINE` for a JSON Lines record, `#ITEM` for an item of a JSON array).
    pub id: String,
    /// Absolute path of the file the article came from.
    pub path: String,
    pub title: String,
    pub body: String,
    /// Publication instant, in UTC.
    pub date: Option<OffsetDateTime>,
    pub source: Option<String>,
    /// Short language code (`ar`, `fr`, `en`…), from the metadata or detected.
    pub lang: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input was used, with a caveat (e.g. an invalid date was left out).
    Warning,
    /// The input (a file, a line, an item) was not indexed.
    Failed,
}

/// A problem with one input, for a one-line report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub severity: Severity,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the root it was found under, with `/` separators: the default id.
    pub relative: String,
    pub format: Format,
}

/// What discovery found under the roots.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourceFile>,
    /// Files with extensions rasd does not read.
    pub skipped: usize,
    /// Folders or entries that could not be read.
    pub problems: Vec<Problem>,
}

/// Options for [`discover`].
#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Follow symbolic links (walkdir detects loops).
    pub follow_links: bool,
    /// A folder never to enter: the index itself, when it lives inside an archive.
    pub exclude: Option<PathBuf>,
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Walks the roots (files or folders) and lists the files to read, skipping hidden folders and
/// the excluded folder. The roots must exist.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Discovery {
    let exclude = options.exclude.as_ref().and_then(|p| p.canonicalize().ok());
    let mut found = Discovery::default();
    for root in roots {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
        let walker = WalkDir::new(&root)
            .follow_links(options.follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_dir();
                let hidden = entry.depth() > 0 && is_dir && is_hidden(entry.file_name());
                let excluded = is_dir
                    && exclude
                        .as_ref()
                        .is_some_and(|ex| entry.path().canonicalize().ok().as_ref() == Some(ex));
                !hidden && !excluded
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map(display).unwrap_or_else(|| display(&root));
                    let reason = match e.loop_ancestor() {
                        Some(ancestor) => {
                            format!("symbolic link loop back to {}", ancestor.display())
                        }
                        None => e
                            .io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string()),
                    };
                    found.problems.push(Problem {
                        path,
                        line: None,
                        severity: Severity::Failed,
                        reason,
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let format = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Format::from_extension);
            let Some(format) = format else {
                found.skipped += 1;
                continue;
            };
            let relative = match entry.path().strip_prefix(&root) {
                Ok(rel) if !rel.as_os_str().is_empty() => rel,
                _ => Path::new(entry.file_name()),
            };
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            found.files.push(SourceFile {
                path: entry.into_path(),
                relative,
                format,
            });
        }
    }
    found
}

/// Articles read from one file, and its problems.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
}

impl SourceFile {
    fn problem(
        &self,
        line: Option<usize>,
        severity: Severity,
        reason: impl Into<String>,
    ) -> Problem {
        Problem {
            path: display(&self.path),
            line,
            severity,
            reason: reason.into(),
        }
    }

    /// Reads, decodes and parses the file.
    pub fn read(&self) -> FileOutcome {
        let mut outcome = FileOutcome::default();
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                outcome.problems.push(self.problem(
                    None,
                    Severity::Failed,
                    format!("cannot read: {e}"),
                ));
                return outcome;
            }
        };
        let decoded = match decode::decode(&bytes, None) {
            Ok(decoded) => decoded,
            Err(e) => {
                outcome
                    .problems
                    .push(self.problem(None, Severity::Failed, e.to_string()));
                return outcome;
            }
        };
        if decoded.had_errors {
            let encoding = decoded.legacy_encoding.unwrap_or("UTF-8");
            outcome.problems.push(self.problem(
                None,
                Severity::Warning,
                format!("some bytes are not valid {encoding} and were replaced"),
            ));
        }
        let parsed = self.format.parse(&decoded.text);
        for error in parsed.errors {
            outcome
                .problems
                .push(self.problem(error.line, Severity::Failed, error.reason));
        }
        for record in parsed.records {
            if let Some(article) = self.article(record, &mut outcome.problems) {
                outcome.articles.push(article);
            }
        }
        // Parse errors were collected first: report everything in file order.
        outcome.problems.sort_by_key(|p| p.line);
        outcome
    }

    /// Settles a record into an article: id, date, language.
    fn article(&self, record: Record, problems: &mut Vec<Problem>) -> Option<Article> {
        let (title, body) = (
            record.title.unwrap_or_default(),
            record.body.unwrap_or_default(),
        );
        if title.is_empty() && body.is_empty() {
            problems.push(self.problem(
                record.line,
                Severity::Failed,
                "article has neither a title nor a body",
            ));
            return None;
        }
        let id = record
            .id
            .unwrap_or_else(|| match (record.line, record.item) {
                (Some(line), _) if self.format == Format::JsonLines => {
                    format!("{}#{line}", self.relative)
                }
                (_, Some(item)) => format!("{}#{item}", self.relative),
                _ => self.relative.clone(),
            });
        let date = record.date.and_then(|text| {
            let parsed = date::parse_date(&text);
            if parsed.is_none() {
                problems.push(self.problem(
                    record.line,
                    Severity::Warning,
                    format!("invalid date `{text}` (expected YYYY-MM-DD or RFC 3339); indexed without a date"),
                ));
            }
            parsed
        });
        let lang = record
            .lang
            .as_deref()
            .and_then(lang::normalize_lang)
            .or_else(|| lang::detect_lang(&format!("{title}\n{body}")));
        Some(Article {
            id,
            path: display(&self.path),
            title,
            body,
            date,
            source: record.source,
            lang,
            url: record.url,
            tags: record.tags,
            author: record.author,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, content: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    #[test]
    fn discovery_skips_hidden_folders_other_extensions_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a/one.txt", "x");
        write(dir.path(), "a/two.MD", "x");
        write(dir.path(), "b/three.jsonl", "x");
        write(dir.path(), "b/image.png", "x");
        write(dir.path(), ".git/four.txt", "x");
        write(dir.path(), "idx/meta.json", "{}");
        let options = DiscoverOptions {
            follow_links: false,
            exclude: Some(dir.path().join("idx")),
        };
        let found = discover(&[dir.path().to_path_buf()], &options);
        let relative: Vec<&str> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["a/one.txt", "a/two.MD", "b/three.jsonl"]);
        assert_eq!(found.skipped, 1);
        assert!(found.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_only_on_request_and_loops_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "linked.txt", "x");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let roots = [dir.path().to_path_buf()];
        let plain = discover(&roots, &DiscoverOptions::default());
        assert!(plain.files.is_empty() && plain.problems.is_empty());
        let followed = discover(
            &roots,
            &DiscoverOptions {
                follow_links: true,
                exclude: None,
            },
        );
        let relative: Vec<&str> = followed.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, vec!["link/linked.txt"]);
        assert!(
            followed
                .problems
                .iter()
                .any(|p| p.reason.contains("symbolic link loop")),
            "{:?}",
            followed.problems
        );
    }

    #[test]
    fn a_file_root_is_its_own_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "one.txt", "x");
        let found = discover(&[dir.path().join("one.txt")], &DiscoverOptions::default());
        assert_eq!(found.files[0].relative, "one.txt");
    }

    #[test]
    fn ids_dates_and_languages_are_settled() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "feed.jsonl",
            "{\"title\":\"تفكيك خلية\",\"body\":\"نص\",\"date\":\"٢٠٢٤-٠٣-١٢\"}\n{\"id\":\"x\",\"title\":\"Raid\",\"body\":\"The police said\",\"date\":\"soon\"}\n{}\n",
        );
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let outcome = found.files[0].read();
        let a = &outcome.articles;
        assert_eq!(a[0].id, "feed.jsonl#1");
        assert_eq!(a[0].date.unwrap().date().to_string(), "2024-03-12");
        assert_eq!(a[0].lang.as_deref(), Some("ar"));
        assert_eq!(a[1].id, "x");
        assert_eq!(a[1].date, None);
        assert_eq!(a[1].lang.as_deref(), Some("en"));
        let lines: Vec<_> = outcome
            .problems
            .iter()
            .map(|p| (p.line, p.severity))
            .collect();
        assert_eq!(
            lines,
            vec![(Some(2), Severity::Warning), (Some(3), Severity::Failed)]
        );
        assert!(
            outcome.problems[0]
                .to_string()
                .contains("feed.jsonl:2: invalid date `soon`")
        );
    }

    #[test]
    fn binary_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), b"ab\x00cd").unwrap();
        let found = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default());
        let outcome = found.files[0].read();
        assert!(outcome.articles.is_empty());
        assert!(outcome.problems[0].reason.contains("binary"));
    }
}
