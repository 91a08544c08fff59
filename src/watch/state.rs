//! What each saved search has seen and reported, in the index folder, written by rasd alone.
//!
//! An article is known by its id and a hash of its title and body, never by tantivy's
//! document numbers, which a rebuild, a merge or a re-index change: an article deleted and
//! added again unchanged is still seen, and an article whose text changed is new again. Each
//! search keeps the last hash of every id it saw, also after the article left the index, as
//! a pair of 64-bit hashes (of the id and of the text): 16 bytes an article.
//!
//! Each search also keeps the stories it reported: the id of the copy it showed, its title,
//! the day it was reported and its story signature (computed from the text, so a rebuild
//! gives the same one). A later copy of one of them is named as such, not reported as news.
//!
//! Three files: `watch-state.json`, small and readable, says when each search ran, what it
//! searched (the planned query's hash, the segments read) and how many alerts it gave; it is
//! written whole at each run. What the searches saw and reported, which grows with every
//! article that ever matched them (on 50 searches of 200,000 articles, 2.3 million pairs),
//! is in the binary files of [`super::journal`]: a snapshot written whole now and then, and a
//! journal each run appends only what it found new to. The JSON is written last: a run
//! killed before it searches the same segments again, and finds what it appended already
//! seen.
//!
//! The state of the previous formats (`rasd-watch-state/1` and `/2`, everything in the JSON
//! file) is read, and written in this format by the first run, `watch add` or `watch
//! remove` that saves: until then it stays as it was.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::journal::{self, Change, Damage, Recorded, Story};
use crate::analysis::signature::WORDS;
use crate::error::Error;
use crate::store::layout::{Layout, WATCH_JOURNAL, WATCH_SEEN, WATCH_STATE};

/// What the file's `format` says.
const FORMAT: &str = "rasd-watch-state/3";
/// The formats before the articles seen moved to [`super::journal`]'s files: read, and
/// written again as [`FORMAT`].
const FORMAT_2: &str = "rasd-watch-state/2";
const FORMAT_1: &str = "rasd-watch-state/1";

/// The journal is folded into a new snapshot once it is larger than this, or than half the
/// snapshot: a run then reads at most half again what the snapshot holds, and the snapshot
/// is written whole once in several runs.
const JOURNAL_LIMIT: u64 = 8 << 20;

/// The state of every saved search, by name.
#[derive(Debug, Default)]
pub struct WatchState {
    /// By saved search's name. A search removed from the saved-searches file by hand keeps
    /// its entry, so that putting it back does not report again what it reported.
    pub searches: BTreeMap<String, SearchState>,
    /// What changed since the state was read: appended to the journal by [`WatchState::save`].
    changes: Vec<Change>,
    /// The binary files as read; `None` when the next save writes them whole (there were
    /// none, they were of an earlier format, or the journal did not continue the snapshot).
    files: Option<Files>,
}

/// The binary files of a state, as read.
#[derive(Debug, Clone, Copy)]
struct Files {
    /// The snapshot's size.
    snapshot: u64,
    /// The journal's bytes that hold whole records.
    journal: u64,
}

/// What one saved search has seen.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
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
    pub planned: String,
    /// The index's segments at the last run, whose matches were all read then. Segments never
    /// change: while the planned query stays the same, their matches are known.
    pub segments: Vec<String>,
    /// The stories it reported, by the id of the copy it showed: a later copy of one is
    /// named as a copy, not reported. Kept when the query or filters change.
    pub reported: BTreeMap<String, ReportedStory>,
}

/// A story a saved search reported.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportedStory {
    /// The title of the copy shown.
    pub title: String,
    /// The day it was reported (`YYYY-MM-DD`, UTC).
    pub reported: String,
    /// Its story signature ([`crate::analysis::signature::Signature`]).
    pub signature: [u64; WORDS],
}

/// What `watch-state.json` says of a search in [`FORMAT`].
#[derive(Serialize, Deserialize)]
struct Ran {
    definition: String,
    last_run: Option<String>,
    alerts: u64,
    planned: String,
    segments: Vec<String>,
}

/// What `watch-state.json` said of a search in [`FORMAT_1`] and [`FORMAT_2`].
#[derive(Deserialize)]
struct Legacy {
    definition: String,
    last_run: Option<String>,
    alerts: u64,
    seen: Seen,
    #[serde(default)]
    planned: String,
    #[serde(default)]
    segments: Vec<String>,
    #[serde(default)]
    reported: BTreeMap<String, ReportedStory>,
}

#[derive(Serialize, Deserialize)]
struct StateFile<S> {
    format: String,
    searches: BTreeMap<String, S>,
}

/// The articles a saved search has seen, each with the last text it matched with: pairs of
/// 64-bit hashes, of the id and of its [`content_hash`], sorted by the first. Two ids of one
/// hash (one chance in 10^8 among 200,000 articles) share a pair: the second then only makes
/// the first reported again when it comes back, never hidden.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seen(Vec<(u64, u64)>);

/// The pair of keys of an article: of its id and of its [`content_hash`].
pub fn keys(id: &str, content_hash: &str) -> (u64, u64) {
    (xxh3_64(id.as_bytes()), xxh3_64(content_hash.as_bytes()))
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
        let (id, text) = keys(id, hash);
        self.0
            .binary_search_by_key(&id, |(id, _)| *id)
            .is_ok_and(|i| self.0[i].1 == text)
    }

    /// The keys of every text seen, whatever its article's id.
    pub fn texts(&self) -> std::collections::HashSet<u64> {
        self.0.iter().map(|(_, text)| *text).collect()
    }

    /// Records articles by their [`keys`]: a new text of an article seen before replaces
    /// its old one, and of one id given twice the last counts.
    pub fn record(&mut self, mut new: Vec<(u64, u64)>) {
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
        seen.record(
            articles
                .into_iter()
                .map(|(id, hash)| keys(&id, &hash))
                .collect(),
        );
        seen
    }
}

/// Read from [`FORMAT_2`]'s string of 32 hexadecimal digits per article, or from
/// [`FORMAT_1`]'s map of id → [`content_hash`].
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

/// What to tell the user to do with a state rasd cannot read.
const START_AGAIN: &str = "move watch-state.json, watch-seen.bin and watch-journal.bin away to \
     start again (each saved search then records what it matches at its next run as seen, \
     without reporting it)";

/// The error of a binary file's damage.
fn damaged_file(path: &Path, damage: Damage) -> Error {
    Error::WatchLog {
        path: path.to_path_buf(),
        offset: damage.offset,
        reason: format!("{}; {START_AGAIN}", damage.reason),
    }
}

fn read_error(path: &Path, cause: std::io::Error) -> Error {
    Error::Io {
        context: format!("cannot read {}", path.display()),
        cause,
    }
}

/// What `watch-state.json` holds.
enum Parsed {
    /// [`FORMAT`]: the rest is in the binary files.
    Current(BTreeMap<String, Ran>),
    /// An earlier format, with everything.
    Legacy(BTreeMap<String, SearchState>),
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
            Err(cause) => return Err(read_error(&path, cause)),
        };
        let ran = match Self::parse(&path, &text)? {
            Parsed::Legacy(searches) => {
                return Ok(WatchState {
                    searches,
                    ..WatchState::default()
                });
            }
            Parsed::Current(ran) => ran,
        };
        let (files, mut recorded) = read_files(layout)?;
        let searches = ran
            .into_iter()
            .map(|(name, ran)| {
                let recorded = recorded.remove(&name).unwrap_or_default();
                let reported = recorded
                    .reported
                    .into_values()
                    .map(|story| {
                        let id = story.id;
                        let story = ReportedStory {
                            title: story.title,
                            reported: story.day,
                            signature: story.signature,
                        };
                        (id, story)
                    })
                    .collect();
                let search = SearchState {
                    definition: ran.definition,
                    last_run: ran.last_run,
                    alerts: ran.alerts,
                    seen: Seen(recorded.seen),
                    planned: ran.planned,
                    segments: ran.segments,
                    reported,
                };
                (name, search)
            })
            .collect();
        Ok(WatchState {
            searches,
            changes: vec![],
            files,
        })
    }

    fn parse(path: &Path, text: &str) -> Result<Parsed, Error> {
        let damaged = |line: usize, column: usize, why: String| Error::WatchFile {
            path: path.to_path_buf(),
            line,
            column,
            reason: format!("{why}; {START_AGAIN}"),
        };
        let unreadable =
            |e: serde_json::Error| damaged(e.line(), e.column(), format!("cannot be read: {e}"));
        #[derive(Deserialize)]
        struct Head {
            format: String,
        }
        let head: Head = serde_json::from_str(text).map_err(unreadable)?;
        match head.format.as_str() {
            FORMAT => {
                let file: StateFile<Ran> = serde_json::from_str(text).map_err(unreadable)?;
                Ok(Parsed::Current(file.searches))
            }
            FORMAT_2 | FORMAT_1 => {
                let file: StateFile<Legacy> = serde_json::from_str(text).map_err(unreadable)?;
                let searches = file.searches.into_iter().map(|(name, legacy)| {
                    let search = SearchState {
                        definition: legacy.definition,
                        last_run: legacy.last_run,
                        alerts: legacy.alerts,
                        seen: legacy.seen,
                        planned: legacy.planned,
                        segments: legacy.segments,
                        reported: legacy.reported,
                    };
                    (name, search)
                });
                Ok(Parsed::Legacy(searches.collect()))
            }
            other => Err(damaged(
                1,
                1,
                format!("written by another version of rasd ({other})"),
            )),
        }
    }

    /// The search `name` starts again as `definition`: what it saw is forgotten, its count
    /// of alerts and the stories it reported are kept.
    pub fn restart(&mut self, name: &str, definition: String) {
        let entry = self.searches.entry(name.to_string()).or_default();
        *entry = SearchState {
            definition,
            alerts: entry.alerts,
            reported: std::mem::take(&mut entry.reported),
            ..SearchState::default()
        };
        self.changes.push(Change::ClearSeen {
            search: name.to_string(),
        });
    }

    /// Records that the search `name` saw `articles` (id, [`content_hash`]).
    pub fn see(&mut self, name: &str, articles: &[(String, String)]) {
        let keys: Vec<(u64, u64)> = articles.iter().map(|(id, hash)| keys(id, hash)).collect();
        if keys.is_empty() {
            return;
        }
        let entry = self.searches.entry(name.to_string()).or_default();
        entry.seen.record(keys.clone());
        self.changes.push(Change::Seen {
            search: name.to_string(),
            keys,
        });
    }

    /// Records that the search `name` reported the story whose shown copy is `id`.
    pub fn report(&mut self, name: &str, id: String, story: ReportedStory) {
        self.changes.push(reported(name, &id, &story));
        let entry = self.searches.entry(name.to_string()).or_default();
        entry.reported.insert(id, story);
    }

    /// A new search `name` (`watch add`): whatever a search of that name saw or reported
    /// before is forgotten.
    pub fn insert(&mut self, name: &str, search: SearchState) {
        self.remove(name);
        self.changes.push(Change::Seen {
            search: name.to_string(),
            keys: search.seen.0.clone(),
        });
        for (id, story) in &search.reported {
            self.changes.push(reported(name, id, story));
        }
        self.searches.insert(name.to_string(), search);
    }

    /// Forgets the search `name`, and all it saw and reported; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        self.changes.push(Change::Forget {
            search: name.to_string(),
        });
        self.searches.remove(name).is_some()
    }

    /// Saves what changed: appended to the journal (or, now and then, everything written
    /// whole), then `watch-state.json` written whole. Only for the holder of the index's
    /// lock.
    pub fn save(&mut self, layout: &Layout) -> Result<(), Error> {
        let records = journal::journal_records(&self.changes);
        match self.files {
            Some(files)
                if files.journal + records.len() as u64
                    <= JOURNAL_LIMIT.max(files.snapshot / 2) =>
            {
                if !records.is_empty() {
                    layout.append(WATCH_JOURNAL, files.journal, &records)?;
                }
                self.files = Some(Files {
                    journal: files.journal + records.len() as u64,
                    ..files
                });
            }
            _ => self.write_whole(layout)?,
        }
        self.changes.clear();
        let file = StateFile {
            format: FORMAT.to_string(),
            searches: self
                .searches
                .iter()
                .map(|(name, s)| {
                    let ran = Ran {
                        definition: s.definition.clone(),
                        last_run: s.last_run.clone(),
                        alerts: s.alerts,
                        planned: s.planned.clone(),
                        segments: s.segments.clone(),
                    };
                    (name.clone(), ran)
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&file).expect("the state serializes");
        // The journal is synced first: once the file says which segments were read, what
        // was found in them is on the disk. The rename itself need not be: an older file
        // only makes the next run read those segments again and find their articles seen.
        layout.replace(WATCH_STATE, text.as_bytes())
    }

    /// Writes the snapshot of everything, then a journal with no record, of a generation
    /// above any of the files there: a journal left by a kill between the two is older than
    /// the snapshot, hence ignored.
    fn write_whole(&mut self, layout: &Layout) -> Result<(), Error> {
        let generation = next_generation(layout);
        let stories: BTreeMap<&str, Vec<Story>> = self
            .searches
            .iter()
            .map(|(name, s)| {
                let stories = s.reported.iter().map(|(id, story)| Story {
                    id: id.clone(),
                    title: story.title.clone(),
                    day: story.reported.clone(),
                    signature: story.signature,
                });
                (name.as_str(), stories.collect())
            })
            .collect();
        let searches = self
            .searches
            .iter()
            .map(|(name, s)| {
                let reported = stories[name.as_str()].iter().collect();
                (name.as_str(), (&s.seen.0[..], reported))
            })
            .collect();
        let snapshot = journal::snapshot(generation, &searches);
        layout.write_whole(WATCH_SEEN, &snapshot)?;
        let header = journal::journal_header(generation);
        layout.write_whole(WATCH_JOURNAL, &header)?;
        self.files = Some(Files {
            snapshot: snapshot.len() as u64,
            journal: header.len() as u64,
        });
        Ok(())
    }
}

/// A generation above those of the snapshot and the journal there, whatever they hold.
fn next_generation(layout: &Layout) -> u64 {
    let generation_of = |name: &str| -> Option<u64> {
        let mut head = [0; 64];
        let mut file = std::fs::File::open(layout.file(name)).ok()?;
        let n = file.read(&mut head).ok()?;
        journal::generation(&head[..n])
    };
    let found = [WATCH_SEEN, WATCH_JOURNAL].map(generation_of);
    found
        .into_iter()
        .flatten()
        .max()
        .map_or(1, |g| g.saturating_add(1))
}

/// The binary files' searches: the snapshot, and the journal's changes when it continues
/// it (otherwise `None` for [`WatchState::files`]: the next save writes both whole).
fn read_files(layout: &Layout) -> Result<(Option<Files>, BTreeMap<String, Recorded>), Error> {
    let path = layout.file(WATCH_SEEN);
    let bytes = std::fs::read(&path).map_err(|cause| match cause.kind() {
        // watch-state.json says what it holds: lost (a partial restore of a backup).
        std::io::ErrorKind::NotFound => Error::WatchStateFile {
            path: path.clone(),
            reason: format!("it is missing, though watch-state.json needs it; {START_AGAIN}"),
        },
        _ => read_error(&path, cause),
    })?;
    let (generation, mut searches) =
        journal::read_snapshot(&bytes).map_err(|d| damaged_file(&path, d))?;
    let snapshot = bytes.len() as u64;
    let path = layout.file(WATCH_JOURNAL);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        // Killed before the journal of a new snapshot was written: the snapshot holds all.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, searches)),
        Err(cause) => return Err(read_error(&path, cause)),
    };
    let read = journal::read_journal(&bytes).map_err(|d| damaged_file(&path, d))?;
    if read.generation != generation {
        // A journal the snapshot was written after: what it holds is in the snapshot.
        return Ok((None, searches));
    }
    apply(&mut searches, read.changes);
    let files = Files {
        snapshot,
        journal: read.valid as u64,
    };
    Ok((Some(files), searches))
}

/// Applies a journal's `changes`, in order, to the snapshot's `searches`.
fn apply(searches: &mut BTreeMap<String, Recorded>, changes: Vec<Change>) {
    // The articles seen, merged once per search rather than once per record.
    let mut pending: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    for change in changes {
        match change {
            Change::Seen { search, keys } => pending.entry(search).or_default().extend(keys),
            Change::Reported { search, story } => {
                let entry = searches.entry(search).or_default();
                entry.reported.insert(story.id.clone(), story);
            }
            Change::ClearSeen { search } => {
                pending.remove(&search);
                searches.entry(search).or_default().seen.clear();
            }
            Change::Forget { search } => {
                pending.remove(&search);
                searches.remove(&search);
            }
        }
    }
    for (search, keys) in pending {
        let entry = searches.entry(search).or_default();
        let mut seen = Seen(std::mem::take(&mut entry.seen));
        seen.record(keys);
        entry.seen = seen.0;
    }
}

/// The journal's record of a story the search `search` reported, shown as the copy `id`.
fn reported(search: &str, id: &str, story: &ReportedStory) -> Change {
    Change::Reported {
        search: search.to_string(),
        story: Story {
            id: id.to_string(),
            title: story.title.clone(),
            day: story.reported.clone(),
            signature: story.signature,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(title: &str) -> ReportedStory {
        ReportedStory {
            title: title.into(),
            reported: "2026-12-04".into(),
            signature: [7; WORDS],
        }
    }

    fn search(articles: &[(&str, &str)]) -> SearchState {
        SearchState {
            definition: "query=\"x\"".into(),
            last_run: Some("2026-12-04T05:00:00Z".into()),
            alerts: 2,
            seen: articles
                .iter()
                .map(|(id, text)| (id.to_string(), content_hash(text, "")))
                .collect(),
            planned: "0".into(),
            segments: vec!["0123".into()],
            reported: BTreeMap::from([("a1".to_string(), story("t"))]),
        }
    }

    fn size(dir: &Path, name: &str) -> u64 {
        std::fs::metadata(dir.join(name)).unwrap().len()
    }

    #[test]
    fn the_state_is_saved_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        assert!(WatchState::load(&layout).unwrap().searches.is_empty());
        let mut state = WatchState::default();
        state.insert("ports", search(&[("a1", "1"), ("a2", "2")]));
        state.save(&layout).unwrap();
        let read = WatchState::load(&layout).unwrap();
        assert_eq!(read.searches["ports"], search(&[("a1", "1"), ("a2", "2")]));
        assert!(!dir.path().join("watch-state.json.tmp").exists());
        let json = std::fs::read_to_string(dir.path().join(WATCH_STATE)).unwrap();
        assert!(json.contains(FORMAT) && !json.contains("seen"), "{json}");
    }

    #[test]
    fn a_run_appends_only_what_it_found_new() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let mut state = WatchState::default();
        let many: Vec<(String, String)> = (0..1000)
            .map(|n| (format!("id{n}"), content_hash("t", &n.to_string())))
            .collect();
        state.insert("ports", search(&[]));
        state.see("ports", &many);
        state.save(&layout).unwrap();
        let snapshot = size(dir.path(), WATCH_SEEN);
        let journal = size(dir.path(), WATCH_JOURNAL);

        let mut state = WatchState::load(&layout).unwrap();
        assert_eq!(state.searches["ports"].seen.len(), 1000);
        state.see("ports", &[("new".into(), content_hash("n", ""))]);
        state.see("ports", &[("id1".into(), content_hash("changed", ""))]);
        state.report("ports", "new".into(), story("n"));
        state.save(&layout).unwrap();
        assert_eq!(
            size(dir.path(), WATCH_SEEN),
            snapshot,
            "the snapshot is kept"
        );
        assert!(size(dir.path(), WATCH_JOURNAL) < journal + 500);

        let read = WatchState::load(&layout).unwrap();
        let ports = &read.searches["ports"];
        assert_eq!(ports.seen.len(), 1001);
        assert!(ports.seen.has("new", &content_hash("n", "")));
        assert!(ports.seen.has("id1", &content_hash("changed", "")));
        assert!(!ports.seen.has("id1", &many[1].1));
        assert!(ports.seen.has("id2", &many[2].1));
        assert_eq!(ports.reported["new"], story("n"));
    }

    #[test]
    fn restarting_forgets_what_was_seen_and_removing_forgets_all() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let mut state = WatchState::default();
        state.insert("a", search(&[("a1", "1")]));
        state.insert("b", search(&[("b1", "1")]));
        state.save(&layout).unwrap();
        let mut state = WatchState::load(&layout).unwrap();
        state.restart("a", "query=\"y\"".into());
        state.see("a", &[("a9".into(), content_hash("9", ""))]);
        assert!(state.remove("b"));
        state.save(&layout).unwrap();
        let read = WatchState::load(&layout).unwrap();
        assert_eq!(read.searches.keys().collect::<Vec<_>>(), ["a"]);
        let a = &read.searches["a"];
        assert_eq!((a.seen.len(), a.alerts, a.reported.len()), (1, 2, 1));
        assert!(a.seen.has("a9", &content_hash("9", "")));
        assert_eq!(a.definition, "query=\"y\"");
    }

    #[test]
    fn a_long_journal_is_folded_into_a_new_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let mut state = WatchState::default();
        state.insert("s", search(&[]));
        state.save(&layout).unwrap();
        let first = size(dir.path(), WATCH_SEEN);
        // Each run appends a little; past the limit, everything is written whole.
        let per_run = 100_000;
        for run in 0..(JOURNAL_LIMIT / (per_run * 16) + 2) {
            let mut state = WatchState::load(&layout).unwrap();
            let articles: Vec<(String, String)> = (0..per_run)
                .map(|n| (format!("{run}-{n}"), String::new()))
                .collect();
            state.see("s", &articles);
            state.save(&layout).unwrap();
        }
        assert!(size(dir.path(), WATCH_SEEN) > first);
        assert!(size(dir.path(), WATCH_JOURNAL) < JOURNAL_LIMIT);
        let read = WatchState::load(&layout).unwrap();
        let runs = JOURNAL_LIMIT / (per_run * 16) + 2;
        assert_eq!(read.searches["s"].seen.len() as u64, runs * per_run);
    }

    #[test]
    fn a_kill_at_any_point_of_a_save_loses_nothing_saved_before() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let mut state = WatchState::default();
        state.insert("s", search(&[("a", "1")]));
        state.save(&layout).unwrap();
        let journal = std::fs::read(dir.path().join(WATCH_JOURNAL)).unwrap();
        let mut state = WatchState::load(&layout).unwrap();
        state.see("s", &[("b".into(), content_hash("2", ""))]);
        state.save(&layout).unwrap();
        let appended = std::fs::read(dir.path().join(WATCH_JOURNAL)).unwrap();
        // A journal cut anywhere in the appended record: "a" is seen, "b" is not yet.
        for cut in journal.len()..appended.len() {
            std::fs::write(dir.path().join(WATCH_JOURNAL), &appended[..cut]).unwrap();
            let mut read = WatchState::load(&layout).unwrap();
            let seen = &read.searches["s"].seen;
            assert!(seen.has("a", &content_hash("1", "")), "cut at {cut}");
            assert!(!seen.has("b", &content_hash("2", "")), "cut at {cut}");
            // The next save writes over the cut record.
            read.see("s", &[("c".into(), content_hash("3", ""))]);
            read.save(&layout).unwrap();
            let again = WatchState::load(&layout).unwrap();
            assert!(again.searches["s"].seen.has("c", &content_hash("3", "")));
        }
        // A journal older than the snapshot (a kill between writing the two) is ignored.
        let mut state = WatchState::load(&layout).unwrap();
        state.see("s", &[("d".into(), content_hash("4", ""))]);
        state.write_whole(&layout).unwrap();
        std::fs::write(dir.path().join(WATCH_JOURNAL), &appended).unwrap();
        let read = WatchState::load(&layout).unwrap();
        assert!(read.searches["s"].seen.has("d", &content_hash("4", "")));
    }

    #[test]
    fn damaged_files_are_named_with_their_place() {
        let error = WatchState::parse(Path::new("s.json"), "{\n  \"format\": 3\n}")
            .err()
            .unwrap()
            .to_string();
        assert!(error.starts_with("s.json:2:"), "{error}");
        let error = WatchState::parse(Path::new("s.json"), r#"{"format": "x", "searches": {}}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.starts_with("s.json:1:1: written by another version"),
            "{error}"
        );

        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let mut state = WatchState::default();
        state.insert("s", search(&[("a", "1")]));
        state.save(&layout).unwrap();
        state.see("s", &[("b".into(), content_hash("2", ""))]);
        state.save(&layout).unwrap();
        state.see("s", &[("c".into(), content_hash("3", ""))]);
        state.save(&layout).unwrap();
        let path = dir.path().join(WATCH_JOURNAL);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[journal::JOURNAL_HEADER + 8] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let error = WatchState::load(&layout).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "{}: byte {}: a record fails its checksum; move",
                path.display(),
                journal::JOURNAL_HEADER
            )),
            "{error}"
        );
        std::fs::remove_file(dir.path().join(WATCH_SEEN)).unwrap();
        let error = WatchState::load(&layout).unwrap_err().to_string();
        assert!(
            error.contains("watch-seen.bin: it is missing") && error.contains(START_AGAIN),
            "{error}"
        );
    }

    /// The state as the previous version wrote it: one JSON file, articles seen packed.
    fn format_2(searches: &[(&str, &[(&str, &str)])]) -> String {
        let searches: Vec<String> = searches
            .iter()
            .map(|(name, articles)| {
                let mut pairs: Vec<(u64, u64)> = articles
                    .iter()
                    .map(|(id, text)| keys(id, &content_hash(text, "")))
                    .collect();
                pairs.sort_unstable();
                let packed: String = pairs
                    .iter()
                    .map(|(a, b)| format!("{a:016x}{b:016x}"))
                    .collect();
                format!(
                    r#""{name}": {{"definition": "query=\"x\"", "last_run": "2026-12-03T05:00:00Z",
                    "alerts": 4, "seen": "{packed}", "planned": "p", "segments": ["s1"],
                    "reported": {{"r1": {{"title": "t", "reported": "2026-12-03",
                    "signature": [{}]}}}}}}"#,
                    ["1"; WORDS].join(", ")
                )
            })
            .collect();
        format!(
            r#"{{"format": "rasd-watch-state/2", "searches": {{{}}}}}"#,
            searches.join(", ")
        )
    }

    #[test]
    fn a_state_of_the_previous_format_is_migrated_once_and_nothing_lost() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let old = format_2(&[
            ("ports", &[("a", "1"), ("b", "2")]),
            ("cells", &[("c", "3")]),
        ]);
        std::fs::write(dir.path().join(WATCH_STATE), &old).unwrap();
        let check = |state: &WatchState| {
            let ports = &state.searches["ports"];
            assert_eq!((ports.seen.len(), ports.alerts), (2, 4));
            assert!(ports.seen.has("b", &content_hash("2", "")));
            assert_eq!(ports.segments, ["s1"]);
            assert_eq!(ports.reported["r1"].signature, [1; WORDS]);
            assert!(
                state.searches["cells"]
                    .seen
                    .has("c", &content_hash("3", ""))
            );
        };
        // Read (by `watch list`, say) without being written.
        check(&WatchState::load(&layout).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(WATCH_STATE)).unwrap(),
            old
        );
        // The first save writes the new format; what follows appends.
        let mut state = WatchState::load(&layout).unwrap();
        state.save(&layout).unwrap();
        let json = std::fs::read_to_string(dir.path().join(WATCH_STATE)).unwrap();
        assert!(json.contains(FORMAT), "{json}");
        check(&WatchState::load(&layout).unwrap());
        let snapshot = std::fs::read(dir.path().join(WATCH_SEEN)).unwrap();
        let mut state = WatchState::load(&layout).unwrap();
        state.see("cells", &[("d".into(), content_hash("4", ""))]);
        state.save(&layout).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(WATCH_SEEN)).unwrap(),
            snapshot
        );
        let state = WatchState::load(&layout).unwrap();
        check(&state);
        assert!(
            state.searches["cells"]
                .seen
                .has("d", &content_hash("4", ""))
        );
    }

    #[test]
    fn a_migration_killed_before_the_json_is_written_is_done_again() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let old = format_2(&[("ports", &[("a", "1")])]);
        std::fs::write(dir.path().join(WATCH_STATE), &old).unwrap();
        let mut state = WatchState::load(&layout).unwrap();
        state.write_whole(&layout).unwrap();
        // Killed here: the JSON is still the old one, and still read as the state.
        let state = WatchState::load(&layout).unwrap();
        assert!(
            state.searches["ports"]
                .seen
                .has("a", &content_hash("1", ""))
        );
        assert!(state.files.is_none(), "written again at the next save");
    }

    #[test]
    fn articles_seen_keep_their_last_text() {
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
        seen.record(vec![
            keys("c", &content_hash("1", "")),
            keys("a", &content_hash("3", "")),
        ]);
        assert_eq!(seen.len(), 3);
        assert!(seen.has("a", &content_hash("3", "")));
        assert!(seen.has("c", &content_hash("1", "")));
    }

    #[test]
    fn packed_articles_of_the_previous_format_are_checked() {
        let (a, b) = (keys("a", "1"), keys("b", "1"));
        let (first, second) = if a.0 < b.0 { (a, b) } else { (b, a) };
        let hex = |(x, y): (u64, u64)| format!("{x:016x}{y:016x}");
        let sorted = format!("\"{}{}\"", hex(first), hex(second));
        assert_eq!(serde_json::from_str::<Seen>(&sorted).unwrap().len(), 2);
        // Unsorted pairs are damage: lookups would miss them.
        let swapped = format!("\"{}{}\"", hex(second), hex(first));
        for damaged in ["\"0123\"", "\"zz\"", "[1]", swapped.as_str()] {
            assert!(serde_json::from_str::<Seen>(damaged).is_err(), "{damaged}");
        }
    }

    #[test]
    fn a_state_of_the_first_format_is_read() {
        let hash = content_hash("t", "b");
        let text = format!(
            r#"{{"format": "rasd-watch-state/1", "searches": {{"s": {{"definition": "d",
            "last_run": null, "alerts": 1, "seen": {{"a1": "{hash}"}}}}}}}}"#
        );
        let Parsed::Legacy(searches) = WatchState::parse(Path::new("s.json"), &text).unwrap()
        else {
            panic!("read as the current format");
        };
        let seen = &searches["s"].seen;
        assert!(seen.len() == 1 && seen.has("a1", &hash));
    }

    #[test]
    fn hashes_tell_texts_apart() {
        assert_eq!(content_hash("a", "b"), content_hash("a", "b"));
        assert_ne!(content_hash("ab", "c"), content_hash("a", "bc"));
        assert_ne!(content_hash("a", "b"), content_hash("a", "b "));
    }
}
