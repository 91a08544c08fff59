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

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, RowId};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::Tier;
use super::order;
use super::statistics::ArticleStatistics;
use crate::analysis::signature::{
    BANDS, FIRST_WORDS, FirstTest, MIN_COPY_SIMILARITY, QUICK_WORDS, QuickTests, Signature,
    StorySet, WORDS, are_copies,
};
use crate::error::{Context, Error};
use crate::schema::reserved;

/// The fewest matches a collapsed page walks: enough to name the copies of a first page's
/// stories, few enough to keep grouping well under a millisecond.
pub const MIN_WINDOW: usize = 200;

/// The most stories a page may need (offset + limit) for its copies ranked below the walk to
/// be looked for: the pass compares every match with each of these stories (no more than
/// [`QuickTests`] are made against).
pub const NAMED_BEYOND_WALK: usize = 100;
const _: () = assert!(NAMED_BEYOND_WALK <= QuickTests::MAX);

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
    /// Per segment, the column of the signatures.
    segments: Vec<SignatureColumn>,
}

/// The signature column of one segment: the [`WORDS`] `u64`s of every article's signature in
/// order, side by side, and none for a file's record. Reading a signature touches a page of
/// the column's index and one of its values, where a column per word touched eight: a search
/// process reads a few hundred, each page a fault in a mapped file, and at a million
/// articles one column took 0.6 to 0.7 times the CPU time of a frequent word's search.
struct SignatureColumn(Option<Column<u64>>);

impl SignatureColumn {
    /// The signature column of one segment; none in a segment of records alone.
    fn open(segment: &SegmentReader) -> tantivy::Result<SignatureColumn> {
        Ok(SignatureColumn(
            segment.fast_fields().column_opt(reserved::SIGNATURE)?,
        ))
    }

    /// The row of the first word of document `doc`'s signature, if it has one (all
    /// [`WORDS`] of it: the indexer writes whole signatures).
    fn row(&self, doc: DocId) -> Option<RowId> {
        let rows = self.0.as_ref()?.index.value_row_ids(doc);
        (rows.len() == WORDS).then_some(rows.start)
    }

    /// The signature of document `doc`; empty when it has none.
    fn signature(&self, doc: DocId) -> Signature {
        let mut words = [0; WORDS];
        if let (Some(row), Some(column)) = (self.row(doc), &self.0) {
            column.values.get_range(u64::from(row), &mut words);
        }
        Signature(words)
    }

    /// Word `word` of the signatures whose first words are at `rows`, into `values`.
    fn words_at(&self, rows: &[RowId], word: usize, at: &mut Vec<RowId>, values: &mut [u64]) {
        let Some(column) = &self.0 else {
            return;
        };
        at.clear();
        at.extend(rows.iter().map(|row| row + word as RowId));
        column.values.get_vals(at, values);
    }
}

impl Signatures {
    /// Opens the signature column of every segment of `searcher`.
    pub fn new(searcher: &Searcher) -> Result<Signatures, Error> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(SignatureColumn::open)
            .collect::<tantivy::Result<Vec<_>>>()
            .context(|| "cannot read the story signatures".to_string())?;
        Ok(Signatures { segments })
    }

    /// The signature of the article at `address`; empty when it has none.
    pub fn of(&self, address: DocAddress) -> Signature {
        self.segments[address.segment_ord as usize].signature(address.doc_id)
    }
}

/// One story of a ranked list: its best-ranked copy, shown, and the others. An article is
/// known by `A`: its address in the index, or what a caller numbers its articles by (saved
/// searches group their new articles and the stories they reported before).
#[derive(Debug, Clone)]
pub struct Story<A = DocAddress> {
    /// The best-ranked copy, with its score.
    pub head: (Score, A),
    /// How the head was found: with every word, as a partial match (from the loosened
    /// query) or as an article like the first hit.
    pub tier: Tier,
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
    /// The signatures of the signed stories (those whose best-ranked copy has one), in rank
    /// order, side by side: the comparisons read nothing else of a story.
    signatures: Vec<Signature>,
    /// The number in `stories` of each signed story.
    signed_stories: Vec<u32>,
    /// The first link of each band's chain: an article is compared only with the signed
    /// stories it shares a band of their signature with, so that a page of a million hits
    /// groups in linear time (see [`crate::analysis::signature::BANDS`] for what that misses).
    /// Link `n * BANDS + b` stands for band `b` of signed story `n`.
    by_band: BandHeads,
    /// The link after each link of a chain ([`END`] at the end): signed story `n`'s
    /// [`BANDS`] links side by side from `n * BANDS`. Counting the stories of 138,000 matches
    /// reads these chains and `signatures` at random, most reads missing the cache: chains of
    /// (story, next) pairs, each leading to a whole story, took the process to 271 MB (now 92).
    next: Vec<u32>,
    /// The signed stories an article shares a band with: a buffer, kept for the next article.
    candidates: Vec<u32>,
}

/// The end of a chain of [`Stories::next`].
const END: u32 = u32::MAX;

/// Every band key [`Signature::bands`] gives: a band's number (below [`BANDS`]) and its
/// 16-bit value.
const BAND_KEYS: usize = BANDS << 16;

/// The most articles whose stories are grouped with a map of band keys; from there on, a
/// table of every key ([`BandHeads::Many`]).
const FEW_ARTICLES: usize = 8_192;

/// The first link of the chain of each band key.
#[derive(Debug)]
enum BandHeads {
    /// The keys met so far: a page's walk meets a few thousand.
    Few(FxHashMap<u32, u32>),
    /// A table of all [`BAND_KEYS`] (8 MB): to count the stories of 138,000 matches, a map
    /// grew to 4.4 million keys, hashed at each look-up.
    Many(Vec<u32>),
}

impl BandHeads {
    fn first(&self, band: u32) -> u32 {
        match self {
            BandHeads::Few(map) => map.get(&band).copied().unwrap_or(END),
            BandHeads::Many(table) => table[band as usize],
        }
    }

    /// Makes `link` the first of band `band`'s chain; the link that was.
    fn push(&mut self, band: u32, link: u32) -> u32 {
        match self {
            BandHeads::Few(map) => map.insert(band, link).unwrap_or(END),
            BandHeads::Many(table) => std::mem::replace(&mut table[band as usize], link),
        }
    }
}

impl<A> Default for Stories<A> {
    fn default() -> Self {
        Stories::with_capacity(0)
    }
}

impl<A> Stories<A> {
    /// No stories yet, with room for those of `articles` articles, so that grouping them
    /// does not grow the band table step by step.
    pub fn with_capacity(articles: usize) -> Self {
        let by_band = if articles <= FEW_ARTICLES {
            let mut map = FxHashMap::default();
            map.reserve(articles * BANDS);
            BandHeads::Few(map)
        } else {
            BandHeads::Many(vec![END; BAND_KEYS])
        };
        Stories {
            stories: Vec::with_capacity(articles),
            walked: 0,
            signatures: Vec::with_capacity(articles),
            signed_stories: Vec::with_capacity(articles),
            by_band,
            next: Vec::with_capacity(articles * BANDS),
            candidates: Vec::new(),
        }
    }

    /// Adds the next article of the ranked list: a story of its own, or a copy of the first
    /// story it is a copy of (an article of [`Tier::Related`] or [`Tier::SameRoot`] only of a
    /// story of its tier: one that copies a story the query matched is left out).
    pub fn add(&mut self, score: Score, address: A, signature: Signature, tier: Tier) {
        self.walked += 1;
        if !signature.is_empty() {
            // The first signed story in rank order that it is a copy of. The stories sharing
            // a band are listed first, then compared: the comparisons do not wait on one
            // another, so their signatures are read from memory at once, where walking the
            // chains and comparing in turn waited for each (most share a band by chance:
            // 33 per article in the count of 138,000 stories). The stories linked are signed:
            // no need to ask `are_copies` whether either signature is empty.
            let mut candidates = std::mem::take(&mut self.candidates);
            candidates.clear();
            // The chains are walked side by side, a link of each at a time, for the same
            // reason.
            let mut links = [END; BANDS];
            for (link, band) in links.iter_mut().zip(signature.bands()) {
                *link = self.by_band.first(band);
            }
            while links.iter().any(|&link| link != END) {
                for link in links.iter_mut().filter(|link| **link != END) {
                    candidates.push(*link / BANDS as u32);
                    *link = self.next[*link as usize];
                }
            }
            let first = candidates
                .iter()
                .filter(|&&n| {
                    self.signatures[n as usize].similarity(&signature) >= MIN_COPY_SIMILARITY
                })
                .min()
                .map(|&n| n as usize);
            self.candidates = candidates;
            if let Some(n) = first {
                let story = &mut self.stories[self.signed_stories[n] as usize];
                // An article like the first hit (or with words of the same root only) that
                // is a copy of a story the query matched is that story again, already shown;
                // counted among its copies, it would pass for one that matched.
                let joins = match tier {
                    Tier::Related | Tier::SameRoot => story.tier == tier,
                    Tier::EveryWord | Tier::Partial => true,
                };
                if joins {
                    story.copies.push(address);
                }
                return;
            }
            let n = self.signatures.len();
            for (b, band) in signature.bands().enumerate() {
                let link = u32::try_from(n * BANDS + b).expect("fewer than 2^32 / BANDS stories");
                self.next.push(self.by_band.push(band, link));
            }
            self.signatures.push(signature);
            let story = u32::try_from(self.stories.len()).expect("fewer than 2^32 stories");
            self.signed_stories.push(story);
        }
        self.stories.push(Story {
            head: (score, address),
            tier,
            signature,
            copies: vec![],
        });
    }
}

impl Stories<DocAddress> {
    /// Names, under the first `stories` stories, their copies among `matches` (every match of
    /// the query with its score, listed while the walk was collected: [`MatchList`]) that the
    /// walk did not reach, best-ranked first. Each joins the first of those stories it is a
    /// copy of, as it would in a walk that reached it.
    pub(super) fn name_copies_beyond_walk(
        &mut self,
        searcher: &Searcher,
        signatures: &Signatures,
        stories: usize,
        walked: &[(Score, DocAddress)],
        matches: &[(Score, DocAddress)],
    ) -> Result<(), Error> {
        let heads: Vec<Signature> = self
            .stories
            .iter()
            .take(stories)
            .map(|s| s.signature)
            .collect();
        let mut finder = CopyFinder {
            tests: QuickTests::new(&heads),
            heads,
            walked: walked.iter().map(|(_, a)| *a).collect(),
            buffers: Buffers::default(),
            found: vec![],
        };
        for segment in matches.chunk_by(|a, b| a.1.segment_ord == b.1.segment_ord) {
            let column = &signatures.segments[segment[0].1.segment_ord as usize];
            for block in segment.chunks(BLOCK) {
                finder.find(column, block);
            }
        }
        let mut found = finder.found;
        order::sort_by_score(searcher, &mut found, |&(score, address, _)| {
            (score, address)
        })
        .context(|| "cannot rank the copies of a story".to_string())?;
        for (_, address, story) in found {
            self.stories[story].copies.push(address);
        }
        Ok(())
    }
}

/// The matches [`CopyFinder`] reads at a time: its buffers, reused, stay in the cache.
const BLOCK: usize = 256;

/// Looks for copies of some stories among matches ranked below the walk.
///
/// Most matches are no copy of any story. A match's signature is read a few words at a time,
/// in a batch per column, and only those that pass the quick tests with some story read more
/// ([`QuickTests`]). A copy fails the tests one time in 300 at most, and is then not named.
struct CopyFinder {
    /// The stories' best-ranked copies' signatures, in rank order.
    heads: Vec<Signature>,
    tests: QuickTests,
    /// The matches the walk grouped already.
    walked: FxHashSet<DocAddress>,
    buffers: Buffers,
    /// The copies found: score, address, story.
    found: Vec<(Score, DocAddress, usize)>,
}

/// What [`CopyFinder`] reads a block of matches into.
#[derive(Default)]
struct Buffers {
    /// The documents of the block that have a signature, and their first words' rows.
    signed: Vec<DocId>,
    rows: Vec<RowId>,
    /// For each of `signed`: its match in the block, its signature's words read so far, what
    /// the first quick test found, and the stories that passed both.
    matches: Vec<usize>,
    words: Vec<[u64; WORDS]>,
    first: Vec<FirstTest>,
    stories: Vec<StorySet>,
    /// The indexes (into `signed`) of those still possibly copies.
    kept: Vec<usize>,
    kept_rows: Vec<RowId>,
    /// `kept_rows` moved to one word of the signatures.
    word_rows: Vec<RowId>,
    values: Vec<u64>,
}

impl CopyFinder {
    /// Adds the copies among `block`, matches of the segment of `column` in document order.
    fn find(&mut self, column: &SignatureColumn, block: &[(Score, DocAddress)]) {
        let b = &mut self.buffers;
        b.start(column, block);
        b.read_words(column, 0..FIRST_WORDS);
        for &i in &b.kept {
            let first = b.words[i][..FIRST_WORDS]
                .try_into()
                .expect("the first words");
            b.first[i] = self.tests.first(first);
        }
        b.kept.retain(|&i| b.first[i].passed != 0);
        b.read_words(column, FIRST_WORDS..QUICK_WORDS);
        for &i in &b.kept {
            let words = b.words[i][..QUICK_WORDS]
                .try_into()
                .expect("the quick words");
            b.stories[i] = self.tests.second(b.first[i], words);
        }
        let walked = &self.walked;
        b.kept
            .retain(|&i| b.stories[i] != 0 && !walked.contains(&block[b.matches[i]].1));
        b.read_words(column, QUICK_WORDS..WORDS);
        for &i in &b.kept {
            let signature = Signature(b.words[i]);
            // The first story in rank order that it is a copy of.
            let story = (0..self.heads.len())
                .filter(|&story| b.stories[i] >> story & 1 != 0)
                .find(|&story| are_copies(&self.heads[story], &signature));
            if let Some(story) = story {
                let (score, address) = block[b.matches[i]];
                self.found.push((score, address, story));
            }
        }
    }
}

impl Buffers {
    /// Finds the rows of the matches of `block` that have a signature, all kept, no word read.
    fn start(&mut self, column: &SignatureColumn, block: &[(Score, DocAddress)]) {
        self.signed.clear();
        self.rows.clear();
        self.matches.clear();
        for (position, (_, address)) in block.iter().enumerate() {
            if let Some(row) = column.row(address.doc_id) {
                self.signed.push(address.doc_id);
                self.rows.push(row);
                self.matches.push(position);
            }
        }
        self.words.clear();
        self.words.resize(self.signed.len(), [0; WORDS]);
        self.first.clear();
        self.first.resize(self.signed.len(), FirstTest::default());
        self.stories.clear();
        self.stories.resize(self.signed.len(), 0);
        self.kept.clear();
        self.kept.extend(0..self.signed.len());
    }

    /// Reads the signature words `words` of the matches kept, a word at a time (one call per
    /// word rather than one per value).
    fn read_words(&mut self, column: &SignatureColumn, words: std::ops::Range<usize>) {
        self.kept_rows.clear();
        self.kept_rows
            .extend(self.kept.iter().map(|&i| self.rows[i]));
        self.values.resize(self.kept_rows.len(), 0);
        for word in words {
            column.words_at(&self.kept_rows, word, &mut self.word_rows, &mut self.values);
            for (&i, value) in self.kept.iter().zip(&self.values) {
                self.words[i][word] = *value;
            }
        }
    }
}

/// Lists the matches of a query with their scores, in the pass that ranks them: up to `limit`
/// and one more, enough to tell whether there are at most `limit` (then the list holds them
/// all), so that the copies ranked below a walk are looked for, and ordered, without
/// searching or scoring again.
#[derive(Clone, Copy)]
pub(super) struct MatchList {
    pub limit: usize,
}

pub(super) struct SegmentMatchList {
    limit: usize,
    segment: SegmentOrdinal,
    found: Vec<(Score, DocAddress)>,
}

impl Collector for MatchList {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentMatchList;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatchList> {
        // Room for the whole list at once: grown by doubling, its copies and the pages they
        // touch were a sixth of a new search process's page faults.
        let room = self.limit.saturating_add(1).min(reader.max_doc() as usize);
        Ok(SegmentMatchList {
            limit: self.limit,
            segment,
            found: Vec::with_capacity(room),
        })
    }

    /// The pass that ranks the matches scores them anyway.
    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        // Extends the first segment's list rather than copying it: most indexes are one
        // merged segment, whose list is then returned as it is.
        let mut segments = segments.into_iter();
        let mut all = segments.next().unwrap_or_default();
        for segment in segments {
            all.extend(segment);
        }
        all.truncate(self.limit.saturating_add(1));
        Ok(all)
    }
}

impl SegmentCollector for SegmentMatchList {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.found.len() <= self.limit {
            self.found.push((score, DocAddress::new(self.segment, doc)));
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
    // In the order of a page's walk, which groups copies in rank order.
    order::sort_by_score(
        statistics.searcher(),
        &mut matches,
        |&(score, address, _)| (score, address),
    )
    .context(|| "the count of stories failed".to_string())?;
    let signatures: Vec<Signature> = matches.iter().map(|(_, _, signature)| *signature).collect();
    // Few matches are grouped at once either way; the sorts by band cost more than that.
    let by_pairs = (signatures.len() > FEW_ARTICLES)
        .then(|| count_by_pairs(&signatures, true))
        .flatten();
    let stories = match by_pairs {
        Some(stories) => stories,
        None => {
            let mut stories = Stories::with_capacity(matches.len());
            for (score, address, signature) in matches {
                // Only the count is kept: no copy is named.
                stories.add(score, address, signature, Tier::EveryWord);
            }
            stories.stories.len()
        }
    };
    Ok(StoryCount {
        stories,
        walked: signatures.len(),
        exact: true,
    })
}

/// The most pairs of articles with the same value in the first band for [`count_by_pairs`]
/// to count the stories of `signed` signed articles: twice what a band of
/// 16 bits gives by chance, and one per 16 articles. More come from copies, which share most
/// of their bands: where copies are many, comparing every pair costs more than comparing each
/// article with the stories before it, which are few ([`Stories::add`]). Measured on
/// generated articles (first-band pairs ÷ chance's): 1.07 with no copies and 1.22 with one
/// story in ten reprinted (comparing pairs took 0.3× and 0.4× the walk's time), 3.4 and 13
/// with four copies per story (1.2× to 1.8× the walk's time: left to it).
fn first_band_budget(signed: usize) -> usize {
    2 * (signed * signed / (2 << 16)) + signed / 16
}

/// The number of stories that `signatures`, in rank order, tell, as [`Stories::add`] groups
/// them (an article is a copy when some earlier story's best-ranked copy shares a band with it
/// and is similar enough; an unsigned article is a story of its own), found another way: per
/// band, the articles are sorted by its value and every pair with the same value compared,
/// the bands side by side on rayon's threads; then each article, in rank order, starts a story
/// unless it is similar to an earlier article that started one. `None`, when `limited`, if the
/// first band has more pairs than [`first_band_budget`]: copies are many.
///
/// Looking each article's bands up among the stories before it, in turn, compared it with 37
/// stories on average at 142,000 matches (two different stories share one of the 32 bands
/// once in 2,000 pairs), each a random read of the band chains and of a signature: a count of
/// a frequent word took a second. Here the same comparisons read the signatures band by band.
/// An article whose signature repeats an earlier one is a copy, as that one's story or that
/// one is its story, and is not compared at all.
fn count_by_pairs(signatures: &[Signature], limited: bool) -> Option<usize> {
    let value =
        |n: u32, band: usize| (signatures[n as usize].0[band / 4] >> (band % 4 * 16)) as u16;
    // The articles of `of` in order of a band's value, then of rank (a counting sort), and
    // where each value's run starts.
    let sorted = |of: &[u32], band: usize| {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for &n in of {
            starts[usize::from(value(n, band)) + 1] += 1;
        }
        for v in 1..starts.len() {
            starts[v] += starts[v - 1];
        }
        let mut order = vec![0u32; of.len()];
        for &n in of {
            let at = &mut starts[usize::from(value(n, band))];
            order[*at as usize] = n;
            *at += 1;
        }
        // Each value's run now starts where the one before ends.
        starts.rotate_right(1);
        starts[0] = 0;
        (starts, order)
    };
    let pairs_in = |runs: &[u32]| -> usize {
        runs.windows(2)
            .map(|w| {
                let k = (w[1] - w[0]) as usize;
                k * k.saturating_sub(1) / 2
            })
            .sum()
    };
    // The first band of the signed articles tells, at a 32nd of the cost, whether copies
    // are many.
    let signed: Vec<u32> = (0..signatures.len() as u32)
        .filter(|&n| !signatures[n as usize].is_empty())
        .collect();
    if limited && pairs_in(&sorted(&signed, 0).0) > first_band_budget(signed.len()) {
        return None;
    }
    // The first article of each signature, the others being copies.
    let mut first_of: FxHashMap<&Signature, u32> = FxHashMap::default();
    let distinct: Vec<u32> = (signed.into_iter())
        .filter(|&n| *first_of.entry(&signatures[n as usize]).or_insert(n) == n)
        .collect();
    let bands: Vec<(Vec<u32>, Vec<u32>)> = (0..BANDS)
        .into_par_iter()
        .map(|band| sorted(&distinct, band))
        .collect();
    // The similar pairs, (later, earlier), each once, in any order.
    let mut similar: Vec<(u32, u32)> = bands
        .par_iter()
        .enumerate()
        .flat_map_iter(|(band, (runs, order))| {
            runs.windows(2)
                .filter(|w| w[1] - w[0] > 1)
                .flat_map(move |w| {
                    let run = &order[w[0] as usize..w[1] as usize];
                    run.iter().enumerate().flat_map(move |(i, &later)| {
                        run[..i].iter().filter_map(move |&earlier| {
                            let (a, b) =
                                (&signatures[earlier as usize], &signatures[later as usize]);
                            // Found in the first band they share only.
                            let found = are_copies(a, b) && first_shared_band(a, b) == Some(band);
                            found.then_some((later, earlier))
                        })
                    })
                })
        })
        .collect();
    similar.sort_unstable();
    let mut starts_story = vec![false; signatures.len()];
    let mut stories = 0;
    let mut pairs = similar.iter().peekable();
    for n in 0..signatures.len() as u32 {
        let signature = &signatures[n as usize];
        let mut is_copy = !signature.is_empty() && first_of[signature] != n;
        while let Some(&&(later, earlier)) = pairs.peek()
            && later == n
        {
            is_copy |= starts_story[earlier as usize];
            pairs.next();
        }
        if !is_copy {
            starts_story[n as usize] = true;
            stories += 1;
        }
    }
    Some(stories)
}

/// The first band (in the order of [`Signature::bands`]) in which two signatures have the
/// same value, if any.
fn first_shared_band(a: &Signature, b: &Signature) -> Option<usize> {
    a.0.iter().zip(b.0).enumerate().find_map(|(word, (a, b))| {
        let x = a ^ b;
        (0..4)
            .find(|lane| x >> (lane * 16) & 0xFFFF == 0)
            .map(|lane| word * 4 + lane)
    })
}

/// Collects every match with its score and signature.
struct AllSignatures;

struct SegmentSignatures {
    column: SignatureColumn,
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
            column: SignatureColumn::open(reader)?,
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
        let signature = self.column.signature(doc);
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
        stories.add(3.0, at(0), signature(1), Tier::EveryWord);
        stories.add(2.5, at(1), signature(2), Tier::EveryWord);
        stories.add(2.0, at(2), signature(1), Tier::EveryWord);
        stories.add(1.0, at(3), Signature::default(), Tier::Partial);
        stories.add(0.5, at(4), Signature::default(), Tier::Partial);
        assert_eq!(stories.walked, 5);
        let heads: Vec<u32> = stories.stories.iter().map(|s| s.head.1.doc_id).collect();
        assert_eq!(
            heads,
            [0, 1, 3, 4],
            "articles without a body are nobody's copy"
        );
        assert_eq!(stories.stories[0].copies, [at(2)]);
        assert_eq!(stories.stories[2].tier, Tier::Partial);
    }

    #[test]
    fn an_article_like_the_first_hit_is_no_copy_of_a_story_that_matched() {
        let mut stories = Stories::default();
        let at = |doc| DocAddress::new(0, doc);
        stories.add(3.0, at(0), signature(1), Tier::EveryWord);
        stories.add(2.0, at(1), signature(1), Tier::Partial);
        stories.add(1.0, at(2), signature(1), Tier::Related);
        stories.add(0.9, at(3), signature(2), Tier::Related);
        stories.add(0.8, at(4), signature(2), Tier::Related);
        let heads: Vec<u32> = stories.stories.iter().map(|s| s.head.1.doc_id).collect();
        assert_eq!(heads, [0, 3], "the copy of the first hit is left out");
        assert_eq!(
            stories.stories[0].copies,
            [at(1)],
            "a partial match is a copy"
        );
        assert_eq!(stories.stories[1].copies, [at(4)]);
    }

    #[test]
    fn a_signature_is_read_whole_and_in_order_after_a_merge() {
        use crate::article::Article;
        use crate::schema::IndexSchema;
        use crate::store::RasdIndex;

        let body = |n: usize| {
            (0..40)
                .map(|i| format!("كلمة{} خبر{}", (i * 7 + n) % 13, i))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let articles: Vec<Article> = (0..5)
            // Article 4 is too short to sign.
            .map(|n| {
                Article::for_test(
                    &format!("a{n}"),
                    &if n == 4 { "قصير".into() } else { body(n) },
                )
            })
            .collect();
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index.add_articles(&articles[..2]).unwrap();
        index.add_file_record(2);
        index.add_articles(&articles[2..]).unwrap();
        // What the indexer signed, by article id.
        let mut signer = crate::analysis::signature::Signer::new(&index.schema.word_lists);
        let signed: FxHashMap<String, Signature> = articles
            .iter()
            .map(|a| (a.id.clone(), signer.sign(&a.body)))
            .collect();
        assert!(
            signed.values().any(|s| !s.0.is_sorted()),
            "a signature whose words a sorted column would reorder"
        );
        assert_eq!(signed.values().filter(|s| s.is_empty()).count(), 1);
        assert_eq!(read_back_merged(&index), signed);
    }

    /// Merges the segments of `index` into one (a file's record among the articles is a
    /// document without a signature, so that rows are not document numbers times the words),
    /// then reads every article's signature back, one at a time and in batches as the look
    /// for copies below the walk reads them, which must agree; by article id.
    fn read_back_merged(index: &crate::store::RasdIndex) -> FxHashMap<String, Signature> {
        let mut writer: tantivy::IndexWriter =
            index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let segments = index.index.searchable_segment_ids().unwrap();
        if segments.len() > 1 {
            writer.merge(&segments).wait().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        let searcher = index.searcher().unwrap();
        assert_eq!(searcher.segment_readers().len(), 1);
        let signatures = Signatures::new(&searcher).unwrap();
        let id_field = index.field("id");
        let mut by_id = FxHashMap::default();
        let reader = &searcher.segment_readers()[0];
        let matches: Vec<(Score, DocAddress)> = (0..reader.max_doc())
            .map(|doc| (1.0, DocAddress::new(0, doc)))
            .collect();
        let mut buffers = Buffers::default();
        buffers.start(&signatures.segments[0], &matches);
        buffers.read_words(&signatures.segments[0], 0..WORDS);
        for (position, &(_, address)) in matches.iter().enumerate() {
            let stored: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let id = stored
                .get_first(id_field)
                .and_then(|v| tantivy::schema::Value::as_str(&v).map(str::to_string));
            let one = signatures.of(address);
            let batched = buffers.matches.iter().position(|&m| m == position);
            match id {
                Some(id) => {
                    let i = batched.expect("every article has a signature, empty or not");
                    assert_eq!(
                        Signature(buffers.words[i]),
                        one,
                        "document {}",
                        address.doc_id
                    );
                    by_id.insert(id, one);
                }
                // The record.
                None => assert!(one.is_empty() && batched.is_none()),
            }
        }
        by_id
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Any signatures, written in two commits with a record between them and merged,
        /// read back whole and in order.
        #[test]
        fn any_signatures_read_back_as_written(
            words in proptest::collection::vec(proptest::prelude::any::<[u64; WORDS]>(), 1..12),
            first_commit in 0usize..12,
        ) {
            use crate::article::Article;
            use crate::schema::IndexSchema;
            use crate::store::RasdIndex;

            let articles: Vec<(Article, Signature)> = words
                .iter()
                .enumerate()
                .map(|(n, w)| (Article::for_test(&format!("a{n}"), "خبر"), Signature(*w)))
                .collect();
            let split = first_commit.min(articles.len());
            let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
            index.add_articles_signed(&articles[..split]).unwrap();
            index.add_file_record(2);
            index.add_articles_signed(&articles[split..]).unwrap();
            let written: FxHashMap<String, Signature> =
                articles.into_iter().map(|(a, s)| (a.id, s)).collect();
            proptest::prop_assert_eq!(read_back_merged(&index), written);
        }
    }

    /// Signatures of a few stories and their copies: each article takes its story's
    /// bytes, each kept with probability `kept` in 256 (else random), or no signature.
    fn articles_of_stories() -> impl proptest::strategy::Strategy<Value = Vec<Signature>> {
        use proptest::prelude::*;
        let stories = proptest::collection::vec(any::<[u8; 64]>(), 1..6);
        let articles = proptest::collection::vec((0usize..6, any::<[u8; 64]>(), 0u8..=255), 1..60);
        (stories, articles, 0u16..=256).prop_map(|(stories, articles, kept)| {
            articles
                .into_iter()
                .map(|(story, noise, unsigned)| {
                    if unsigned < 16 {
                        return Signature::default();
                    }
                    let story = &stories[story % stories.len()];
                    let bytes: Vec<u8> = (0..64)
                        .map(|i| match u16::from(noise[i] ^ story[63 - i]) < kept {
                            true => story[i],
                            false => noise[i],
                        })
                        .collect();
                    let mut words = [0; WORDS];
                    for (word, bytes) in words.iter_mut().zip(bytes.chunks(8)) {
                        *word = u64::from_ne_bytes(bytes.try_into().unwrap());
                    }
                    Signature(words)
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// The stories grouped by band, with a map of bands or a table of them all, are
        /// those of comparing each article with every story before it in rank order: it
        /// joins the first it shares a band with and is a copy of.
        #[test]
        fn stories_grouped_by_band_are_those_of_comparing_every_pair(
            signatures in articles_of_stories()
        ) {
            let mut heads: Vec<(usize, Signature, Vec<usize>)> = vec![];
            for (n, signature) in signatures.iter().enumerate() {
                let story = heads.iter().position(|(_, head, _)| {
                    head.shares_band(signature) && are_copies(head, signature)
                });
                match story {
                    Some(story) => heads[story].2.push(n),
                    None => heads.push((n, *signature, vec![])),
                }
            }
            for articles in [0, FEW_ARTICLES + 1] {
                let mut stories = Stories::with_capacity(articles);
                for (n, signature) in signatures.iter().enumerate() {
                    stories.add(1.0, n, *signature, Tier::EveryWord);
                }
                let grouped: Vec<(usize, Signature, Vec<usize>)> = stories
                    .stories
                    .into_iter()
                    .map(|story| (story.head.1, story.signature, story.copies))
                    .collect();
                proptest::prop_assert_eq!(&grouped, &heads);
            }
            // Counted by pairs, the same stories.
            proptest::prop_assert_eq!(count_by_pairs(&signatures, false), Some(heads.len()));
        }
    }

    proptest::proptest! {
        /// The first band two signatures share is the first equal key of their bands.
        #[test]
        fn the_first_shared_band_is_the_first_equal_band_key(
            a in proptest::prelude::any::<[u64; WORDS]>(),
            b in proptest::prelude::any::<[u64; WORDS]>(),
            lanes in proptest::prelude::any::<u32>(),
        ) {
            // Some lanes of `b` copied from `a`, so that some bands are shared.
            let mut b = b;
            for band in (0..BANDS).filter(|band| lanes >> band & 1 == 1) {
                let mask = 0xFFFF_u64 << (band % 4 * 16);
                b[band / 4] = b[band / 4] & !mask | a[band / 4] & mask;
            }
            let (a, b) = (Signature(a), Signature(b));
            let expected = a.bands().zip(b.bands()).position(|(x, y)| x == y);
            proptest::prop_assert_eq!(first_shared_band(&a, &b), expected);
        }
    }

    #[test]
    fn stories_are_counted_by_pairs_unless_copies_are_many() {
        // Ten copies of one story, an unsigned article, and another story.
        let mut signatures = vec![signature(1); 10];
        signatures.push(Signature::default());
        signatures.push(signature(2));
        // Copies that differ in one byte each: the same story, but not the same signature.
        for (n, copy) in signatures.iter_mut().enumerate().take(10).skip(1) {
            copy.0[n % WORDS] ^= 0xFF << (8 * (n % 8));
        }
        assert_eq!(count_by_pairs(&signatures, false), Some(3));
        // The ten share most bands, the first too: copies are many, left to the walk.
        assert_eq!(count_by_pairs(&signatures, true), None);
        assert_eq!(count_by_pairs(&[], true), Some(0));
    }

    #[test]
    fn the_window_grows_with_the_page() {
        assert_eq!(window(10), MIN_WINDOW);
        assert_eq!(window(100), 400);
        assert_eq!(window(usize::MAX), usize::MAX);
    }
}
