//! The terms of the index looked up by how they look rather than by equality: prefix search
//! (`Maro*`), and paths given as the output shows them (relative, so a suffix of the indexed
//! absolute path).

use std::collections::BTreeMap;

use tantivy::Searcher;
use tantivy::schema::Field;

/// The terms of `fields` that start with `prefix`, most frequent first, at most `limit` of
/// them (ties in term order).
pub fn starting_with(
    searcher: &Searcher,
    fields: &[Field],
    prefix: &str,
    limit: usize,
) -> Vec<String> {
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            // Terms come in byte order: those with the prefix are together, from the first.
            while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                if let Ok(key) = std::str::from_utf8(stream.key()) {
                    *found.entry(key.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    most_frequent(found, limit)
}

/// The terms of `field` for which `keep` holds, in term order. It reads the whole dictionary
/// of the field: for small ones, such as the paths of the files.
pub fn matching(searcher: &Searcher, field: Field, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key())
                && keep(key)
            {
                found.insert(key.to_string());
            }
        }
    }
    found.into_iter().collect()
}

/// The `limit` terms with the highest counts, highest first.
pub(crate) fn most_frequent(found: BTreeMap<String, u64>, limit: usize) -> Vec<String> {
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.into_iter().take(limit).map(|(t, _)| t).collect()
}
