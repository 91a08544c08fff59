//! `rasd watch`: saved searches (`saved`) that report the articles they have not reported
//! before, and what each one has seen (`state`).
//!
//! A run of a saved search collects the articles its query and filters match, with the hash
//! of their text, keeps those it has not seen with that hash, and searches again only among
//! those for their hits (snippets and all). The caller prints the hits, then records them
//! ([`WatchState::remember`]) and saves the state: a run killed before the save reports the
//! same articles again, never fewer.
//!
//! Reading and hashing every match at every run would cost as much as the matches, however
//! few are new. tantivy's segments never change once written (a deletion only hides
//! documents), so the matches in a segment that the last run read are known, as long as the
//! query searches the same terms: a run reads only the matches in segments new since the last
//! one (what re-indexing added, and what a merge rewrote). A query whose terms changed (a new
//! proclitic form found in the index, new aliases) reads them all again.
//!
//! Copies of one story are one alert (unless the run does not collapse): the new articles are
//! grouped as `rasd search` groups its hits ([`crate::search::collapse::Stories`]), after the
//! stories the search reported before, so that a later copy of a reported story joins that
//! story and is named as its copy instead of reported as news.
//!
//! The read side only: the indexer knows nothing of saved searches; the CLI runs them after
//! an indexing job (`rasd index --watch`).

pub mod saved;
pub mod state;

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::analysis::signature::Signature;
use crate::error::{Context, Error};
use crate::search::collapse::{Signatures, Stories};
use crate::search::{
    self, Copy, Hit, QueryOptions, SearchRequest, SearchResults, SortOrder, Vocabulary,
};
use crate::store::RasdIndex;
use crate::store::layout::{Layout, WATCHES};
pub use saved::{SavedSearch, Watches};
pub use state::{ReportedStory, SearchState, WatchState, content_hash};

/// What one run of a saved search found.
#[derive(Debug)]
pub struct Found {
    /// The saved search's name.
    pub name: String,
    /// The articles it had not reported, as search hits, newest first: one per story when
    /// collapsing, its other new copies named in [`Hit::copies`].
    pub results: SearchResults,
    /// The new articles that are copies of stories it reported at earlier runs.
    pub copies_of_reported: Vec<CopyOfReported>,
    /// `Some(n)` when the search ran for the first time, or for the first time since its
    /// query or filters changed: its `n` matches were taken as seen, none reported.
    pub started: Option<usize>,
    /// The articles to record as seen: id and content hash.
    seen: Vec<(String, String)>,
    /// The stories to record as reported: the id, title and signature of the copy shown.
    stories: Vec<(String, String, Signature)>,
    /// What the run searched and where: see [`SearchState::planned`] and
    /// [`SearchState::segments`].
    planned: String,
    segments: Vec<String>,
}

/// A new article that is a copy of a story the saved search reported before.
#[derive(Debug)]
pub struct CopyOfReported {
    /// The copy, as a search hit.
    pub hit: Hit,
    /// The id of the copy the search showed, its title, and the day it was reported.
    pub story: String,
    pub title: String,
    pub reported: String,
}

/// The articles a saved search matches in some segments of the index.
#[derive(Debug)]
pub struct Matches {
    /// Each article's id and content hash ([`content_hash`]).
    pub articles: Vec<(String, String)>,
    /// Each article's story signature, by id (read from the index's fast fields).
    pub signatures: HashMap<String, Signature>,
    /// The hash of the query as planned against the index.
    planned: String,
    /// The index's segments: those read, and those whose matches were known.
    segments: Vec<String>,
}

/// The segments of `searcher`'s index, by their ids.
fn segment_ids(searcher: &Searcher) -> Vec<String> {
    searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id().uuid_string())
        .collect()
}

/// The id and content hash of every article that `search` matches, as the index is now,
/// except in the segments whose matches `known` (the state of its last run) holds already.
pub fn matches(
    index: &RasdIndex,
    search: &SavedSearch,
    known: Option<&SearchState>,
) -> Result<Matches, Error> {
    let searcher = index.searcher()?;
    let planned = search::query::parse_query(
        index,
        &searcher,
        &search.query,
        QueryOptions::default(),
        Vocabulary::builtin(),
    )?;
    let query: Box<dyn Query> =
        match search::filters::filter_query(index, &searcher, &search.filters)? {
            None => planned.strict,
            Some(filter) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, planned.strict),
                (Occur::Must, filter),
            ])),
        };
    // The query's terms, fields and structure, as tantivy describes them.
    let fingerprint = content_hash(&format!("{query:?}"), "");
    let known: HashSet<&str> = match known {
        Some(state) if state.planned == fingerprint => {
            state.segments.iter().map(String::as_str).collect()
        }
        _ => HashSet::new(),
    };
    let segments = segment_ids(&searcher);
    let failed = || format!("search failed on the index at {}", index.path.display());
    let mut addresses: Vec<_> = searcher
        .search(&query, &DocSetCollector)
        .context(failed)?
        .into_iter()
        .filter(|a| !known.contains(segments[a.segment_ord as usize].as_str()))
        .collect();
    // In the order of the document store: each of its blocks is read once.
    addresses.sort_unstable();
    let (id, title, body) = (index.field("id"), index.field("title"), index.field("body"));
    let stored = Signatures::new(&searcher)?;
    let mut articles = Vec::with_capacity(addresses.len());
    let mut signatures = HashMap::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher
            .doc(address)
            .context(|| "cannot read a stored article".to_string())?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let hash = content_hash(&text(title), &text(body));
        signatures.insert(text(id), stored.of(address));
        articles.push((text(id), hash));
    }
    Ok(Matches {
        articles,
        signatures,
        planned: fingerprint,
        segments,
    })
}

/// Runs `search`, which has seen what `state` says: the articles it has not reported, copies
/// of one story as one alert and copies of a story reported before apart when `collapse`.
pub fn check(
    index: &RasdIndex,
    search: &SavedSearch,
    state: Option<&SearchState>,
    collapse: bool,
) -> Result<Found, Error> {
    // New in the file, or changed: what the archive holds is no news.
    let state = state.filter(|s| s.definition == search.definition());
    let matching = matches(index, search, state)?;
    let mut found = Found {
        name: search.name.clone(),
        results: SearchResults {
            hits: vec![],
            total: 0,
            words: 0,
            partial: None,
            facets: vec![],
            stop_words: vec![],
            stories: None,
        },
        copies_of_reported: vec![],
        started: None,
        seen: vec![],
        stories: vec![],
        planned: matching.planned,
        segments: matching.segments,
    };
    let Some(state) = state else {
        found.started = Some(matching.articles.len());
        found.seen = matching.articles;
        return Ok(found);
    };
    found.seen = matching
        .articles
        .into_iter()
        .filter(|(id, hash)| state.seen.get(id) != Some(hash))
        .collect();
    if found.seen.is_empty() {
        return Ok(found);
    }
    let mut filters = search.filters.clone();
    filters.ids = found.seen.iter().map(|(id, _)| id.clone()).collect();
    let request = SearchRequest {
        query: search.query.clone(),
        limit: found.seen.len().min(search::MAX_LIMIT),
        filters,
        sort: SortOrder::Newest,
        all_words: true,
        ..SearchRequest::default()
    };
    found.results = search::search(index, &request)?;
    if found.seen.len() > request.limit {
        // More new articles than one search returns: only those shown are seen, and the next
        // run reads every segment again for the others.
        let shown: HashSet<&str> = found.results.hits.iter().map(|h| h.id.as_str()).collect();
        found.seen.retain(|(id, _)| shown.contains(id.as_str()));
        found.planned.clear();
    }
    if collapse {
        collapse_copies(&mut found, &matching.signatures, &state.reported);
    }
    found.stories = found
        .results
        .hits
        .iter()
        .filter_map(|hit| {
            let signature = matching.signatures.get(&hit.id)?;
            let title = hit.title.text.clone();
            (!signature.is_empty()).then(|| (hit.id.clone(), title, *signature))
        })
        .collect();
    Ok(found)
}

/// An article of the grouping in [`collapse_copies`].
#[derive(Debug, Clone, Copy)]
enum Member {
    /// The n-th story reported at an earlier run.
    Reported(usize),
    /// The n-th new article.
    New(usize),
}

/// Groups `found`'s new articles into stories, as `rasd search` groups its hits: one hit per
/// story, its other new copies named under it, and the copies of stories `reported` before
/// moved to [`Found::copies_of_reported`]. The hits are numbered again from 1.
fn collapse_copies(
    found: &mut Found,
    signatures: &HashMap<String, Signature>,
    reported: &BTreeMap<String, ReportedStory>,
) {
    let mut hits: Vec<Option<Hit>> = std::mem::take(&mut found.results.hits)
        .into_iter()
        .map(Some)
        .collect();
    let new: HashSet<&str> = hits.iter().flatten().map(|h| h.id.as_str()).collect();
    // An article reported before whose text changed is news again, not a copy of itself.
    let earlier: Vec<(&String, &ReportedStory)> = reported
        .iter()
        .filter(|(id, _)| !new.contains(String::as_str(id)))
        .collect();
    // The stories reported before come first: a new copy joins them before any new story.
    let mut stories = Stories::default();
    for (n, (_, story)) in earlier.iter().enumerate() {
        stories.add(0.0, Member::Reported(n), Signature(story.signature), false);
    }
    for (n, hit) in hits.iter().flatten().enumerate() {
        let signature = signatures.get(&hit.id).copied().unwrap_or_default();
        stories.add(hit.score, Member::New(n), signature, false);
    }
    let mut take = |n: usize| hits[n].take().expect("an article is in one story");
    for story in stories.stories {
        let copies = story.copies.into_iter().filter_map(|m| match m {
            Member::New(n) => Some(n),
            Member::Reported(_) => None,
        });
        match story.head.1 {
            Member::Reported(n) => {
                let (id, reported) = earlier[n];
                for copy in copies {
                    found.copies_of_reported.push(CopyOfReported {
                        hit: take(copy),
                        story: id.clone(),
                        title: reported.title.clone(),
                        reported: reported.reported.clone(),
                    });
                }
            }
            Member::New(n) => {
                let mut hit = take(n);
                hit.copies = copies
                    .map(|copy| {
                        let copy = take(copy);
                        Copy {
                            id: copy.id,
                            source: copy.meta.source,
                            date: copy.date,
                        }
                    })
                    .collect();
                found.results.hits.push(hit);
            }
        }
    }
    let alerts = found.results.hits.iter_mut();
    let copies = found.copies_of_reported.iter_mut().map(|c| &mut c.hit);
    for (rank, hit) in alerts.chain(copies).enumerate() {
        hit.rank = rank + 1;
    }
}

impl WatchState {
    /// Records what a run of `search` found, at `now` (RFC 3339): call once its hits are
    /// printed, then [`WatchState::save`].
    pub fn remember(&mut self, search: &SavedSearch, found: Found, now: &str) {
        let entry = self.searches.entry(search.name.clone()).or_default();
        if found.started.is_some() {
            *entry = SearchState {
                definition: search.definition(),
                alerts: entry.alerts,
                reported: std::mem::take(&mut entry.reported),
                ..SearchState::default()
            };
        }
        entry.seen.extend(found.seen);
        let day = now.get(..10).unwrap_or(now);
        for (id, title, signature) in found.stories {
            let story = ReportedStory {
                title,
                reported: day.to_string(),
                signature: signature.0,
            };
            entry.reported.insert(id, story);
        }
        entry.alerts += found.results.hits.len() as u64;
        entry.last_run = Some(now.to_string());
        entry.planned = found.planned;
        entry.segments = found.segments;
    }
}

/// Saves `search` in the index at `index`, whose folder's lock the caller holds. What the
/// archive holds now is taken as seen, unless `backfill`: then the first run reports it.
/// Returns the number of articles the search matches now. Fails on a name already used, and
/// on a query or filter the index cannot search.
pub fn add(
    index: &RasdIndex,
    layout: &Layout,
    search: &SavedSearch,
    backfill: bool,
) -> Result<usize, Error> {
    if let Some(problem) = saved::name_problem(&search.name) {
        return Err(Error::Usage(problem));
    }
    let watches = Watches::load(&layout.file(WATCHES))?;
    if watches.get(&search.name).is_ok() {
        return Err(Error::Usage(format!(
            "a saved search is already named `{}` (`rasd watch remove {0}` first)",
            search.name
        )));
    }
    if search.query.trim().is_empty() {
        return Err(Error::Query("the query is empty".to_string()));
    }
    let matching = matches(index, search, None)?;
    let count = matching.articles.len();
    // The state first: killed before the file is written, the entry is only unused.
    let mut state = WatchState::load(layout)?;
    let entry = if backfill {
        SearchState {
            definition: search.definition(),
            ..SearchState::default()
        }
    } else {
        SearchState {
            definition: search.definition(),
            seen: matching.articles.into_iter().collect(),
            planned: matching.planned,
            segments: matching.segments,
            ..SearchState::default()
        }
    };
    state.searches.insert(search.name.clone(), entry);
    state.save(layout)?;
    layout.write_whole(WATCHES, watches.text_with(search).as_bytes())?;
    Ok(count)
}

/// Removes the saved search `name` and what it has seen, from the index folder `layout`,
/// whose lock the caller holds.
pub fn remove(layout: &Layout, name: &str) -> Result<(), Error> {
    let watches = Watches::load(&layout.file(WATCHES))?;
    let text = watches.text_without(name)?;
    layout.write_whole(WATCHES, text.as_bytes())?;
    let mut state = WatchState::load(layout)?;
    if state.searches.remove(name).is_some() {
        state.save(layout)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Metadata};
    use crate::schema::IndexSchema;

    fn article(id: &str, title: &str, body: &str) -> Article {
        Article {
            id: id.to_string(),
            path: format!("/archive/{id}.txt"),
            title: title.to_string(),
            body: body.to_string(),
            date: None,
            meta: Metadata::default(),
        }
    }

    /// An index in memory holding `articles`.
    fn index(articles: &[Article]) -> RasdIndex {
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index.add_articles(articles).unwrap();
        index
    }

    fn ids(found: &Found) -> Vec<&str> {
        found.results.hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn a_search_reports_what_it_has_not_seen_with_this_text() {
        let search = SavedSearch::new("ports", "ميناء", Default::default());
        let first = [
            article("a", "ميناء طنجة", "حجز في ميناء طنجة"),
            article("b", "هجوم", "اختراق"),
        ];
        let mut state = WatchState::default();

        let found = check(&index(&first), &search, None, true).unwrap();
        assert_eq!((found.started, ids(&found)), (Some(1), vec![]));
        state.remember(&search, found, "t1");
        let entry = &state.searches["ports"];
        assert_eq!((entry.alerts, entry.seen.len()), (0, 1));

        // The same articles in another index (a rebuild): nothing new.
        let found = check(&index(&first), &search, state.searches.get("ports"), true).unwrap();
        assert_eq!((found.started, ids(&found)), (None, vec![]));

        // A new article, and a changed text that still matches.
        let second = [
            article("a", "ميناء طنجة", "حجز ثان في ميناء طنجة"),
            article("b", "هجوم", "اختراق"),
            article("c", "ميناء أكادير", "ميناء"),
        ];
        let found = check(&index(&second), &search, state.searches.get("ports"), true).unwrap();
        let mut reported = ids(&found);
        reported.sort_unstable();
        assert_eq!(reported, ["a", "c"]);
        state.remember(&search, found, "t2");
        assert_eq!(state.searches["ports"].alerts, 2);
        assert_eq!(state.searches["ports"].last_run.as_deref(), Some("t2"));
        let found = check(&index(&second), &search, state.searches.get("ports"), true).unwrap();
        assert!(found.results.hits.is_empty());

        // Its query changed: it starts again, keeping its count of alerts.
        let changed = SavedSearch::new("ports", "ميناء OR هجوم", Default::default());
        let found = check(&index(&second), &changed, state.searches.get("ports"), true).unwrap();
        assert_eq!(found.started, Some(3));
        state.remember(&changed, found, "t3");
        assert_eq!(state.searches["ports"].alerts, 2);
        assert_eq!(state.searches["ports"].seen.len(), 3);
    }

    #[test]
    fn a_run_reads_only_the_segments_new_since_the_last_one() {
        // Proclitic forms, related forms and aliases: the plan must be the same every time.
        let search = SavedSearch::new(
            "s",
            "الميناء OR داعش OR \"طنجة المتوسط\"",
            Default::default(),
        );
        let index = index(&[
            article("a", "ميناء طنجة المتوسط", "حجز في الميناء"),
            article("b", "تنظيم داعش", "بالميناء"),
        ]);
        let first = matches(&index, &search, None).unwrap();
        assert_eq!(first.articles.len(), 2);
        let again = matches(&index, &search, None).unwrap();
        assert_eq!(first.planned, again.planned);
        let state = SearchState {
            definition: search.definition(),
            seen: first.articles.iter().cloned().collect(),
            planned: first.planned.clone(),
            segments: first.segments.clone(),
            ..SearchState::default()
        };
        assert!(
            matches(&index, &search, Some(&state))
                .unwrap()
                .articles
                .is_empty()
        );

        index
            .add_articles(&[article("c", "ميناء", "ميناء")])
            .unwrap();
        let later = matches(&index, &search, Some(&state)).unwrap();
        let ids: Vec<&str> = later.articles.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["c"]);
        let found = check(&index, &search, Some(&state), true).unwrap();
        assert_eq!(found.results.hits.len(), 1);

        // Another plan (here, other filters) reads every segment again.
        let stale = SearchState {
            planned: "other".into(),
            ..state
        };
        assert_eq!(
            matches(&index, &search, Some(&stale))
                .unwrap()
                .articles
                .len(),
            3
        );
    }
}
