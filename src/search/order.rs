//! The orders a search ranks articles in, as tantivy sort keys.
//!
//! Each order ends with keys that depend only on the articles: the path of the article's file,
//! then the article's place in it. tantivy breaks the remaining ties by document address,
//! which depends on how the indexing threads and the merges fell, so two builds of one archive
//! listed articles of equal score (every hit of a filter alone, `date:2024`, and the copies of
//! one story) in two orders. In an index built before articles kept their place, the articles
//! of one file that rank alike are still in address order.

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, SortKeyComputer, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, Occur, Query, RangeQuery,
};
use tantivy::{DateTime, DocAddress, DocId, Order, Score, Searcher, SegmentReader};

use crate::schema::reserved;

/// The value of [`stable`] for one article: its file's path and its place in that file.
pub(super) type StableKey = (Option<String>, Option<u64>);

/// The documents an order collects, each with its keys.
type Ranked<Key> = Vec<(Key, DocAddress)>;

/// The keys that order articles whose other keys are equal.
fn stable() -> impl SortKeyComputer<SortKey = StableKey> {
    (
        (SortByString::for_field(reserved::FILE), Order::Asc),
        (by_position, Order::Asc),
    )
}

/// An article's place in its file, where the index keeps it.
fn by_position(segment: &SegmentReader) -> impl FnMut(DocId) -> Option<u64> + use<> {
    let column = position_column(segment);
    move |doc| column.as_ref().and_then(|c| c.first(doc))
}

fn position_column(segment: &SegmentReader) -> Option<Column<u64>> {
    let column = segment.fast_fields().u64_lenient(reserved::POSITION);
    column.ok().flatten().map(|(column, _)| column)
}

/// Best score first.
pub(super) fn by_score(top: TopDocs) -> impl Collector<Fruit = Ranked<(Score, StableKey)>> {
    top.order_by(((SortBySimilarityScore, Order::Desc), stable()))
}

/// By date in `order`, undated articles last; equal dates best score first.
pub(super) fn by_date(
    top: TopDocs,
    order: Order,
) -> impl Collector<Fruit = Ranked<(Option<DateTime>, (Score, StableKey))>> {
    top.order_by((
        (SortByStaticFastValue::<DateTime>::for_field("date"), order),
        ((SortBySimilarityScore, Order::Desc), stable()),
    ))
}

/// Best score first, then by date in `order`: for scores that count words, where every
/// article with as many words ranks alike.
pub(super) fn by_score_then_date(
    top: TopDocs,
    order: Order,
) -> impl Collector<Fruit = Ranked<(Score, (Option<DateTime>, StableKey))>> {
    top.order_by((
        (SortBySimilarityScore, Order::Desc),
        (
            (SortByStaticFastValue::<DateTime>::for_field("date"), order),
            stable(),
        ),
    ))
}

/// Whether every match of `query` scores alike, so that [`by_score`] orders its matches by the
/// stable keys alone: a filter alone (`*`, `date:2024`, `source:*`, with `--since`), made of
/// parts that score a constant, all required. Errs on the side of no: a part that scores by its
/// words, even on a keyword field where every match scores alike (`lang:fr`), says no, and so
/// do alternatives, since an article that matches more of them scores more.
pub(super) fn scores_alike(query: &dyn Query) -> bool {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let scoring: Vec<_> = (boolean.clauses().iter())
            .filter(|(occur, _)| *occur != Occur::MustNot)
            .collect();
        // Required parts add the same to every match; an alternative adds only to some.
        let added_alike = scoring.len() <= 1 || scoring.iter().all(|(o, _)| *o == Occur::Must);
        return added_alike && scoring.iter().all(|(_, part)| scores_alike(&**part));
    }
    query.is::<AllQuery>()
        || query.is::<RangeQuery>()
        || query.is::<ExistsQuery>()
        || query.is::<ConstScoreQuery>()
        || query.is::<EmptyQuery>()
}

/// How many documents past a page a search collects by score alone, so that a run of equal
/// scores across an end of the page is most often held whole and put in order without
/// collecting again ([`stable_page`]): a phrase of two frequent words (`"تهريب المخدرات"`, 788
/// matches on 200,000 generated articles) scored every match twice, the second pass with the
/// stable keys, for ties across the end of the 200 articles a collapsed page walks.
pub(super) const TIE_ROOM: usize = 64;

/// The page `offset..offset + limit` of `top`, the best documents by score alone (ties in
/// address order), with its runs of equal scores in the stable order; `None` when such a run
/// crosses an end of the page and may go on past the end of `top`, so that which of its
/// documents belong on the page depends on documents `top` does not hold: then the page must
/// be collected with [`by_score`]. `complete` says that `top` holds every match.
///
/// `top` should hold documents past the page when there are any ([`TIE_ROOM`]), to see past
/// its end. Collecting by score alone and ordering the page's ties afterwards costs nothing
/// when scores differ, where [`by_score`] reads the keys of every document that ties with the
/// page's last.
pub(super) fn stable_page(
    searcher: &Searcher,
    mut top: Vec<(Score, DocAddress)>,
    offset: usize,
    limit: usize,
    complete: bool,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    let end = (offset + limit).min(top.len());
    if offset >= end {
        return Ok(Some(vec![]));
    }
    let crosses = |i: usize| i > 0 && i < top.len() && top[i - 1].0 == top[i].0;
    let may_go_on = |i: usize| !complete && top[top.len() - 1].0 == top[i].0;
    if [offset, end]
        .into_iter()
        .any(|i| crosses(i) && may_go_on(i))
    {
        return Ok(None);
    }
    // The runs of equal scores the page holds some of, whole: from the start of the first to
    // the end of the last.
    let start = (top[..offset].iter())
        .rposition(|(score, _)| *score != top[offset].0)
        .map_or(0, |i| i + 1);
    let stop = (top[end..].iter())
        .position(|(score, _)| *score != top[end - 1].0)
        .map_or(top.len(), |n| end + n);
    top.truncate(stop);
    sort_ties(searcher, &mut top[start..], |&(score, address)| {
        (score, address)
    })?;
    top.truncate(end);
    Ok(Some(top.split_off(offset)))
}

/// Sorts `items` (each with a score and a document, as `of` tells) best score first, equal
/// scores in the stable order: what [`by_score`] collects, for lists collected otherwise.
pub(super) fn sort_by_score<T: Clone>(
    searcher: &Searcher,
    items: &mut [T],
    of: impl Fn(&T) -> (Score, DocAddress),
) -> tantivy::Result<()> {
    items.sort_by(|a, b| {
        let ((a_score, a), (b_score, b)) = (of(a), of(b));
        b_score.total_cmp(&a_score).then(a.cmp(&b))
    });
    sort_ties(searcher, items, of)
}

/// Puts each run of equal scores of `items`, ranked by score, in the stable order. The keys
/// are read for tied documents only; within one segment the file's place in the segment's
/// dictionary stands for its path, and paths are read, in one pass over each segment's
/// dictionary, only to compare documents of several segments.
fn sort_ties<T: Clone>(
    searcher: &Searcher,
    items: &mut [T],
    of: impl Fn(&T) -> (Score, DocAddress),
) -> tantivy::Result<()> {
    let mut keys = Keys::new(searcher);
    for run in items.chunk_by_mut(|a, b| of(a).0 == of(b).0) {
        if run.len() < 2 {
            continue;
        }
        let mut tied = Vec::with_capacity(run.len());
        for item in run.iter() {
            let address = of(item).1;
            let (ord, position) = keys.local(address)?;
            tied.push((address, ord, position));
        }
        let segment = tied[0].0.segment_ord;
        let paths = if tied.iter().all(|t| t.0.segment_ord == segment) {
            None
        } else {
            Some(keys.paths(&tied)?)
        };
        let mut order: Vec<usize> = (0..run.len()).collect();
        order.sort_by(|&a, &b| {
            let by_path = match &paths {
                Some(paths) => paths[a].cmp(&paths[b]),
                None => tied[a].1.cmp(&tied[b].1),
            };
            by_path
                .then(tied[a].2.cmp(&tied[b].2))
                .then(tied[a].0.cmp(&tied[b].0))
        });
        let sorted: Vec<T> = order.iter().map(|&i| run[i].clone()).collect();
        run.clone_from_slice(&sorted);
    }
    Ok(())
}

/// The columns of a segment that hold the stable keys: the file's path and the place in it.
type Columns = (Option<StrColumn>, Option<Column<u64>>);

/// The stable keys of documents, their columns opened once per segment.
struct Keys<'a> {
    searcher: &'a Searcher,
    columns: Vec<Option<Columns>>,
}

impl<'a> Keys<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        Keys {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
        }
    }

    /// The file paths of `tied` (documents with their file's place in their segment's
    /// dictionary), in order: each segment's read in one pass over its dictionary, where
    /// looking each up alone decompressed a block per document.
    fn paths(
        &mut self,
        tied: &[(DocAddress, Option<u64>, Option<u64>)],
    ) -> tantivy::Result<Vec<Option<String>>> {
        let mut paths = vec![None; tied.len()];
        let mut segments: Vec<u32> = tied.iter().map(|t| t.0.segment_ord).collect();
        segments.sort_unstable();
        segments.dedup();
        for segment in segments {
            let mut ords: Vec<u64> = tied
                .iter()
                .filter(|t| t.0.segment_ord == segment)
                .filter_map(|t| t.1)
                .collect();
            ords.sort_unstable();
            ords.dedup();
            let (files, _) = self.columns(DocAddress::new(segment, 0))?;
            let Some(files) = files else { continue };
            let mut names = Vec::with_capacity(ords.len());
            files.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            })?;
            for (path, t) in paths.iter_mut().zip(tied) {
                if t.0.segment_ord == segment
                    && let Some(ord) = t.1
                    && let Ok(i) = ords.binary_search(&ord)
                {
                    *path = names.get(i).cloned();
                }
            }
        }
        Ok(paths)
    }

    /// The place of `address`'s file in its segment's dictionary, which orders paths within
    /// the segment, and its place in the file.
    fn local(&mut self, address: DocAddress) -> tantivy::Result<(Option<u64>, Option<u64>)> {
        let (files, positions) = self.columns(address)?;
        let ord = files.as_ref().and_then(|f| f.ords().first(address.doc_id));
        let position = positions.as_ref().and_then(|c| c.first(address.doc_id));
        Ok((ord, position))
    }

    /// The columns of `address`'s segment, opened on first use.
    fn columns(&mut self, address: DocAddress) -> tantivy::Result<&Columns> {
        let columns = match &mut self.columns[address.segment_ord as usize] {
            Some(columns) => columns,
            slot @ None => {
                let segment = self.searcher.segment_reader(address.segment_ord);
                slot.insert((
                    segment.fast_fields().str(reserved::FILE)?,
                    position_column(segment),
                ))
            }
        };
        Ok(columns)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{FAST, STORED, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;

    /// An index of two segments, the articles of file `a` split between them, each article
    /// named by its path and place: `(path, place)`.
    fn split_file() -> Index {
        let mut builder = Schema::builder();
        let file = builder.add_text_field(reserved::FILE, STRING | FAST | STORED);
        let position = builder.add_u64_field(reserved::POSITION, FAST | STORED);
        let schema = builder.build();
        let index = Index::create_in_ram(schema);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in [[("b", 0), ("a", 1)], [("c", 0), ("a", 0)]] {
            for (path, place) in segment {
                let mut doc = TantivyDocument::default();
                doc.add_text(file, path);
                doc.add_u64(position, place);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        index
    }

    fn named(searcher: &Searcher, addresses: impl Iterator<Item = DocAddress>) -> Vec<String> {
        let (file, position) = (
            searcher.schema().get_field(reserved::FILE).unwrap(),
            searcher.schema().get_field(reserved::POSITION).unwrap(),
        );
        addresses
            .map(|address| {
                use tantivy::schema::Value;
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                let path = doc.get_first(file).and_then(|v| v.as_str()).unwrap();
                let place = doc.get_first(position).and_then(|v| v.as_u64()).unwrap();
                format!("{path}{place}")
            })
            .collect()
    }

    #[test]
    fn ties_are_in_the_order_of_paths_and_places_across_segments() {
        let index = split_file();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let expected = ["a0", "a1", "b0", "c0"];

        let collected = searcher
            .search(&AllQuery, &by_score(TopDocs::with_limit(10)))
            .unwrap();
        assert_eq!(
            named(&searcher, collected.iter().map(|(_, a)| *a)),
            expected
        );

        let mut all: Vec<(Score, DocAddress)> = (0..2)
            .flat_map(|segment| (0..2).map(move |doc| (1.0, DocAddress::new(segment, doc))))
            .collect();
        sort_by_score(&searcher, &mut all, |&item| item).unwrap();
        assert_eq!(named(&searcher, all.iter().map(|(_, a)| *a)), expected);

        // By score alone, tantivy lists the ties by address; the whole list is a page whose
        // ties are put in order, a part of it is not.
        let by_address = searcher
            .search(&AllQuery, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let page = stable_page(&searcher, by_address.clone(), 0, 4, false)
            .unwrap()
            .unwrap();
        assert_eq!(named(&searcher, page.iter().map(|(_, a)| *a)), expected);
        assert_eq!(
            stable_page(&searcher, by_address.clone(), 0, 2, false).unwrap(),
            None
        );
        assert_eq!(
            stable_page(&searcher, by_address.clone(), 1, 3, false).unwrap(),
            None
        );
        // Holding every match, the ties across an end are put in order too.
        let page = |offset, limit, scores: [Score; 4], complete| {
            let top: Vec<(Score, DocAddress)> = (by_address.iter())
                .zip(scores)
                .map(|((_, address), score)| (score, *address))
                .collect();
            let page = stable_page(&searcher, top, offset, limit, complete).unwrap();
            page.map(|page| named(&searcher, page.iter().map(|(_, a)| *a)))
        };
        assert_eq!(page(0, 2, [1.0; 4], true).unwrap(), expected[..2]);
        assert_eq!(page(1, 3, [1.0; 4], true).unwrap(), expected[1..]);
        // A run that ends before the last document collected is held whole: no second pass.
        // The first document scores more; the next two tie, across the page's end.
        let scores = [3.0, 2.0, 2.0, 1.0];
        let first_two = page(0, 2, scores, false).unwrap();
        let all_four = page(0, 4, scores, true).unwrap();
        assert_eq!(first_two, all_four[..2]);
        assert_eq!(page(0, 3, [3.0, 2.0, 2.0, 2.0], false), None);
        // A page past the last document collected is empty.
        assert_eq!(page(4, 2, [1.0; 4], false), Some(vec![]));
    }

    #[test]
    fn filters_alone_score_alike_and_alternatives_and_words_do_not() {
        use std::ops::Bound;
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;

        let index = split_file();
        let searcher = index.reader().unwrap().searcher();
        let schema = searcher.schema();
        let (file, position) = (
            schema.get_field(reserved::FILE).unwrap(),
            schema.get_field(reserved::POSITION).unwrap(),
        );
        let all = || -> Box<dyn Query> { Box::new(AllQuery) };
        let from_place_1 = || -> Box<dyn Query> {
            let from = Term::from_field_u64(position, 1);
            Box::new(RangeQuery::new(Bound::Included(from), Bound::Unbounded))
        };
        let file_a = || -> Box<dyn Query> {
            let term = Term::from_field_text(file, "a");
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
        };
        let both = |a: Occur, b: Occur, x: Box<dyn Query>, y: Box<dyn Query>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(vec![(a, x), (b, y)]))
        };
        let scores = |query: &dyn Query| -> Vec<Score> {
            let top = TopDocs::with_limit(10).order_by_score();
            let found = searcher.search(query, &top).unwrap();
            found.into_iter().map(|(score, _)| score).collect()
        };
        let alike = [
            all(),
            from_place_1(),
            both(Occur::Must, Occur::Must, all(), from_place_1()),
            both(Occur::Must, Occur::MustNot, all(), file_a()),
            Box::new(BooleanQuery::new(vec![(Occur::Should, from_place_1())])),
        ];
        for query in &alike {
            assert!(scores_alike(&**query), "{query:?}");
            let scores = scores(&**query);
            assert!(
                scores.windows(2).all(|w| w[0] == w[1]),
                "{query:?}: {scores:?}"
            );
        }
        // A match of both alternatives scores more than a match of one; a word scores by its
        // frequency (here alike, but not said so).
        let either = both(Occur::Should, Occur::Should, all(), from_place_1());
        assert!(!scores_alike(&*either));
        assert!(scores(&*either).windows(2).any(|w| w[0] != w[1]));
        let more = both(Occur::Must, Occur::Should, all(), from_place_1());
        assert!(!scores_alike(&*more));
        assert!(!scores_alike(&*file_a()));
        assert!(!scores_alike(&*both(
            Occur::Must,
            Occur::Must,
            all(),
            file_a()
        )));
    }
}
