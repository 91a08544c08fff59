//! Names across scripts, measured on pairs written apart from rasd
//! (`tests/names/name-pairs.tsv`): whether a name typed as the French or English press writes
//! it meets the Arabic press's spelling through rasd's transliteration keys
//! ([`rasd::analysis::names`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rasd::analysis::{names::name_keys, normalized_word};

use crate::Error;

/// A name in both scripts.
#[derive(Clone, Debug)]
pub struct NamePair {
    /// As the French or English press writes it.
    pub latin: String,
    /// As the Arabic press writes it.
    pub arabic: String,
    /// `fr` or `en`: the transliteration convention of `latin`.
    pub convention: String,
    /// `person` or `place`.
    pub kind: String,
}

/// The committed pairs.
pub fn pairs_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/names/name-pairs.tsv")
}

/// Reads pairs: `#` comments, then one pair per line, four TAB-separated fields.
pub fn read_pairs(file: &Path) -> Result<Vec<NamePair>, Error> {
    let text = std::fs::read_to_string(file).map_err(|cause| Error::Io {
        context: format!("cannot read {}", file.display()),
        cause,
    })?;
    let mut pairs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [latin, arabic, convention, kind] = fields[..] else {
            return Err(Error::Query(format!(
                "{}:{}: expected 4 TAB-separated fields, found {}",
                file.display(),
                number + 1,
                fields.len()
            )));
        };
        pairs.push(NamePair {
            latin: latin.to_string(),
            arabic: arabic.to_string(),
            convention: convention.to_string(),
            kind: kind.to_string(),
        });
    }
    Ok(pairs)
}

/// How one pair fared.
#[derive(Clone, Debug)]
pub struct PairOutcome {
    pub pair: NamePair,
    /// The Latin name's keys: each word's, and a particle's joined to the next word.
    pub latin_keys: Vec<String>,
    /// The Arabic name's keys.
    pub arabic_keys: Vec<String>,
    /// Whether every Latin word with a key meets the Arabic name by one of the keys it is
    /// part of: a search for the whole name finds the Arabic spelling. False for a name
    /// without any key (too few consonants: `Said`).
    pub found: bool,
}

/// The words of a name as rasd's analyzer reads them: split at anything but a letter,
/// normalized.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .filter_map(normalized_word)
        .collect()
}

/// Measures one pair.
pub fn outcome(pair: &NamePair) -> PairOutcome {
    let latin_words = words(&pair.latin);
    let arabic_words = words(&pair.arabic);
    let latin = name_keys(&latin_words.iter().map(String::as_str).collect::<Vec<_>>());
    let arabic: Vec<String> =
        name_keys(&arabic_words.iter().map(String::as_str).collect::<Vec<_>>())
            .into_iter()
            .map(|(_, _, key)| key)
            .collect();
    // Each Latin word with a key must be covered by a key found on the Arabic side.
    let keyed = |i: usize| latin.iter().any(|(s, l, _)| (*s..s + l).contains(&i));
    let met = |i: usize| {
        latin
            .iter()
            .any(|(s, l, k)| (*s..s + l).contains(&i) && arabic.contains(k))
    };
    let positions: Vec<usize> = (0..latin_words.len()).filter(|&i| keyed(i)).collect();
    let found = !positions.is_empty() && positions.iter().all(|&i| met(i));
    PairOutcome {
        pair: pair.clone(),
        latin_keys: latin.into_iter().map(|(_, _, k)| k).collect(),
        arabic_keys: arabic,
        found,
    }
}

/// Confusions: pairs of different names where a word of one's Latin spelling meets a word of
/// the other's Arabic spelling by key (`Hassan` and `حسين` share `HSN`). A measure of how
/// much a rule costs in precision, to read beside the share found.
pub fn confusions(outcomes: &[PairOutcome]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for latin in outcomes {
        for arabic in outcomes {
            if latin.pair.arabic == arabic.pair.arabic {
                continue;
            }
            if let Some(key) = latin
                .latin_keys
                .iter()
                .find(|k| arabic.arabic_keys.contains(k))
            {
                out.push((
                    latin.pair.latin.clone(),
                    arabic.pair.arabic.clone(),
                    key.clone(),
                ));
            }
        }
    }
    out
}

/// The share of names found, overall and by convention and kind, as a Markdown table.
pub fn summary(outcomes: &[PairOutcome]) -> String {
    let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for outcome in outcomes {
        for group in [
            format!("{} {}", outcome.pair.convention, outcome.pair.kind),
            "all".to_string(),
        ] {
            let entry = groups.entry(group).or_default();
            entry.0 += usize::from(outcome.found);
            entry.1 += 1;
        }
    }
    let mut out = String::from("| names | found | of | share |\n| --- | ---: | ---: | ---: |\n");
    for (group, (found, total)) in groups {
        let share = found as f64 / total.max(1) as f64;
        let _ = writeln!(out, "| {group} | {found} | {total} | {share:.2} |");
    }
    out
}
