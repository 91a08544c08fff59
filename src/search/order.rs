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

/// The page `offset..offset + limit` of `top`, the best documents by score alone (ties in
/// address order), with its runs of equal scores in the stable order; `None` when such a run
/// crosses an end of the page, so that which of its documents belong on the page depends on
/// documents `top` does not hold: then the page must be collected with [`by_score`].
///
/// `top` must hold one document more than the page when there are any, to see past its end.
/// Collecting by score alone and ordering the page's ties afterwards costs nothing when scores
/// differ, where [`by_score`] reads the keys of every document that ties with the page's last.
pub(super) fn stable_page(
    searcher: &Searcher,
    mut top: Vec<(Score, DocAddress)>,
    offset: usize,
    limit: usize,
) -> tantivy::Result<Option<Vec<(Score, DocAddress)>>> {
    let end = (offset + limit).min(top.len());
    let tied = |i: usize| top[i - 1].0 == top[i].0;
    if (offset > 0 && offset < top.len() && tied(offset))
        || (end < top.len() && end > 0 && tied(end))
    {
        return Ok(None);
    }
    top.truncate(end);
    let mut page = top.split_off(offset.min(end));
    sort_ties(searcher, &mut page, |&(score, address)| (score, address))?;
    Ok(Some(page))
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
/// dictionary stands for its path, which is read only to compare documents of two segments.
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
        let segment = of(&run[0]).1.segment_ord;
        let one_segment = run.iter().all(|item| of(item).1.segment_ord == segment);
        let mut keyed = Vec::with_capacity(run.len());
        for (i, item) in run.iter().enumerate() {
            let address = of(item).1;
            let key = if one_segment {
                let (ord, position) = keys.local(address)?;
                (None, ord, position)
            } else {
                let (path, position) = keys.of(address)?;
                (path, None, position)
            };
            keyed.push((key, address, i));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let sorted: Vec<T> = keyed.iter().map(|&(_, _, i)| run[i].clone()).collect();
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

    /// What [`stable`] orders `address` by.
    fn of(&mut self, address: DocAddress) -> tantivy::Result<StableKey> {
        let (ord, position) = self.local(address)?;
        let (files, _) = self.columns(address)?;
        let file = match (files, ord) {
            (Some(files), Some(ord)) => {
                let mut bytes = Vec::new();
                files.dictionary().ord_to_term(ord, &mut bytes)?;
                String::from_utf8(bytes).ok()
            }
            _ => None,
        };
        Ok((file, position))
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
