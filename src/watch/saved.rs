//! The saved-searches file, `watches.toml` in the index folder: one `[[watch]]` table per
//! saved search. rasd appends a table to it (`rasd watch add`) and takes one out (`rasd watch
//! remove`) without touching the rest of the text, so the user's comments and edits stay.
//!
//! ```toml
//! [[watch]]
//! name = "مراقبة-الموانئ"      # letters (any script), digits, - and _; unique
//! query = "ميناء تهريب"        # as `rasd search` reads it
//! lang = ["ar"]                # like --lang, --source, --tag (lists, optional)
//! source = ["hespress"]
//! tag = ["maroc"]
//! since = "2024"               # like --since (optional)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;
use crate::schema::line_and_column;
use crate::search::Filters;

/// What a new saved-searches file starts with: how to read and edit it.
const HEADER: &str = "\
# The saved searches of `rasd watch`, one [[watch]] table each. `rasd watch add` appends
# a table and `rasd watch remove` takes one out; you may edit the file too.
#   name                 letters (any script), digits, - and _; unique
#   query                as `rasd search` reads it
#   lang, source, tag    lists, as --lang, --source and --tag (optional)
#   since                YYYY, YYYY-MM or YYYY-MM-DD, as --since (optional)
# A search whose query or filters change starts again: what it matches at its next run is
# recorded as seen, not reported.
";

/// A saved search.
#[derive(Debug, Clone)]
pub struct SavedSearch {
    /// Its name: letters, digits, `-` and `_`.
    pub name: String,
    /// The query, in rasd's query syntax.
    pub query: String,
    /// Its filters: `since`, `sources`, `langs`, `tags` (never `until` or `ids`).
    pub filters: Filters,
    /// The line and column of its query in the file, for the errors the query meets later.
    pub query_at: (usize, usize),
}

impl SavedSearch {
    /// A saved search not yet in a file.
    pub fn new(name: &str, query: &str, filters: Filters) -> SavedSearch {
        SavedSearch {
            name: name.to_string(),
            query: query.to_string(),
            filters,
            query_at: (0, 0),
        }
    }

    /// The search as a `[[watch]]` table, ending with a newline.
    fn table(&self) -> String {
        let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
        let list = |values: &[String]| {
            let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut table = format!(
            "[[watch]]\nname = {}\nquery = {}\n",
            quoted(&self.name),
            quoted(&self.query)
        );
        for (key, values) in [
            ("lang", &self.filters.langs),
            ("source", &self.filters.sources),
            ("tag", &self.filters.tags),
        ] {
            if !values.is_empty() {
                table.push_str(&format!("{key} = {}\n", list(values)));
            }
        }
        if let Some(since) = &self.filters.since {
            table.push_str(&format!("since = {}\n", quoted(since)));
        }
        table
    }

    /// What the search finds, in one string: what it has seen stays valid while this does not
    /// change.
    pub fn definition(&self) -> String {
        let f = &self.filters;
        format!(
            "query={:?} lang={:?} source={:?} tag={:?} since={:?}",
            self.query, f.langs, f.sources, f.tags, f.since
        )
    }
}

/// Why `name` cannot name a saved search, if it cannot: it is used in mail subjects, file
/// names and command lines, so only letters (of any script), digits, `-` and `_`.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a saved search needs a name".to_string());
    }
    // Quoted cut short: a name of thousands of characters would fill the screen.
    let quoted = crate::clean::line(name, crate::clean::VALUE_CHARS);
    if name.chars().count() > 64 {
        return Some(format!("the name `{quoted}` is longer than 64 characters"));
    }
    let bad = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))?;
    Some(format!(
        "the name `{quoted}` holds `{}`: use only letters, digits, - and _",
        crate::clean::shown(bad).collect::<String>()
    ))
}

/// One `[[watch]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Spanned<String>,
    query: Spanned<String>,
    #[serde(default)]
    lang: Vec<String>,
    #[serde(default)]
    source: Vec<String>,
    #[serde(default)]
    tag: Vec<String>,
    since: Option<String>,
}

/// The file as written. Unknown keys are errors: a misspelt filter must not be ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileContent {
    #[serde(default)]
    watch: Vec<Entry>,
}

/// The saved searches of an index, and the text of their file.
#[derive(Debug, Clone)]
pub struct Watches {
    /// The file.
    pub path: PathBuf,
    /// Its text (empty when it does not exist).
    text: String,
    /// The saved searches, in the file's order.
    pub searches: Vec<SavedSearch>,
}

impl Watches {
    /// Reads the file at `path`; none when it does not exist.
    pub fn load(path: &Path) -> Result<Watches, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(cause) => {
                return Err(Error::Io {
                    context: format!("cannot read {}", path.display()),
                    cause,
                });
            }
        };
        Watches::parse(path, text)
    }

    /// Reads the saved searches of `text`, the content of the file at `path`.
    pub fn parse(path: &Path, text: String) -> Result<Watches, Error> {
        let error = |offset: usize, reason: String| {
            let (line, column) = line_and_column(&text, offset);
            Error::WatchFile {
                path: path.to_path_buf(),
                line,
                column,
                reason,
            }
        };
        let content: FileContent = toml::from_str(&text).map_err(|e| {
            let reason = e.message().trim().replace('\n', " ");
            error(e.span().map_or(0, |s| s.start), reason)
        })?;
        let mut searches: Vec<SavedSearch> = Vec::with_capacity(content.watch.len());
        for entry in content.watch {
            let name = entry.name.get_ref();
            let at = entry.name.span().start;
            if let Some(problem) = name_problem(name) {
                return Err(error(at, problem));
            }
            if searches.iter().any(|s| s.name == *name) {
                return Err(error(
                    at,
                    format!("a saved search named `{name}` comes earlier"),
                ));
            }
            if entry.query.get_ref().trim().is_empty() {
                let at = entry.query.span().start;
                return Err(error(
                    at,
                    format!("the saved search `{name}` has an empty query"),
                ));
            }
            searches.push(SavedSearch {
                name: name.clone(),
                query: entry.query.get_ref().clone(),
                filters: Filters {
                    since: entry.since,
                    sources: entry.source,
                    langs: entry.lang,
                    tags: entry.tag,
                    ..Filters::default()
                },
                query_at: line_and_column(&text, entry.query.span().start),
            });
        }
        Ok(Watches {
            path: path.to_path_buf(),
            text,
            searches,
        })
    }

    /// The saved search named `name`.
    pub fn get(&self, name: &str) -> Result<&SavedSearch, Error> {
        self.searches
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::UnknownWatch(name.to_string()))
    }

    /// The file's text with `search` appended (after the header, for a new file).
    pub fn text_with(&self, search: &SavedSearch) -> String {
        let mut text = if self.text.trim().is_empty() {
            HEADER.to_string()
        } else {
            self.text.clone()
        };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&search.table());
        text
    }

    /// The file's text without the table of the saved search `name`, and the comment lines
    /// right above it; the rest as it is.
    pub fn text_without(&self, name: &str) -> Result<String, Error> {
        self.get(name)?;
        let unknown = || Error::UnknownWatch(name.to_string());
        let mut document: toml_edit::DocumentMut = self.text.parse().map_err(|_| unknown())?;
        let tables = document
            .get_mut("watch")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
            .ok_or_else(unknown)?;
        let at = tables
            .iter()
            .position(|t| t.get("name").and_then(toml_edit::Item::as_str) == Some(name))
            .ok_or_else(unknown)?;
        // The comments right above a table are its own, and go with it; those a blank line
        // sets apart (the file's header) stay.
        let prefix = tables
            .get(at)
            .and_then(|t| t.decor().prefix())
            .and_then(toml_edit::RawString::as_str)
            .unwrap_or_default();
        let kept = up_to_last_blank_line(prefix).to_string();
        tables.remove(at);
        if !kept.is_empty() {
            match tables.get_mut(at) {
                Some(next) => {
                    let own = next.decor().prefix().and_then(toml_edit::RawString::as_str);
                    let prefix = format!("{kept}{}", own.unwrap_or_default());
                    next.decor_mut().set_prefix(prefix);
                }
                None => {
                    let trailing = document.trailing().as_str().unwrap_or_default();
                    let trailing = format!("{kept}{trailing}");
                    document.set_trailing(trailing);
                }
            }
        }
        Ok(document.to_string())
    }
}

/// `text` up to the end of its last blank line; empty without one.
fn up_to_last_blank_line(text: &str) -> &str {
    let mut end = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        if line.ends_with('\n') && line.trim().is_empty() {
            end = at;
        }
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<Watches, Error> {
        Watches::parse(Path::new("watches.toml"), text.to_string())
    }

    fn error_text(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_file_reads_in_order_with_its_filters() {
        let watches = parse(
            "[[watch]]\nname = \"مراقبة-الموانئ\"\nquery = \"ميناء تهريب\"\nlang = [\"ar\"]\n\
             since = \"2024\"\n\n[[watch]]\nname = \"ports_2\"\nquery = \"port\"\n",
        )
        .unwrap();
        let names: Vec<&str> = watches.searches.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["مراقبة-الموانئ", "ports_2"]);
        let first = &watches.searches[0];
        assert_eq!(first.filters.langs, ["ar"]);
        assert_eq!(first.filters.since.as_deref(), Some("2024"));
        assert_eq!(first.query_at, (3, 9));
        assert!(parse("").unwrap().searches.is_empty());
    }

    #[test]
    fn errors_name_the_line_and_column() {
        assert_eq!(
            error_text("[[watch]]\nname = \"a\"\nquery = \"x\"\nlangs = [\"ar\"]\n"),
            "watches.toml:4:1: unknown field `langs`, expected one of `name`, `query`, `lang`, \
             `source`, `tag`, `since`"
        );
        assert_eq!(
            error_text("[[watch]]\nname = \"a b\"\nquery = \"x\"\n"),
            "watches.toml:2:8: the name `a b` holds ` `: use only letters, digits, - and _"
        );
        assert_eq!(
            error_text(
                "[[watch]]\nname = \"a\"\nquery = \"x\"\n[[watch]]\nname = \"a\"\nquery = \"y\"\n"
            ),
            "watches.toml:5:8: a saved search named `a` comes earlier"
        );
        assert_eq!(
            error_text("[[watch]]\nname = \"a\"\nquery = \" \"\n"),
            "watches.toml:3:9: the saved search `a` has an empty query"
        );
        assert!(error_text("[[watch]]\nname = \"a\"\n").starts_with("watches.toml:1:1: missing"));
        assert!(error_text("[[watch]\n").starts_with("watches.toml:1:"));
        assert_eq!(
            name_problem("a'b").as_deref(),
            Some("the name `a'b` holds `'`: use only letters, digits, - and _")
        );
        assert!(
            name_problem("a\u{202e}b")
                .unwrap()
                .contains("holds `\\u{202e}`")
        );
    }

    #[test]
    fn names_are_letters_of_any_script_digits_and_dashes() {
        for good in ["ports", "مراقبة-الموانئ", "ports_2024", "Interpol-FR"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in ["", "a b", "a/b", "a.b", "-\u{202e}x", &"x".repeat(65)] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn adding_then_removing_keeps_the_rest_of_the_text() {
        let path = Path::new("watches.toml");
        let empty = Watches::parse(path, String::new()).unwrap();
        let mut filters = Filters {
            langs: vec!["ar".into()],
            ..Filters::default()
        };
        let first = SavedSearch::new("موانئ", "ميناء \"تهريب المخدرات\"", filters.clone());
        let text = empty.text_with(&first);
        assert!(text.starts_with(HEADER));
        let one = Watches::parse(path, text).unwrap();
        assert_eq!(one.searches[0].query, first.query);
        assert_eq!(one.searches[0].filters.langs, ["ar"]);

        filters.since = Some("2024-03".into());
        let second = SavedSearch::new("b", "x", filters);
        let mut text = one.text_with(&second);
        text.push_str("# my own note\n");
        let two = Watches::parse(path, text.clone()).unwrap();
        assert_eq!(two.searches.len(), 2);
        assert_eq!(two.searches[1].filters.since.as_deref(), Some("2024-03"));

        let without_first = Watches::parse(path, two.text_without("موانئ").unwrap()).unwrap();
        let names: Vec<&str> = without_first.searches.iter().map(|s| &*s.name).collect();
        assert_eq!(names, ["b"]);
        assert!(without_first.text.starts_with(HEADER));
        assert!(without_first.text.ends_with("# my own note\n"));
        assert!(matches!(
            two.text_without("c"),
            Err(Error::UnknownWatch(name)) if name == "c"
        ));
    }

    #[test]
    fn a_table_written_any_way_toml_allows_is_removed() {
        let text = "# header\n\n# about spaced\n[[ watch ]]\nname = \"spaced\"\nquery = \"تهريب\"\n\n\
                    [[watch]]\nname = \"multi\"\nquery = \"\"\"خلية\n[تهريب]\"\"\"\n\n\
                    [[watch]] # the last\nname = \"last\"\nquery = \"x\"\n";
        let watches = parse(text).unwrap();
        let without = watches.text_without("spaced").unwrap();
        assert!(without.starts_with("# header\n\n"), "{without}");
        assert!(
            !without.contains("about spaced") && !without.contains("spaced\""),
            "{without}"
        );
        let without = parse(&without).unwrap().text_without("multi").unwrap();
        let left = parse(&without).unwrap();
        let names: Vec<&str> = left.searches.iter().map(|s| &*s.name).collect();
        assert_eq!(names, ["last"]);
        assert!(without.contains("]] # the last\n"), "{without}");
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(text in "(\\PC|\n|\\[\\[watch\\]\\]\n|name = |query = |\")*") {
            if let Ok(watches) = parse(&text) {
                for search in &watches.searches {
                    prop_assert!(name_problem(&search.name).is_none());
                    let _ = watches.text_without(&search.name);
                }
            }
        }
    }
}
