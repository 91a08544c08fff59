//! The binary files of what saved searches have seen and reported: a snapshot
//! (`watch-seen.bin`), written whole only now and then, and a journal (`watch-journal.bin`)
//! of the changes since, which each run appends to. A run thus writes only what it found
//! new, however many articles its searches saw before.
//!
//! Both begin with their magic line and a generation: a journal continues the snapshot of
//! its own generation, and one of an older generation (a compaction killed between writing
//! the snapshot and starting the journal again) is already in the snapshot. Every journal
//! record carries its length and a checksum, so that a record cut short by a kill is told
//! from damage: the last record, incomplete or failing its checksum, was being appended
//! when the run died, and is dropped (the run that wrote it is then redone); any other
//! record that fails is damage, reported with its byte offset.
//!
//! All numbers are little-endian. A snapshot is its header, the number of searches, for
//! each its name, its articles seen (pairs of 64-bit keys sorted by the first) and its
//! reported stories, then an xxh3 checksum of everything before it.

use std::collections::BTreeMap;

use xxhash_rust::xxh3::xxh3_64;

use crate::analysis::signature::WORDS;

/// The first bytes of a snapshot.
const SNAPSHOT_MAGIC: &[u8] = b"rasd-watch-seen/1\n";
/// The first bytes of a journal.
const JOURNAL_MAGIC: &[u8] = b"rasd-watch-journal/1\n";
/// A journal's header: its magic, its generation and the checksum of both.
pub const JOURNAL_HEADER: usize = JOURNAL_MAGIC.len() + 16;

/// A story a saved search reported, as the files keep it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Story {
    /// The id of the copy shown.
    pub id: String,
    pub title: String,
    /// The day it was reported (`YYYY-MM-DD`).
    pub day: String,
    pub signature: [u64; WORDS],
}

/// One change of what a saved search has seen or reported: a journal record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Articles seen, as pairs of keys (id, text); a new text of an id replaces the old.
    Seen {
        search: String,
        keys: Vec<(u64, u64)>,
    },
    /// A story reported.
    Reported { search: String, story: Story },
    /// The search starts again: what it had seen is forgotten, its stories are kept.
    ClearSeen { search: String },
    /// The search is gone, with all it had seen and reported.
    Forget { search: String },
}

/// What one saved search has seen and reported, as the files give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Sorted by the first key, one pair per id key.
    pub seen: Vec<(u64, u64)>,
    /// By id.
    pub reported: BTreeMap<String, Story>,
}

/// Why a file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The byte offset of the first byte that cannot be used.
    pub offset: usize,
    pub reason: String,
}

fn damage(offset: usize, reason: &str) -> Damage {
    Damage {
        offset,
        reason: reason.to_string(),
    }
}

/// Appends numbers and strings to a buffer.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 items"));
    }
    fn str(&mut self, text: &str) {
        self.len(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }
    fn pairs(&mut self, pairs: &[(u64, u64)]) {
        self.len(pairs.len());
        self.0.reserve(pairs.len() * 16);
        for (a, b) in pairs {
            self.u64(*a);
            self.u64(*b);
        }
    }
    fn story(&mut self, story: &Story) {
        self.str(&story.id);
        self.str(&story.title);
        self.str(&story.day);
        for word in story.signature {
            self.u64(word);
        }
    }
}

/// Reads numbers and strings from a slice, each read checked against its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where `bytes` begins in its file, for the offsets of [`Damage`].
    base: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Damage> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| damage(self.base + self.at, "cut short"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }
    fn u32(&mut self) -> Result<u32, Damage> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, Damage> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn str(&mut self) -> Result<String, Damage> {
        let at = self.base + self.at;
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| damage(at, "text that is not UTF-8"))
    }
    fn pairs(&mut self) -> Result<Vec<(u64, u64)>, Damage> {
        let n = self.u32()? as usize;
        let bytes = self.take(n.saturating_mul(16))?;
        Ok(bytes
            .chunks_exact(16)
            .map(|pair| {
                let (a, b) = pair.split_at(8);
                (
                    u64::from_le_bytes(a.try_into().expect("8 bytes")),
                    u64::from_le_bytes(b.try_into().expect("8 bytes")),
                )
            })
            .collect())
    }
    fn story(&mut self) -> Result<Story, Damage> {
        let (id, title, day) = (self.str()?, self.str()?, self.str()?);
        let mut signature = [0; WORDS];
        for word in &mut signature {
            *word = self.u64()?;
        }
        Ok(Story {
            id,
            title,
            day,
            signature,
        })
    }
    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// The kinds of journal records.
const SEEN: u8 = 1;
const REPORTED: u8 = 2;
const CLEAR_SEEN: u8 = 3;
const FORGET: u8 = 4;

/// The generation in the first bytes of a snapshot or a journal, when they begin as one.
pub fn generation(head: &[u8]) -> Option<u64> {
    let rest = head
        .strip_prefix(SNAPSHOT_MAGIC)
        .or_else(|| head.strip_prefix(JOURNAL_MAGIC))?;
    Some(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?))
}

/// A new journal of `generation`, with no record yet.
pub fn journal_header(generation: u64) -> Vec<u8> {
    let mut header = Writer(JOURNAL_MAGIC.to_vec());
    header.u64(generation);
    let checksum = xxh3_64(&header.0);
    header.u64(checksum);
    header.0
}

/// The records of `changes`, to append to a journal.
pub fn journal_records(changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::new();
    for change in changes {
        let mut payload = Writer::default();
        let kind = match change {
            Change::Seen { search, keys } => {
                payload.str(search);
                payload.pairs(keys);
                SEEN
            }
            Change::Reported { search, story } => {
                payload.str(search);
                payload.story(story);
                REPORTED
            }
            Change::ClearSeen { search } => {
                payload.str(search);
                CLEAR_SEEN
            }
            Change::Forget { search } => {
                payload.str(search);
                FORGET
            }
        };
        let start = out.len();
        out.push(kind);
        out.extend_from_slice(
            &u32::try_from(payload.0.len())
                .expect("a record under 4 GB")
                .to_le_bytes(),
        );
        out.extend_from_slice(&payload.0);
        let checksum = xxh3_64(&out[start..]);
        out.extend_from_slice(&checksum.to_le_bytes());
    }
    out
}

/// A journal as read: its generation, its changes, and how many of its bytes hold them (a
/// record cut short by a kill after them is dropped, and overwritten by the next append).
#[derive(Debug, PartialEq, Eq)]
pub struct Journal {
    pub generation: u64,
    pub changes: Vec<Change>,
    pub valid: usize,
}

/// Reads a journal's bytes.
pub fn read_journal(bytes: &[u8]) -> Result<Journal, Damage> {
    if bytes.len() < JOURNAL_HEADER || !bytes.starts_with(JOURNAL_MAGIC) {
        return Err(damage(0, "not a journal of rasd's saved searches"));
    }
    let mut header = Reader {
        bytes: &bytes[..JOURNAL_HEADER],
        at: JOURNAL_MAGIC.len(),
        base: 0,
    };
    let generation = header.u64()?;
    if header.u64()? != xxh3_64(&bytes[..JOURNAL_HEADER - 8]) {
        return Err(damage(0, "its header is damaged"));
    }
    let mut changes = Vec::new();
    let mut at = JOURNAL_HEADER;
    while at < bytes.len() {
        match record(bytes, at) {
            Ok((change, end)) => {
                changes.push(change);
                at = end;
            }
            // The last record, cut short or half-written: a kill while it was appended.
            Err(Cut::Torn) => break,
            Err(Cut::Damaged(damage)) => return Err(damage),
        }
    }
    Ok(Journal {
        generation,
        changes,
        valid: at,
    })
}

/// Why a journal record at some offset cannot be read.
enum Cut {
    /// It runs to the end of the file: what a kill during an append leaves.
    Torn,
    Damaged(Damage),
}

/// The record at `at` and the offset after it.
fn record(bytes: &[u8], at: usize) -> Result<(Change, usize), Cut> {
    let rest = &bytes[at..];
    if rest.len() < 5 {
        return Err(Cut::Torn);
    }
    let kind = rest[0];
    let len = u32::from_le_bytes(rest[1..5].try_into().expect("4 bytes")) as usize;
    let Some(end) = len.checked_add(5 + 8).filter(|end| *end <= rest.len()) else {
        return Err(Cut::Torn);
    };
    let checksum = u64::from_le_bytes(rest[end - 8..end].try_into().expect("8 bytes"));
    if checksum != xxh3_64(&rest[..end - 8]) {
        return Err(if at + end == bytes.len() {
            Cut::Torn
        } else {
            Cut::Damaged(damage(at, "a record fails its checksum"))
        });
    }
    let mut payload = Reader {
        bytes: &rest[5..end - 8],
        at: 0,
        base: at + 5,
    };
    let change = (|| {
        let search = payload.str()?;
        let change = match kind {
            SEEN => Change::Seen {
                search,
                keys: payload.pairs()?,
            },
            REPORTED => Change::Reported {
                search,
                story: payload.story()?,
            },
            CLEAR_SEEN => Change::ClearSeen { search },
            FORGET => Change::Forget { search },
            _ => return Err(damage(at, "a record of an unknown kind")),
        };
        match payload.done() {
            true => Ok(change),
            false => Err(damage(at, "a record longer than its content")),
        }
    })()
    .map_err(Cut::Damaged)?;
    Ok((change, at + end))
}

/// What a snapshot holds of one search: the articles it saw (see [`Recorded::seen`]) and the
/// stories it reported.
pub type SnapshotOf<'a> = (&'a [(u64, u64)], Vec<&'a Story>);

/// A snapshot of `generation` holding `searches`.
pub fn snapshot(generation: u64, searches: &BTreeMap<&str, SnapshotOf>) -> Vec<u8> {
    let mut out = Writer(SNAPSHOT_MAGIC.to_vec());
    out.u64(generation);
    out.len(searches.len());
    for (name, (seen, reported)) in searches {
        out.str(name);
        out.pairs(seen);
        out.len(reported.len());
        for story in reported {
            out.story(story);
        }
    }
    let checksum = xxh3_64(&out.0);
    out.u64(checksum);
    out.0
}

/// Reads a snapshot's bytes: its generation and each search's record.
pub fn read_snapshot(bytes: &[u8]) -> Result<(u64, BTreeMap<String, Recorded>), Damage> {
    if !bytes.starts_with(SNAPSHOT_MAGIC) || bytes.len() < SNAPSHOT_MAGIC.len() + 8 + 4 + 8 {
        return Err(damage(0, "not a snapshot of rasd's saved searches"));
    }
    let (content, checksum) = bytes.split_at(bytes.len() - 8);
    if xxh3_64(content) != u64::from_le_bytes(checksum.try_into().expect("8 bytes")) {
        return Err(damage(0, "it fails its checksum"));
    }
    let mut reader = Reader {
        bytes: content,
        at: SNAPSHOT_MAGIC.len(),
        base: 0,
    };
    let generation = reader.u64()?;
    let count = reader.u32()?;
    let mut searches = BTreeMap::new();
    for _ in 0..count {
        let at = reader.at;
        let name = reader.str()?;
        let seen = reader.pairs()?;
        if !seen.is_sorted_by(|a, b| a.0 < b.0) {
            return Err(damage(at, "the articles seen are not in order"));
        }
        let stories = reader.u32()?;
        let mut reported = BTreeMap::new();
        for _ in 0..stories {
            let story = reader.story()?;
            reported.insert(story.id.clone(), story);
        }
        searches.insert(name, Recorded { seen, reported });
    }
    if !reader.done() {
        return Err(damage(reader.at, "bytes after the last search"));
    }
    Ok((generation, searches))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn story(id: &str) -> Story {
        Story {
            id: id.to_string(),
            title: "تفكيك خلية".to_string(),
            day: "2026-12-04".to_string(),
            signature: [3; WORDS],
        }
    }

    fn changes() -> Vec<Change> {
        vec![
            Change::Seen {
                search: "ports".into(),
                keys: vec![(1, 2), (3, 4)],
            },
            Change::Reported {
                search: "ports".into(),
                story: story("a1"),
            },
            Change::ClearSeen {
                search: "خلية".into(),
            },
            Change::Forget {
                search: "old".into(),
            },
        ]
    }

    #[test]
    fn a_journal_reads_back_what_was_appended() {
        let mut bytes = journal_header(7);
        bytes.extend(journal_records(&changes()));
        let journal = read_journal(&bytes).unwrap();
        assert_eq!(journal.generation, 7);
        assert_eq!(journal.changes, changes());
        assert_eq!(journal.valid, bytes.len());
    }

    #[test]
    fn a_record_cut_short_is_dropped_and_damage_elsewhere_is_named() {
        let mut bytes = journal_header(1);
        bytes.extend(journal_records(&changes()));
        let whole = bytes.len();
        let last = journal_records(&changes()[3..]).len();
        // Every cut inside the last record keeps the three before it.
        for cut in whole - last..whole {
            let journal = read_journal(&bytes[..cut]).unwrap();
            assert_eq!(journal.changes, changes()[..3], "cut at {cut}");
            assert_eq!(journal.valid, whole - last);
        }
        // The last record half-written (its checksum wrong): a kill too.
        let mut torn = bytes.clone();
        torn[whole - 9] ^= 1;
        assert_eq!(read_journal(&torn).unwrap().changes.len(), 3);
        // A record in the middle damaged: an error at its offset.
        let mut damaged = bytes.clone();
        damaged[JOURNAL_HEADER + 6] ^= 1;
        let error = read_journal(&damaged).unwrap_err();
        assert_eq!(error.offset, JOURNAL_HEADER);
        assert!(error.reason.contains("checksum"), "{error:?}");
        assert!(read_journal(b"rasd-watch-seen/1\n").is_err());
    }

    #[test]
    fn a_snapshot_reads_back_and_refuses_damage() {
        let stories = [story("a1"), story("b2")];
        let seen = [(1, 9), (5, 9)];
        let searches = BTreeMap::from([
            ("ports", (&seen[..], stories.iter().collect())),
            ("empty", (&[][..], vec![])),
        ]);
        let bytes = snapshot(4, &searches);
        let (generation, read) = read_snapshot(&bytes).unwrap();
        assert_eq!(generation, 4);
        assert_eq!(read["ports"].seen, seen);
        assert_eq!(read["ports"].reported["b2"], stories[1]);
        assert_eq!(read["empty"], Recorded::default());
        for at in [0, 20, bytes.len() / 2, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x40;
            assert!(read_snapshot(&damaged).is_err(), "byte {at}");
        }
        assert!(read_snapshot(&bytes[..bytes.len() - 1]).is_err());
    }

    proptest! {
        /// Whatever the bytes, reading them returns changes or damage, never a panic; and
        /// behind a valid header, what is read is a prefix of valid records.
        #[test]
        fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_journal(&bytes);
            let _ = read_snapshot(&bytes);
            let mut journal = journal_header(1);
            journal.extend(&bytes);
            if let Ok(read) = read_journal(&journal) {
                prop_assert!(read.valid <= journal.len());
                prop_assert_eq!(
                    journal_records(&read.changes).len(),
                    read.valid - JOURNAL_HEADER
                );
            }
        }

        /// Records survive any cut at their end: the complete ones are read back.
        #[test]
        fn records_read_back_whatever_the_cut(
            names in proptest::collection::vec("\\PC{0,12}", 1..6),
            keys in proptest::collection::vec((any::<u64>(), any::<u64>()), 0..20),
            cut in any::<prop::sample::Index>(),
        ) {
            let changes: Vec<Change> = names
                .iter()
                .map(|n| Change::Seen { search: n.clone(), keys: keys.clone() })
                .collect();
            let mut bytes = journal_header(2);
            bytes.extend(journal_records(&changes));
            prop_assert_eq!(&read_journal(&bytes).unwrap().changes, &changes);
            let cut = JOURNAL_HEADER + cut.index(bytes.len() - JOURNAL_HEADER + 1);
            let read = read_journal(&bytes[..cut]).unwrap();
            prop_assert_eq!(&read.changes[..], &changes[..read.changes.len()]);
        }
    }
}
