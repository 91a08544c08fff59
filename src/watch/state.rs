//! What each saved search has reported: `watch-state.json` in the index folder, written by
//! rasd alone.
//!
//! An article is known by its id and a hash of its title and body, never by tantivy's
//! document numbers, which a rebuild, a merge or a re-index change: an article deleted and
//! added again unchanged is still seen, and an article whose text changed is new again. Each
//! search keeps the last hash of every id it reported, also after the article left the
//! index: the state grows with the articles that ever matched, a few dozen bytes each.
//!
//! Each search also keeps the stories it reported: the id of the copy it showed, its title,
//! the day it was reported and its story signature (computed from the text, so a rebuild
//! gives the same one), about 250 bytes each. A later copy of one of them is named as such,
//! not reported as news.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::signature::WORDS;
use crate::error::Error;
use crate::store::layout::{Layout, WATCH_STATE};

/// What the file's `format` says.
const FORMAT: &str = "rasd-watch-state/1";

/// The state of every saved search, by name.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WatchState {
    format: String,
    /// By saved search's name. A search removed from the saved-searches file by hand keeps
    /// its entry, so that putting it back does not report again what it reported.
    pub searches: BTreeMap<String, SearchState>,
}

/// What one saved search has seen.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchState {
    /// The query and filters the search had when this was recorded
    /// ([`super::SavedSearch::definition`]): once they change, it starts again.
    pub definition: String,
    /// When it last ran (RFC 3339, UTC); `None` before its first run.
    pub last_run: Option<String>,
    /// The articles it reported, all runs together.
    pub alerts: u64,
    /// The articles it has seen: id → hash of title and body ([`content_hash`]).
    pub seen: BTreeMap<String, String>,
    /// What the query and filters searched for at the last run: the hash of the query as
    /// planned against the index (proclitic forms and aliases found in it included).
    #[serde(default)]
    pub planned: String,
    /// The index's segments at the last run, whose matches were all read then. Segments never
    /// change: while the planned query stays the same, their matches are known.
    #[serde(default)]
    pub segments: Vec<String>,
    /// The stories it reported, by the id of the copy it showed: a later copy of one is
    /// named as a copy, not reported. Kept when the query or filters change.
    #[serde(default)]
    pub reported: BTreeMap<String, ReportedStory>,
}

/// A story a saved search reported.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedStory {
    /// The title of the copy shown.
    pub title: String,
    /// The day it was reported (`YYYY-MM-DD`, UTC).
    pub reported: String,
    /// Its story signature ([`crate::analysis::signature::Signature`]).
    pub signature: [u64; WORDS],
}

/// The hash that tells one text of an article from another: xxh3 (128 bits) of its title and
/// body, in hexadecimal.
pub fn content_hash(title: &str, body: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(title.as_bytes());
    // A separator no text holds: the title "ab" and body "c" differ from "a" and "bc".
    hasher.update(&[0xff]);
    hasher.update(body.as_bytes());
    format!("{:032x}", hasher.digest128())
}

impl WatchState {
    /// Reads the state of the index folder `layout`; an empty state when there is none yet.
    pub fn load(layout: &Layout) -> Result<WatchState, Error> {
        let path = layout.file(WATCH_STATE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(WatchState::default());
            }
            Err(cause) => {
                return Err(Error::Io {
                    context: format!("cannot read {}", path.display()),
                    cause,
                });
            }
        };
        Self::parse(&path, &text)
    }

    fn parse(path: &Path, text: &str) -> Result<WatchState, Error> {
        let damaged = |line: usize, column: usize, why: String| Error::WatchFile {
            path: path.to_path_buf(),
            line,
            column,
            reason: format!(
                "{why}; move the file away to start again (each saved search then records what \
                 it matches at its next run as seen, without reporting it)"
            ),
        };
        let state: WatchState = serde_json::from_str(text)
            .map_err(|e| damaged(e.line(), e.column(), format!("cannot be read: {e}")))?;
        if state.format != FORMAT {
            return Err(damaged(
                1,
                1,
                format!("written by another version of rasd ({})", state.format),
            ));
        }
        Ok(state)
    }

    /// Writes the state whole or not at all. Only for the holder of the index's lock.
    pub fn save(&mut self, layout: &Layout) -> Result<(), Error> {
        self.format = FORMAT.to_string();
        let text = serde_json::to_string_pretty(self).expect("the state serializes");
        layout.write_whole(WATCH_STATE, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        assert!(WatchState::load(&layout).unwrap().searches.is_empty());
        let mut state = WatchState::default();
        let search = SearchState {
            definition: "query=\"x\"".into(),
            last_run: Some("2026-12-04T05:00:00Z".into()),
            alerts: 2,
            seen: BTreeMap::from([("a1".to_string(), content_hash("t", "b"))]),
            planned: "0".into(),
            segments: vec!["0123".into()],
            reported: BTreeMap::from([(
                "a1".to_string(),
                ReportedStory {
                    title: "t".into(),
                    reported: "2026-12-04".into(),
                    signature: [7; WORDS],
                },
            )]),
        };
        state.searches.insert("ports".into(), search.clone());
        state.save(&layout).unwrap();
        let read = WatchState::load(&layout).unwrap();
        assert_eq!(read.searches["ports"], search);
        assert!(!dir.path().join("watch-state.json.tmp").exists());
    }

    #[test]
    fn a_damaged_state_names_its_line() {
        let error = WatchState::parse(Path::new("s.json"), "{\n  \"format\": 3\n}")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("s.json:2:"), "{error}");
        let error = WatchState::parse(Path::new("s.json"), r#"{"format": "x", "searches": {}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("s.json:1:1: written by another version"),
            "{error}"
        );
    }

    #[test]
    fn hashes_tell_texts_apart() {
        assert_eq!(content_hash("a", "b"), content_hash("a", "b"));
        assert_ne!(content_hash("ab", "c"), content_hash("a", "bc"));
        assert_ne!(content_hash("a", "b"), content_hash("a", "b "));
    }
}
