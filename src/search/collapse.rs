//! Syndicated copies collapsed: the hits of a ranked list grouped into *stories*, each shown
//! once, by its best-ranked copy, with its other copies named under it.
//!
//! Two articles are copies when their story signatures say so
//! ([`crate::analysis::signature::are_copies`]); the signatures were stored when the articles
//! were indexed. Grouping walks the ranked list from the top: an article joins the first story
//! (in rank order) whose best-ranked copy it is a copy of, or starts a story. Pages count
//! stories, and every page walks from the top, so page 2 starts after the last story of
//! page 1 and a story never shows twice.
//!
//! The bound: a page walks the first [`window`] matches (four times the stories it needs, at
//! least [`MIN_WINDOW`]), more when they hold fewer stories than it needs. A page within the
//! first [`NAMED_BEYOND_WALK`] stories of a query with at most [`MATCHES_BEYOND_WALK`]
//! matches then also names the copies ranked below the walk (a reprint under a new title often
//! ranks far below its original): the pass that ranks the matches also lists them
//! ([`MatchList`]), then each is compared with the stories so far; other pages name only the
//! copies walked. The stories of all matches are counted only when the walk reached the last match
//! (see [`StoryCount`]).

use rustc_hash::{FxHashMap, FxHashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::statistics::ArticleStatistics;
use crate::analysis::signature::{PREFIX_WORDS, Signature, WORDS, are_copies};
use crate::error::{Context, Error};
use crate::schema::reserved;

/// The fewest matches a collapsed page walks: enough to name the copies of a first page's
/// stories, few enough to keep grouping well under a millisecond.
pub const MIN_WINDOW: usize = 200;

/// The most stories a page may need (offset + limit) for its copies ranked below the walk to
/// be looked for: the pass compares every match with each of these stories.
pub const NAMED_BEYOND_WALK: usize = 100;

/// The most matches a query may have for the copies ranked below the walk to be looked for:
/// the pass visits every match, which the ranking itself skips most of (on 200,000 generated
/// articles, a pass over 65,000 matches took 15 ms, three times the search).
pub const MATCHES_BEYOND_WALK: usize = 20_000;

/// The matches a page that needs `stories` stories (offset + limit) walks first.
pub(super) fn window(stories: usize) -> usize {
    stories.saturating_mul(4).max(MIN_WINDOW)
}

/// The story signatures of a searcher's segments, read from their fast fields.
pub struct Signatures {
    /// Per segment, the column of each `u64` of the signature.
    segments: Vec<Vec<Column<u64>>>,
}

/// The signature columns of one segment.
fn columns(segment: &SegmentReader) -> tantivy::Result<Vec<Column<u64>>> {
    (0..WORDS)
        .map(|i| segment.fast_fields().u64(&reserved::signature_field(i)))
        .collect()
}

/// The signature of document `doc` in a segment's `columns`; empty when it has none.
fn signature_in(columns: &[Column<u64>], doc: DocId) -> Signature {
    let mut words = [0; WORDS];
    for (word, column) in words.iter_mut().zip(columns) {
        *word = column.first(doc).unwrap_or(0);
    }
    Signature(words)
}

impl Signatures {
    /// Opens the signature columns of every segment of `searcher`.
    pub fn new(searcher: &Searcher) -> Result<Signatures, Error> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(columns)
            .collect::<tantivy::Result<Vec<_>>>()
            .context(|| "cannot read the story signatures".to_string())?;
        Ok(Signatures { segments })
    }

    /// The signature of the article at `address`; empty when it has none.
    pub fn of(&self, address: DocAddress) -> Signature {
        signature_in(&self.segments[address.segment_ord as usize], address.doc_id)
    }

    /// The first [`PREFIX_WORDS`] words of the signature at `address`, for
    /// [`Signature::prefix_agrees`].
    fn prefix(&self, address: DocAddress) -> [u64; PREFIX_WORDS] {
        let columns = &self.segments[address.segment_ord as usize];
        std::array::from_fn(|i| columns[i].first(address.doc_id).unwrap_or(0))
    }
}

/// One story of a ranked list: its best-ranked copy, shown, and the others. An article is
/// known by `A`: its address in the index, or what a caller numbers its articles by (saved
/// searches group their new articles and the stories they reported before).
#[derive(Debug, Clone)]
pub struct Story<A = DocAddress> {
    /// The best-ranked copy, with its score.
    pub head: (Score, A),
    /// Whether the head is a partial match (it then comes from the loosened query).
    pub partial: bool,
    signature: Signature,
    /// The other copies, best-ranked first.
    pub copies: Vec<A>,
}

/// The stories of a ranked list, in the order of their best-ranked copies.
#[derive(Debug)]
pub struct Stories<A = DocAddress> {
    pub stories: Vec<Story<A>>,
    /// The articles walked.
    pub walked: usize,
    /// The stories by each band of their best-ranked copy's signature: an article is compared
    /// only with the stories it shares a band with, so that a page of a million hits groups
    /// in linear time (see [`crate::analysis::signature::BANDS`] for what that misses). Each
    /// band names the first link of its chain in `links`.
    by_band: FxHashMap<u32, usize>,
    /// The chains of the stories of each band: a story, and the next link ([`END`] at the
    /// end). One list for all bands: a story's 32 bands cost no allocation each, which was
    /// most of the time a page of 200 matches took to group.
    links: Vec<(usize, usize)>,
}

/// The end of a chain of [`Stories::links`].
const END: usize = usize::MAX;

impl<A> Default for Stories<A> {
    fn default() -> Self {
        Stories {
            stories: Vec::new(),
            walked: 0,
            by_band: FxHashMap::default(),
            links: Vec::new(),
        }
    }
}

impl<A> Stories<A> {
    /// Adds the next article of the ranked list.
    pub fn add(&mut self, score: Score, address: A, signature: Signature, partial: bool) {
        self.walked += 1;
        if !signature.is_empty() {
            // The first story in rank order that it is a copy of.
            let mut story: Option<usize> = None;
            for band in signature.bands() {
                let mut link = self.by_band.get(&band).copied().unwrap_or(END);
                while link != END {
                    let (i, next) = self.links[link];
                    if story.is_none_or(|first| i < first)
                        && are_copies(&self.stories[i].signature, &signature)
                    {
                        story = Some(i);
                    }
                    link = next;
                }
            }
            if let Some(i) = story {
                self.stories[i].copies.push(address);
                return;
            }
            for band in signature.bands() {
                let next = self.by_band.insert(band, self.links.len()).unwrap_or(END);
                self.links.push((self.stories.len(), next));
            }
        }
        self.stories.push(Story {
            head: (score, address),
            partial,
            signature,
            copies: vec![],
        });
    }
}

impl Stories<DocAddress> {
    /// Names, under the first `stories` stories, their copies among `matches` (every match of
    /// `query`, listed while the walk was collected: [`MatchList`]) that the walk did not
    /// reach, best-ranked first. Each joins the first of those stories it is a copy of, as it
    /// would in a walk that reached it.
    pub(super) fn name_copies_beyond_walk(
        &mut self,
        statistics: &ArticleStatistics,
        query: &dyn Query,
        signatures: &Signatures,
        stories: usize,
        walked: &[(Score, DocAddress)],
        matches: &[DocAddress],
    ) -> Result<(), Error> {
        let heads: Vec<Signature> = self
            .stories
            .iter()
            .take(stories)
            .map(|s| s.signature)
            .collect();
        let walked: FxHashSet<DocAddress> = walked.iter().map(|(_, a)| *a).collect();
        let mut found = Vec::new();
        for address in matches {
            // Most matches are no copy of any story: a match is compared in full only with the
            // stories whose signature's first words pass the quick test with its own (by
            // chance, one in 16; comparing it with every story once one passed made half the
            // matches of a page of 10 compared ten times), and its signature is read whole
            // and looked up among the walked only then. A copy fails the quick test with its
            // story one time in 300 at most, and is then not named.
            let prefix = signatures.prefix(*address);
            let mut agreeing = heads
                .iter()
                .enumerate()
                .filter(|(_, h)| h.prefix_agrees(&prefix))
                .peekable();
            if agreeing.peek().is_none() || walked.contains(address) {
                continue;
            }
            let signature = signatures.of(*address);
            if let Some((story, _)) = agreeing.find(|(_, h)| are_copies(h, &signature)) {
                found.push((*address, story));
            }
        }
        // Scored only now: the list holds every match unscored, for the few copies it keeps.
        let addresses: Vec<DocAddress> = found.iter().map(|(address, _)| *address).collect();
        let scores = super::partial::scores(statistics, query, &addresses)?;
        let mut found: Vec<(Score, DocAddress, usize)> = found
            .into_iter()
            .zip(scores)
            .map(|((address, story), score)| (score, address, story))
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, address, story) in found {
            self.stories[story].copies.push(address);
        }
        Ok(())
    }
}

/// Lists the matches of a query, unscored, in the pass that ranks them: up to `limit` and
/// one more, enough to tell whether there are at most `limit` (then the list holds them all),
/// so that the copies ranked below a walk are looked for without searching again.
#[derive(Clone, Copy)]
pub(super) struct MatchList {
    pub limit: usize,
}

pub(super) struct SegmentMatchList {
    limit: usize,
    segment: SegmentOrdinal,
    found: Vec<DocAddress>,
}

impl Collector for MatchList {
    type Fruit = Vec<DocAddress>;
    type Child = SegmentMatchList;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatchList> {
        Ok(SegmentMatchList {
            limit: self.limit,
            segment,
            found: vec![],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<DocAddress> = segments.into_iter().flatten().collect();
        all.truncate(self.limit.saturating_add(1));
        Ok(all)
    }
}

impl SegmentCollector for SegmentMatchList {
    type Fruit = Vec<DocAddress>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.found.len() <= self.limit {
            self.found.push(DocAddress::new(self.segment, doc));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// The stories of every match of `query`, grouped in rank order as a walk that reached the
/// last match would group them, in the same ranking: what `rasd search --count` counts. One
/// pass over the matches that reads every signature, then a grouping by band.
pub(super) fn count_stories(
    statistics: &ArticleStatistics,
    query: &dyn Query,
) -> Result<StoryCount, Error> {
    let mut matches = statistics
        .search(query, &AllSignatures)
        .context(|| "the count of stories failed".to_string())?;
    matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut stories = Stories::default();
    for (score, address, signature) in matches {
        // Only the count is kept: no copy is named.
        stories.add(score, address, signature, false);
    }
    Ok(StoryCount {
        stories: stories.stories.len(),
        walked: stories.walked,
        exact: true,
    })
}

/// Collects every match with its score and signature.
struct AllSignatures;

struct SegmentSignatures {
    columns: Vec<Column<u64>>,
    segment: SegmentOrdinal,
    found: Vec<(Score, DocAddress, Signature)>,
}

impl Collector for AllSignatures {
    type Fruit = Vec<(Score, DocAddress, Signature)>;
    type Child = SegmentSignatures;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentSignatures> {
        Ok(SegmentSignatures {
            columns: columns(reader)?,
            segment,
            found: vec![],
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(segments.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentSignatures {
    type Fruit = Vec<(Score, DocAddress, Signature)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let signature = signature_in(&self.columns, doc);
        self.found
            .push((score, DocAddress::new(self.segment, doc), signature));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// How many stories the matching articles tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryCount {
    /// The stories among the articles walked.
    pub stories: usize,
    /// The articles walked, best first.
    pub walked: usize,
    /// Whether the walk reached the last article with every word: `stories` is then the
    /// number of stories of them all.
    pub exact: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature whose every hash is `n`: two different `n` agree on none.
    fn signature(n: u8) -> Signature {
        Signature([u64::from_ne_bytes([n; 8]); WORDS])
    }

    #[test]
    fn copies_join_the_first_story_they_belong_to() {
        let mut stories = Stories::default();
        let at = |doc| DocAddress::new(0, doc);
        stories.add(3.0, at(0), signature(1), false);
        stories.add(2.5, at(1), signature(2), false);
        stories.add(2.0, at(2), signature(1), false);
        stories.add(1.0, at(3), Signature::default(), true);
        stories.add(0.5, at(4), Signature::default(), true);
        assert_eq!(stories.walked, 5);
        let heads: Vec<u32> = stories.stories.iter().map(|s| s.head.1.doc_id).collect();
        assert_eq!(
            heads,
            [0, 1, 3, 4],
            "articles without a body are nobody's copy"
        );
        assert_eq!(stories.stories[0].copies, [at(2)]);
        assert!(stories.stories[2].partial);
    }

    #[test]
    fn the_window_grows_with_the_page() {
        assert_eq!(window(10), MIN_WINDOW);
        assert_eq!(window(100), 400);
        assert_eq!(window(usize::MAX), usize::MAX);
    }
}
