//! Quality regression test: on the committed extraction test set (`tests/extraction/`), rasd's
//! HTML extraction must keep word-level precision and recall of the main text at 0.95 or more,
//! and find the right title and date on at least 95% of the pages.

use rasd_eval::extraction::{self, Extractor};

const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.95;
const MIN_FIELD_ACCURACY: f64 = 0.95;

#[test]
fn rasd_extraction_stays_above_the_targets() {
    let pages = extraction::read_set(&extraction::extraction_set()).unwrap();
    assert!(pages.len() >= 30, "{} pages", pages.len());
    // The layouts the issue asks for: "read also" blocks, a long comment section, a
    // right-to-left page with a left-to-right sidebar, windows-1256 declared by http-equiv.
    for (layout, lang) in [
        ("daily", "ar"),
        ("blog", "en"),
        ("portal", "ar"),
        ("oldtable", "ar"),
    ] {
        assert!(
            pages
                .iter()
                .any(|p| p.expected.layout == layout && p.expected.lang == lang),
            "no {lang} page in the {layout} layout"
        );
    }
    let rasd = extraction::evaluate(Extractor::Rasd, &pages);
    let misses: Vec<String> = rasd
        .pages
        .iter()
        .filter(|p| p.precision < MIN_PRECISION || p.recall < MIN_RECALL || !p.title || !p.date)
        .map(|p| {
            format!(
                "{} (p {:.2}, r {:.2}, title {}, date {})",
                p.name, p.precision, p.recall, p.title, p.date
            )
        })
        .collect();
    assert!(
        rasd.precision >= MIN_PRECISION,
        "precision {:.3}; {misses:?}",
        rasd.precision
    );
    assert!(
        rasd.recall >= MIN_RECALL,
        "recall {:.3}; {misses:?}",
        rasd.recall
    );
    assert!(
        rasd.title >= MIN_FIELD_ACCURACY,
        "title {:.3}; {misses:?}",
        rasd.title
    );
    assert!(
        rasd.date >= MIN_FIELD_ACCURACY,
        "date {:.3}; {misses:?}",
        rasd.date
    );
    // The `readability` crate finds the text but gives no date or source: the table says so.
    let arc90 = extraction::evaluate(Extractor::Readability, &pages);
    assert!(
        arc90.recall > 0.9 && arc90.date == 0.0 && arc90.source == 0.0,
        "{arc90:?}"
    );
    // The baseline keeps everything: the set's boilerplate is what makes it a test.
    let baseline = extraction::evaluate(Extractor::WholeBody, &pages);
    assert!(
        baseline.recall > 0.99 && baseline.precision < 0.5,
        "{baseline:?}"
    );
}
