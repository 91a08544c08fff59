//! Where an index's bytes go: for each view (field), its term dictionary, postings,
//! positions, field norms and columns, and the stored articles, from tantivy's
//! `space_usage`, in percent of the corpus's text. Any rasd index is read, whatever its
//! schema, so that `--baseline RASD`'s index is broken down beside this rasd's.

use std::collections::BTreeMap;
use std::path::Path;

use rasd::store::layout::Layout;
use serde::Serialize;
use tantivy::space_usage::PerFieldSpaceUsage;

/// Where one part of a view's bytes is added up.
type Part = fn(&mut ViewBytes) -> &mut u64;

/// The parts of one view, in bytes.
#[derive(Serialize, Default, Clone, Copy)]
pub struct ViewBytes {
    pub terms: u64,
    pub postings: u64,
    pub positions: u64,
    pub fieldnorms: u64,
    pub fast: u64,
}

impl ViewBytes {
    fn total(&self) -> u64 {
        self.terms + self.postings + self.positions + self.fieldnorms + self.fast
    }
}

/// An index broken down.
#[derive(Serialize, Default, Clone)]
pub struct IndexBytes {
    /// By view (rasd's reserved `_` fields included), in name order.
    pub views: BTreeMap<String, ViewBytes>,
    /// The stored articles (compressed blocks and their offsets).
    pub store: u64,
    /// Everything `space_usage` counts: the views, the store, deletions.
    pub total: u64,
}

/// The breakdown of the rasd index at `path` (its current generation).
pub fn measure(path: &Path) -> Result<IndexBytes, String> {
    let layout = Layout::new(path);
    let generation = layout
        .read_marker()?
        .generation
        .ok_or_else(|| format!("{}: no generation", path.display()))?;
    let folder = layout.generation_dir(generation);
    let index = tantivy::Index::open_in_dir(&folder).map_err(|e| e.to_string())?;
    let reader = index.reader().map_err(|e| e.to_string())?;
    let usage = reader.searcher().space_usage().map_err(|e| e.to_string())?;
    let mut bytes = IndexBytes {
        total: usage.total().get_bytes(),
        ..IndexBytes::default()
    };
    for segment in usage.segments() {
        bytes.store += segment.store().total().get_bytes();
        let parts: [(&PerFieldSpaceUsage, Part); 5] = [
            (segment.termdict(), |v| &mut v.terms),
            (segment.postings(), |v| &mut v.postings),
            (segment.positions(), |v| &mut v.positions),
            (segment.fieldnorms(), |v| &mut v.fieldnorms),
            (segment.fast_fields(), |v| &mut v.fast),
        ];
        for (per_field, part) in parts {
            for field in per_field.fields() {
                let view = bytes
                    .views
                    .entry(field.field_name().to_string())
                    .or_default();
                *part(view) += field.total().get_bytes();
            }
        }
    }
    Ok(bytes)
}

/// A Markdown table of `index` by view, in percent of `text` bytes, with the totals of
/// `baseline` (`--baseline RASD`'s index of the same corpus) beside when given. Views of
/// under 0.05% of the text are summed in one row.
pub fn report(index: &IndexBytes, baseline: Option<&IndexBytes>, text: u64) -> String {
    let percent = |bytes: u64| 100.0 * bytes as f64 / text as f64;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let their = baseline.map_or(String::new(), |_| " baseline's total |".into());
    line(format!(
        "| index by view, % of text | terms | postings | positions | norms | columns | total |{their}"
    ));
    line(format!(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |{}",
        if baseline.is_some() { " ---: |" } else { "" }
    ));
    let theirs = |name: &str| match baseline {
        None => String::new(),
        Some(b) => b
            .views
            .get(name)
            .map_or(" – |".into(), |v| format!(" {:.1} |", percent(v.total()))),
    };
    let mut small = ViewBytes::default();
    for (name, view) in &index.views {
        if percent(view.total()) < 0.05 {
            small.terms += view.terms;
            small.postings += view.postings;
            small.positions += view.positions;
            small.fieldnorms += view.fieldnorms;
            small.fast += view.fast;
            continue;
        }
        line(format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |{}",
            percent(view.terms),
            percent(view.postings),
            percent(view.positions),
            percent(view.fieldnorms),
            percent(view.fast),
            percent(view.total()),
            theirs(name)
        ));
    }
    line(format!(
        "| other views (each under 0.05%) | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {}",
        percent(small.terms),
        percent(small.postings),
        percent(small.positions),
        percent(small.fieldnorms),
        percent(small.fast),
        percent(small.total()),
        if baseline.is_some() { " |" } else { "" }
    ));
    let sum = |of: fn(&ViewBytes) -> u64, bytes: &IndexBytes| -> u64 {
        bytes.views.values().map(of).sum()
    };
    let theirs_total =
        |value: Option<u64>| value.map_or(String::new(), |v| format!(" {:.1} |", percent(v)));
    line(format!(
        "| all views | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |{}",
        percent(sum(|v| v.terms, index)),
        percent(sum(|v| v.postings, index)),
        percent(sum(|v| v.positions, index)),
        percent(sum(|v| v.fieldnorms, index)),
        percent(sum(|v| v.fast, index)),
        percent(sum(ViewBytes::total, index)),
        theirs_total(baseline.map(|b| sum(ViewBytes::total, b)))
    ));
    line(format!(
        "| stored articles | | | | | | {:.1} |{}",
        percent(index.store),
        theirs_total(baseline.map(|b| b.store))
    ));
    line(format!(
        "| index | | | | | | {:.1} |{}",
        percent(index.total),
        theirs_total(baseline.map(|b| b.total))
    ));
    out
}
