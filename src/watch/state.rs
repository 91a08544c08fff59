//! What each saved search has reported: `watch-state.json` in the index folder, written by
//! rasd alone.
//!
//! An article is known by its id and a hash of its title and body, never by tantivy's
//! document numbers, which a rebuild, a merge or a re-index change: an article deleted and
//! added again unchanged is still seen, and an article whose text changed is new again. Each
//! search keeps the last hash of every id it reported, also after the article left the
//! index: the state grows with the articles that ever matched, 32 bytes each (a 64-bit hash
//! of the id and one of the text, in hexadecimal: ids in full made the state of 50 searches
//! on 200,000 articles a 200 MB file, read and written whole at every run).
//!
//! Each search also keeps the stories it reported: the id of the copy it showed, its title,
//! the day it was reported and its story signature (computed from the text, so a rebuild
//! gives the same one), about 250 bytes each. A later copy of one of them is named as such,
//! not reported as news.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xxhash_rust::xxh3::xxh3_64;

use crate::analysis::signature::WORDS;
use crate::error::Error;
use crate::store::layout::{Layout, WATCH_STATE};

/// What the file's `format` says.
const FORMAT: &str = "rasd-watch-state/2";
/// The format before [`Seen`] was packed: read, and written again as [`FORMAT`].
const FORMAT_1: &str = "rasd-watch-state/1";

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
    /// The articles it has seen, each with the text it had.
    pub seen: Seen,
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

/// The articles a saved search has seen, each with the last text it matched with: pairs of
/// 64-bit hashes, of the id and of its [`content_hash`], sorted by the first. Two ids of one
/// hash (one chance in 10^8 among 200,000 articles) share a pair: the second then only makes
/// the first reported again when it comes back, never hidden.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seen(Vec<(u64, u64)>);

fn id_key(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

fn text_key(content_hash: &str) -> u64 {
    xxh3_64(content_hash.as_bytes())
}

impl Seen {
    /// How many articles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the article `id` was seen with the text whose [`content_hash`] is `hash`.
    pub fn has(&self, id: &str, hash: &str) -> bool {
        let key = id_key(id);
        self.0
            .binary_search_by_key(&key, |(id, _)| *id)
            .is_ok_and(|i| self.0[i].1 == text_key(hash))
    }

    /// Records articles (id, [`content_hash`]) as seen: a new text of an article seen
    /// before replaces its old one.
    pub fn record(&mut self, articles: impl IntoIterator<Item = (String, String)>) {
        let mut new: Vec<(u64, u64)> = articles
            .into_iter()
            .map(|(id, hash)| (id_key(&id), text_key(&hash)))
            .collect();
        if new.is_empty() {
            return;
        }
        // Sorted by id, the last of one id kept.
        new.reverse();
        new.sort_by_key(|(id, _)| *id);
        new.dedup_by_key(|(id, _)| *id);
        let old = std::mem::take(&mut self.0);
        self.0.reserve(old.len() + new.len());
        let (mut old, mut new) = (old.into_iter().peekable(), new.into_iter().peekable());
        loop {
            let next = match (old.peek(), new.peek()) {
                (Some(o), Some(n)) if o.0 < n.0 => old.next(),
                (Some(o), Some(n)) if o.0 == n.0 => {
                    old.next();
                    new.next()
                }
                (_, Some(_)) => new.next(),
                (Some(_), None) => old.next(),
                (None, None) => break,
            };
            self.0.extend(next);
        }
    }
}

impl FromIterator<(String, String)> for Seen {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(articles: I) -> Seen {
        let mut seen = Seen::default();
        seen.record(articles);
        seen
    }
}

/// Written as one string of 32 hexadecimal digits per article.
impl Serialize for Seen {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Digit by digit: formatting two million numbers took a tenth of a run.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = Vec::with_capacity(self.0.len() * 32);
        for (id, text_hash) in &self.0 {
            for number in [id, text_hash] {
                text.extend(
                    (0..16)
                        .rev()
                        .map(|i| DIGITS[(number >> (i * 4) & 0xF) as usize]),
                );
            }
        }
        serializer.serialize_str(std::str::from_utf8(&text).expect("hexadecimal digits"))
    }
}

/// Read from [`FORMAT`]'s string, or from [`FORMAT_1`]'s map of id → [`content_hash`].
impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Seen, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Packed(String),
            Map(BTreeMap<String, String>),
        }
        let packed = match Written::deserialize(deserializer)? {
            Written::Map(map) => return Ok(map.into_iter().collect()),
            Written::Packed(packed) => packed,
        };
        let damaged = || serde::de::Error::custom("the articles seen are damaged");
        if packed.len() % 32 != 0 {
            return Err(damaged());
        }
        let number = |hex: &[u8]| {
            hex.iter().try_fold(0u64, |n, digit| {
                let value = (*digit as char).to_digit(16).ok_or_else(damaged)?;
                Ok(n << 4 | u64::from(value))
            })
        };
        let mut pairs = Vec::with_capacity(packed.len() / 32);
        for pair in packed.as_bytes().chunks(32) {
            pairs.push((number(&pair[..16])?, number(&pair[16..])?));
        }
        if !pairs.is_sorted_by(|a, b| a.0 < b.0) {
            return Err(damaged());
        }
        Ok(Seen(pairs))
    }
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
        if state.format != FORMAT && state.format != FORMAT_1 {
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
            seen: [("a1".to_string(), content_hash("t", "b"))]
                .into_iter()
                .collect(),
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
    fn articles_seen_keep_their_last_text_and_read_back() {
        let pair = |id: &str, text: &str| (id.to_string(), content_hash(text, ""));
        let mut seen: Seen = [pair("b", "1"), pair("a", "1"), pair("b", "2")]
            .into_iter()
            .collect();
        assert_eq!(seen.len(), 2);
        assert!(seen.has("a", &content_hash("1", "")));
        assert!(
            seen.has("b", &content_hash("2", "")),
            "the last text counts"
        );
        assert!(!seen.has("b", &content_hash("1", "")));
        assert!(!seen.has("c", &content_hash("1", "")));
        seen.record([pair("c", "1"), pair("a", "3")]);
        assert_eq!(seen.len(), 3);
        assert!(seen.has("a", &content_hash("3", "")));
        assert!(seen.has("c", &content_hash("1", "")));

        let json = serde_json::to_string(&seen).unwrap();
        assert_eq!(json.len(), 2 + 3 * 32);
        assert_eq!(serde_json::from_str::<Seen>(&json).unwrap(), seen);
        for damaged in ["\"0123\"", "\"zz\"", "[1]"] {
            assert!(serde_json::from_str::<Seen>(damaged).is_err(), "{damaged}");
        }
        // Unsorted pairs are damage too: lookups would miss them.
        let (first, second) = json[1..json.len() - 1].split_at(32);
        let swapped = format!("\"{second}{first}\"");
        assert!(serde_json::from_str::<Seen>(&swapped).is_err());
    }

    #[test]
    fn a_state_of_the_first_format_is_read() {
        let hash = content_hash("t", "b");
        let text = format!(
            r#"{{"format": "rasd-watch-state/1", "searches": {{"s": {{"definition": "d",
            "last_run": null, "alerts": 1, "seen": {{"a1": "{hash}"}}}}}}}}"#
        );
        let state = WatchState::parse(Path::new("s.json"), &text).unwrap();
        let seen = &state.searches["s"].seen;
        assert!(seen.len() == 1 && seen.has("a1", &hash));
    }

    #[test]
    fn hashes_tell_texts_apart() {
        assert_eq!(content_hash("a", "b"), content_hash("a", "b"));
        assert_ne!(content_hash("ab", "c"), content_hash("a", "bc"));
        assert_ne!(content_hash("a", "b"), content_hash("a", "b "));
    }
}
