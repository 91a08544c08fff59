//! `rasd watch`: saved searches (`saved`) that report the articles they have not reported
//! before, and what each one has seen (`state`).
//!
//! A run of a saved search collects the articles its query and filters match, with the hash
//! of their text, keeps those it has not seen with that hash, groups them into stories, and
//! searches again only for the articles it shows for their hits (snippets and all): one per
//! story, its other copies only named. The searches of one run ([`check_all`]) share a
//! [`Reading`]: an article that many of them match is read and hashed once; and they share
//! an [`ArticleCache`]: an article that many of them show is read and analyzed for its
//! snippets once. They run in parallel, and what they found is returned in their order, so
//! that the output does not depend on which finished first. The caller prints the hits,
//! then records them ([`WatchState::remember`]) and saves the state: a run killed before the
//! save reports the same articles again, never fewer.
//!
//! Reading and hashing every match at every run would cost as much as the matches, however
//! few are new. tantivy's segments never change once written (a deletion only hides
//! documents), so the matches in a segment that the last run read are known, as long as the
//! query searches the same terms: a run searches only the segments new since the last one
//! (what re-indexing added, and what a merge rewrote). A query whose terms changed (a new
//! proclitic form found in the index, new aliases) reads them all again.
//!
//! Copies of one story are one alert (unless the run does not collapse): the new articles are
//! grouped as `rasd search` groups its hits ([`crate::search::collapse::Stories`]), after the
//! stories the search reported before, so that a later copy of a reported story joins that
//! story and is named as its copy instead of reported as news.
//!
//! The read side only: the indexer knows nothing of saved searches; the CLI runs them after
//! an indexing job (`rasd index --watch`).

mod journal;
pub mod saved;
pub mod state;

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::schema::Value;
use tantivy::{DateTime, DocAddress, Score, Searcher, SegmentOrdinal, TantivyDocument};

use crate::analysis::signature::Signature;
use crate::error::{Context, Error};
use crate::search::collapse::{Signatures, Stories};
use crate::search::{
    self, ArticleCache, Copy, Hit, QueryOptions, SearchRequest, SearchResults, SortOrder, Tier,
    Vocabulary,
};
use crate::store::RasdIndex;
use crate::store::layout::{Layout, WATCHES};
pub use saved::{SavedSearch, Watches};
pub use state::{ReportedStory, SearchState, Seen, WatchState, content_hash};

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

/// An article that saved searches matched, as read from the index once for all of them.
#[derive(Debug)]
struct Stored {
    id: String,
    /// Its title and body's [`content_hash`].
    hash: String,
    /// Its date as indexed: new articles are ordered as `rasd search --sort date` orders them.
    date: Option<DateTime>,
    source: Option<String>,
    signature: Signature,
}

impl Stored {
    /// The article as a copy named under a story.
    fn copy(&self) -> Copy {
        Copy {
            id: self.id.clone(),
            source: self.source.clone(),
            date: self.date.map(|d| d.into_utc().date().to_string()),
        }
    }
}

/// What the saved searches of one run share: the index as it is now, and the articles they
/// matched in it, each read from the document store and hashed once, however many of the
/// searches match it (a new article about a common subject matches dozens).
pub struct Reading<'a> {
    index: &'a RasdIndex,
    searcher: Searcher,
    signatures: Signatures,
    articles: HashMap<DocAddress, Stored>,
}

impl<'a> Reading<'a> {
    /// Begins reading `index` as its last commit left it.
    pub fn new(index: &'a RasdIndex) -> Result<Reading<'a>, Error> {
        let searcher = index.searcher()?;
        Ok(Reading {
            index,
            signatures: Signatures::new(&searcher)?,
            searcher,
            articles: HashMap::new(),
        })
    }

    /// Reads the articles at `addresses` not read yet, in parallel runs of neighbours in the
    /// order of the document store: each of its blocks is decompressed once. What could be
    /// read is kept even when an article could not be: the first such error is returned.
    fn read(&mut self, addresses: impl Iterator<Item = DocAddress>) -> Result<(), Error> {
        let mut missing: Vec<DocAddress> = addresses
            .filter(|a| !self.articles.contains_key(a))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let this = &*self;
        let read: Vec<Vec<Result<(DocAddress, Stored), Error>>> = missing
            .par_chunks(READ_TOGETHER)
            .map(|run| {
                run.iter()
                    .map(|address| Ok((*address, this.read_one(*address)?)))
                    .collect()
            })
            .collect();
        let mut failed = Ok(());
        for outcome in read.into_iter().flatten() {
            match outcome {
                Ok((address, stored)) => {
                    self.articles.insert(address, stored);
                }
                Err(error) if failed.is_ok() => failed = Err(error),
                Err(_) => {}
            }
        }
        failed
    }

    /// Reads and hashes the article at `address`.
    fn read_one(&self, address: DocAddress) -> Result<Stored, Error> {
        let index = self.index;
        let doc: TantivyDocument = self
            .searcher
            .doc(address)
            .context(|| "cannot read a stored article".to_string())?;
        let text = |name: &str| {
            doc.get_first(index.field(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let (title, body) = (text("title"), text("body"));
        Ok(Stored {
            id: text("id").unwrap_or_default(),
            hash: content_hash(
                title.as_deref().unwrap_or_default(),
                body.as_deref().unwrap_or_default(),
            ),
            date: doc
                .get_first(index.field("date"))
                .and_then(|v| v.as_datetime()),
            source: text("source"),
            signature: self.signatures.of(address),
        })
    }

    /// The matches of a search whose segments were searched, read.
    fn read_matches(&mut self, searched: Searched) -> Result<Matches, Error> {
        self.read(searched.found.iter().map(|(address, _)| *address))?;
        let articles = searched
            .found
            .iter()
            .map(|(address, _)| {
                let stored = &self.articles[address];
                (stored.id.clone(), stored.hash.clone())
            })
            .collect();
        Ok(Matches {
            articles,
            found: searched.found,
            planned: searched.planned,
            segments: searched.segments,
        })
    }
}

/// How many neighbouring articles one thread reads in a row ([`Reading::read`]): enough
/// that the blocks of the document store they share are decompressed once.
const READ_TOGETHER: usize = 256;

/// What a search found in the segments it searched, before the articles are read.
struct Searched {
    /// Where each match is, and its score for the query (when scored).
    found: Vec<(DocAddress, Score)>,
    /// The hash of the query as planned against the index.
    planned: String,
    /// The index's segments: those read, and those whose matches were known.
    segments: Vec<String>,
}

/// The articles a saved search matches in some segments of the index.
#[derive(Debug)]
pub struct Matches {
    /// Each article's id and content hash ([`content_hash`]).
    pub articles: Vec<(String, String)>,
    /// Where each of `articles` is, and its score for the query (when scored).
    found: Vec<(DocAddress, Score)>,
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
/// Scored when `known` is given: its new articles are then ordered by date and relevance.
pub fn matches(
    reading: &mut Reading,
    search: &SavedSearch,
    known: Option<&SearchState>,
) -> Result<Matches, Error> {
    let searched = search_segments(reading, search, known)?;
    reading.read_matches(searched)
}

/// Where `search` matches, as the index is now, except in the segments whose matches `known`
/// holds already: what [`matches`] reads.
fn search_segments(
    reading: &Reading,
    search: &SavedSearch,
    known: Option<&SearchState>,
) -> Result<Searched, Error> {
    let index = reading.index;
    let searcher = &reading.searcher;
    let planned = search::query::parse_query(
        index,
        searcher,
        &search.query,
        QueryOptions::default(),
        Vocabulary::builtin(),
    )?;
    let query: Box<dyn Query> =
        match search::filters::filter_query(index, searcher, &search.filters)? {
            None => planned.strict,
            Some(filter) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, planned.strict),
                (Occur::Must, filter),
            ])),
        };
    // The query's terms, fields and structure, as tantivy describes them.
    let fingerprint = content_hash(&format!("{query:?}"), "");
    let scoring = match known {
        Some(_) => EnableScoring::enabled_from_searcher(searcher),
        None => EnableScoring::disabled_from_searcher(searcher),
    };
    let known: HashSet<&str> = match known {
        Some(state) if state.planned == fingerprint => {
            state.segments.iter().map(String::as_str).collect()
        }
        _ => HashSet::new(),
    };
    let segments = segment_ids(searcher);
    let failed = || format!("search failed on the index at {}", index.path.display());
    let weight = query.weight(scoring).context(failed)?;
    let mut found = Vec::new();
    // Only the segments new since the last run are searched at all.
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if known.contains(segments[ord].as_str()) {
            continue;
        }
        let alive = segment.alive_bitset();
        let ord = ord as SegmentOrdinal;
        weight
            .for_each(segment, &mut |doc, score| {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    found.push((DocAddress::new(ord, doc), score));
                }
            })
            .context(failed)?;
    }
    Ok(Searched {
        found,
        planned: fingerprint,
        segments,
    })
}

/// Newest first, equal dates by relevance, undated articles last: the order of `rasd search
/// --sort date`, which the alerts are shown in.
fn newest_first(reading: &Reading, new: &mut [(DocAddress, Score)]) {
    new.sort_by(|(a, a_score), (b, b_score)| {
        let (a_date, b_date) = (reading.articles[a].date, reading.articles[b].date);
        b_date
            .is_some()
            .cmp(&a_date.is_some())
            .then(b_date.cmp(&a_date))
            .then(b_score.total_cmp(a_score))
            .then(a.cmp(b))
    });
}

/// Runs the saved `searches`, each with the state of its last run (`None` before its first):
/// what each found, in their order, or why it failed; the others run all the same. The
/// searches are planned and search their new segments in parallel; every article they match
/// is read and hashed once for all of them; then their hits are made in parallel, each
/// article shown read and analyzed once however many of them show it. The articles each has
/// not reported, copies of one story as one alert and copies of a story reported before
/// apart when `collapse`.
pub fn check_all(
    reading: &mut Reading,
    searches: &[(&SavedSearch, Option<&SearchState>)],
    collapse: bool,
) -> Vec<Result<Found, Error>> {
    // New in the file, or changed: what the archive holds is no news.
    let states: Vec<Option<&SearchState>> = searches
        .iter()
        .map(|(search, state)| state.filter(|s| s.definition == search.definition()))
        .collect();
    let searched: Vec<Result<Searched, Error>> = {
        let reading = &*reading;
        searches
            .par_iter()
            .zip(&states)
            .map(|((search, _), state)| search_segments(reading, search, *state))
            .collect()
    };
    let everything = searched
        .iter()
        .flatten()
        .flat_map(|s| s.found.iter().map(|(address, _)| *address));
    // An article that cannot be read fails only the searches that match it: each search's
    // own read below meets it again, and finds the others read.
    let _ = reading.read(everything);
    let matched: Vec<Result<Matches, Error>> = searched
        .into_iter()
        .map(|searched| reading.read_matches(searched?))
        .collect();
    let reading = &*reading;
    let cache = ArticleCache::default();
    searches
        .par_iter()
        .zip(states)
        .zip(matched)
        .map(|(((search, _), state), matching)| {
            report(reading, &cache, search, state, matching?, collapse)
        })
        .collect()
}

/// What `search`, which has seen what `state` says (`None`: nothing yet, or its query or
/// filters changed), reports of its `matching` articles.
fn report(
    reading: &Reading,
    cache: &ArticleCache,
    search: &SavedSearch,
    state: Option<&SearchState>,
    matching: Matches,
    collapse: bool,
) -> Result<Found, Error> {
    let mut found = Found {
        name: search.name.clone(),
        results: SearchResults {
            hits: vec![],
            total: 0,
            words: 0,
            same_root: 0,
            partial: None,
            related: 0,
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
    // The same text under another id is no news either: a file moved or renamed (an article
    // without an id of its own is known by its path), a line inserted above it in a JSON Lines
    // file without ids, a reprint word for word. It is recorded as seen under its new id.
    // Built only when some article is new by its id: a run with nothing new, the usual one,
    // does not gather every text a search has seen.
    let mut texts = None;
    let (mut new, mut seen) = (vec![], vec![]);
    for (article, (id, hash)) in matching.found.into_iter().zip(matching.articles) {
        if state.seen.has(&id, &hash) {
            continue;
        }
        let texts = texts.get_or_insert_with(|| state.seen.texts());
        if !texts.contains(&state::keys(&id, &hash).1) {
            new.push(article);
        }
        seen.push((id, hash));
    }
    found.seen = seen;
    if new.is_empty() {
        return Ok(found);
    }
    newest_first(reading, &mut new);
    let grouped = match collapse {
        true => group(reading, &new, &state.reported),
        false => Grouped {
            stories: new.iter().map(|(address, _)| (*address, vec![])).collect(),
            copies_of_reported: vec![],
        },
    };
    // Only what is shown gets a hit, snippets and all: a copy is only named.
    let shown: Vec<DocAddress> = grouped
        .stories
        .iter()
        .map(|(head, _)| *head)
        .chain(grouped.copies_of_reported.iter().map(|(copy, _)| *copy))
        .collect();
    let mut filters = search.filters.clone();
    filters.ids = shown
        .iter()
        .map(|address| reading.articles[address].id.clone())
        .collect();
    let request = SearchRequest {
        query: search.query.clone(),
        limit: shown.len().min(search::MAX_LIMIT),
        filters,
        sort: SortOrder::Newest,
        all_words: true,
        ..SearchRequest::default()
    };
    let results = search::search_sharing(reading.index, &request, cache)?;
    found.results = SearchResults {
        total: new.len(),
        hits: vec![],
        ..results
    };
    let mut hits: HashMap<String, Hit> = results
        .hits
        .into_iter()
        .map(|hit| (hit.id.clone(), hit))
        .collect();
    // Every article named (shown, or as a copy) is seen; one the search did not return (more
    // than it returns at once) is left for the next run, which reads every segment again.
    let mut named = HashSet::new();
    for (head, copies) in &grouped.stories {
        let stored = &reading.articles[head];
        let Some(mut hit) = hits.remove(&stored.id) else {
            continue;
        };
        hit.copies = copies
            .iter()
            .map(|copy| reading.articles[copy].copy())
            .collect();
        named.extend(hit.copies.iter().map(|c| c.id.clone()));
        named.insert(hit.id.clone());
        if !stored.signature.is_empty() {
            let title = hit.title.text.clone();
            found
                .stories
                .push((hit.id.clone(), title, stored.signature));
        }
        found.results.hits.push(hit);
    }
    for (copy, story) in grouped.copies_of_reported {
        let Some(hit) = hits.remove(&reading.articles[&copy].id) else {
            continue;
        };
        let reported = &state.reported[story];
        named.insert(hit.id.clone());
        found.copies_of_reported.push(CopyOfReported {
            hit,
            story: story.clone(),
            title: reported.title.clone(),
            reported: reported.reported.clone(),
        });
    }
    if named.len() < found.seen.len() {
        found.seen.retain(|(id, _)| named.contains(id));
        found.planned.clear();
    }
    let alerts = found.results.hits.iter_mut();
    let copies = found.copies_of_reported.iter_mut().map(|c| &mut c.hit);
    for (rank, hit) in alerts.chain(copies).enumerate() {
        hit.rank = rank + 1;
    }
    Ok(found)
}

/// The new articles of one run, grouped for [`check`].
struct Grouped<'s> {
    /// Each new story: the article shown, and its other new copies.
    stories: Vec<(DocAddress, Vec<DocAddress>)>,
    /// The new copies of stories reported before, with the id of that story.
    copies_of_reported: Vec<(DocAddress, &'s String)>,
}

/// An article of the grouping in [`group`].
#[derive(Debug, Clone, Copy)]
enum Member {
    /// The n-th story reported at an earlier run.
    Reported(usize),
    /// A new article.
    New(DocAddress),
}

/// Groups the `new` articles, in their order, into stories as `rasd search` groups its
/// hits, after the stories `reported` before: a new copy of one of those is named as its
/// copy rather than reported.
fn group<'s>(
    reading: &Reading,
    new: &[(DocAddress, Score)],
    reported: &'s BTreeMap<String, ReportedStory>,
) -> Grouped<'s> {
    let ids: HashSet<&str> = new
        .iter()
        .map(|(address, _)| reading.articles[address].id.as_str())
        .collect();
    // An article reported before whose text changed is news again, not a copy of itself.
    let earlier: Vec<(&String, &ReportedStory)> = reported
        .iter()
        .filter(|(id, _)| !ids.contains(String::as_str(id)))
        .collect();
    // The stories reported before come first: a new copy joins them before any new story.
    let mut stories = Stories::default();
    for (n, (_, story)) in earlier.iter().enumerate() {
        stories.add(
            0.0,
            Member::Reported(n),
            Signature(story.signature),
            Tier::EveryWord,
        );
    }
    for (address, score) in new {
        let signature = reading.articles[address].signature;
        stories.add(*score, Member::New(*address), signature, Tier::EveryWord);
    }
    let mut grouped = Grouped {
        stories: vec![],
        copies_of_reported: vec![],
    };
    for story in stories.stories {
        let copies = story.copies.into_iter().filter_map(|m| match m {
            Member::New(address) => Some(address),
            Member::Reported(_) => None,
        });
        match story.head.1 {
            Member::Reported(n) => grouped
                .copies_of_reported
                .extend(copies.map(|copy| (copy, earlier[n].0))),
            Member::New(head) => grouped.stories.push((head, copies.collect())),
        }
    }
    grouped
}

impl WatchState {
    /// Carries the state of a saved search renamed by hand in the saved-searches file over to
    /// its new name: a search with no state of its own takes that of the one search with the
    /// same query and filters whose name the file no longer has. Otherwise the renamed search
    /// would start again, taking as seen what came since its last run under the old name.
    /// Gives each (old name, new name).
    pub fn follow_renames(&mut self, searches: &[SavedSearch]) -> Vec<(String, String)> {
        let named = |name: &str| searches.iter().any(|s| s.name == name);
        let mut renamed = Vec::new();
        for search in searches {
            if self.searches.contains_key(&search.name) {
                continue;
            }
            let definition = search.definition();
            let mut orphans = self
                .searches
                .iter()
                .filter(|(name, state)| !named(name) && state.definition == definition)
                .map(|(name, _)| name.clone());
            let (Some(old), None) = (orphans.next(), orphans.next()) else {
                continue;
            };
            let state = self.searches[&old].clone();
            self.insert(&search.name, state);
            self.remove(&old);
            renamed.push((old, search.name.clone()));
        }
        renamed
    }

    /// Records what a run of `search` found, at `now` (RFC 3339): call once its hits are
    /// printed, then [`WatchState::save`].
    pub fn remember(&mut self, search: &SavedSearch, found: Found, now: &str) {
        if found.started.is_some() {
            self.restart(&search.name, search.definition());
        }
        self.see(&search.name, &found.seen);
        let day = now.get(..10).unwrap_or(now);
        for (id, title, signature) in found.stories {
            let story = ReportedStory {
                title,
                reported: day.to_string(),
                signature: signature.0,
            };
            self.report(&search.name, id, story);
        }
        let entry = self.searches.entry(search.name.clone()).or_default();
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
    let matching = matches(&mut Reading::new(index)?, search, None)?;
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
    state.insert(&search.name, entry);
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
    if state.remove(name) {
        state.save(layout)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::schema::IndexSchema;

    fn article(id: &str, title: &str, body: &str) -> Article {
        Article {
            title: title.to_string(),
            ..Article::for_test(id, body)
        }
    }

    /// What `search` reports after `state`, run alone.
    fn check(
        reading: &mut Reading,
        search: &SavedSearch,
        state: Option<&SearchState>,
        collapse: bool,
    ) -> Result<Found, Error> {
        let mut found = check_all(reading, &[(search, state)], collapse);
        found.pop().expect("one search, one outcome")
    }

    /// What `search` reports, collapsed, on an index of `articles` after `state`.
    fn check_in(articles: &[Article], search: &SavedSearch, state: Option<&SearchState>) -> Found {
        check(
            &mut Reading::new(&index(articles)).unwrap(),
            search,
            state,
            true,
        )
        .unwrap()
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

        let found = check_in(&first, &search, None);
        assert_eq!((found.started, ids(&found)), (Some(1), vec![]));
        state.remember(&search, found, "t1");
        let entry = &state.searches["ports"];
        assert_eq!((entry.alerts, entry.seen.len()), (0, 1));

        // The same articles in another index (a rebuild): nothing new.
        let found = check_in(&first, &search, state.searches.get("ports"));
        assert_eq!((found.started, ids(&found)), (None, vec![]));

        // A new article, and a changed text that still matches.
        let second = [
            article("a", "ميناء طنجة", "حجز ثان في ميناء طنجة"),
            article("b", "هجوم", "اختراق"),
            article("c", "ميناء أكادير", "ميناء"),
        ];
        let found = check_in(&second, &search, state.searches.get("ports"));
        let mut reported = ids(&found);
        reported.sort_unstable();
        assert_eq!(reported, ["a", "c"]);
        state.remember(&search, found, "t2");
        assert_eq!(state.searches["ports"].alerts, 2);
        assert_eq!(state.searches["ports"].last_run.as_deref(), Some("t2"));
        let found = check_in(&second, &search, state.searches.get("ports"));
        assert!(found.results.hits.is_empty());

        // Its query changed: it starts again, keeping its count of alerts.
        let changed = SavedSearch::new("ports", "ميناء OR هجوم", Default::default());
        let found = check(
            &mut Reading::new(&index(&second)).unwrap(),
            &changed,
            state.searches.get("ports"),
            true,
        )
        .unwrap();
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
        let first = matches(&mut Reading::new(&index).unwrap(), &search, None).unwrap();
        assert_eq!(first.articles.len(), 2);
        let again = matches(&mut Reading::new(&index).unwrap(), &search, None).unwrap();
        assert_eq!(first.planned, again.planned);
        let state = SearchState {
            definition: search.definition(),
            seen: first.articles.iter().cloned().collect(),
            planned: first.planned.clone(),
            segments: first.segments.clone(),
            ..SearchState::default()
        };
        assert!(
            matches(&mut Reading::new(&index).unwrap(), &search, Some(&state))
                .unwrap()
                .articles
                .is_empty()
        );

        index
            .add_articles(&[article("c", "ميناء", "ميناء")])
            .unwrap();
        let later = matches(&mut Reading::new(&index).unwrap(), &search, Some(&state)).unwrap();
        let ids: Vec<&str> = later.articles.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["c"]);
        let found = check(
            &mut Reading::new(&index).unwrap(),
            &search,
            Some(&state),
            true,
        )
        .unwrap();
        assert_eq!(found.results.hits.len(), 1);

        // Another plan (here, other filters) reads every segment again.
        let stale = SearchState {
            planned: "other".into(),
            ..state
        };
        assert_eq!(
            matches(&mut Reading::new(&index).unwrap(), &search, Some(&stale))
                .unwrap()
                .articles
                .len(),
            3
        );
    }
}
