//! Names across scripts, regression test: on the committed pairs (`tests/names/`, written
//! apart from rasd), at least as many Latin spellings meet their Arabic spelling as today. The
//! misses are listed by `cargo run --release -p rasd-eval --example names`.

use rasd_eval::names;

/// Names found by the twelfth session's rules, of 240.
const MIN_FOUND: usize = 165;

#[test]
fn latin_spellings_keep_meeting_their_arabic_spellings() {
    let pairs = names::read_pairs(&names::pairs_file()).unwrap();
    assert!(pairs.len() >= 240, "{} pairs", pairs.len());
    let outcomes: Vec<_> = pairs.iter().map(names::outcome).collect();
    let found = outcomes.iter().filter(|o| o.found).count();
    let missed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.found)
        .map(|o| o.pair.latin.as_str())
        .collect();
    assert!(
        found >= MIN_FOUND,
        "{found} names found, fewer than {MIN_FOUND}; missed: {missed:?}\n{}",
        names::summary(&outcomes)
    );
}
