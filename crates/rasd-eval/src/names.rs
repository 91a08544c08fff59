//! Names across scripts, measured on pairs written apart from rasd
//! (`tests/names/name-pairs.tsv`): whether a name typed as the French or English press writes
//! it meets the Arabic press's spelling through rasd's transliteration keys
//! ([`rasd::analysis::names`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rasd::analysis::{name_key_analyzer, terms};
use rasd::schema::IndexSchema;
use rasd::search::glossary::{Glossary, latin_languages};
use rasd::search::names::{NameKey, NotNames, part_name_keys};
use tantivy::query_grammar::{Delimiter, UserInputLiteral};

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
    /// The keys a search for the Latin name looks up.
    pub latin_keys: Vec<NameKey>,
    /// The terms the index holds for the Arabic name (keys and their vowels' places).
    pub arabic_keys: Vec<String>,
    /// Whether every word of the Latin name that looks up a key meets the Arabic name by one
    /// of them: a search for the whole name finds the Arabic spelling. False for a name
    /// without any key (too few consonants: `Said`).
    pub found: bool,
}

/// Measures one pair as rasd searches and indexes: the Latin name typed as a query's words,
/// each looking up its keys and those of the name it starts or ends
/// ([`rasd::search::names::part_name_keys`]), against the Arabic name's keys as the index
/// holds them ([`name_key_analyzer`]).
pub fn outcome(pair: &NamePair) -> PairOutcome {
    let lists = &IndexSchema::builtin().word_lists;
    let typed: Vec<UserInputLiteral> = pair
        .latin
        .split_whitespace()
        .map(|word| UserInputLiteral {
            field_name: None,
            phrase: word.to_string(),
            delimiter: Delimiter::None,
            slop: 0,
            prefix: false,
        })
        .collect();
    let parts: Vec<Option<&UserInputLiteral>> = typed.iter().map(Some).collect();
    let latin = part_name_keys(
        &parts,
        &vec![false; parts.len()],
        NotNames::new(lists, Glossary::builtin(), latin_languages(&pair.latin)),
    );
    let arabic = terms(&mut name_key_analyzer(), &pair.arabic);
    // Every word with a key must meet the Arabic name by one of its keys.
    let keyed: Vec<&Vec<NameKey>> = latin.iter().filter(|keys| !keys.is_empty()).collect();
    let found = !keyed.is_empty()
        && keyed
            .iter()
            .all(|keys| keys.iter().any(|k| arabic.iter().any(|term| k.finds(term))));
    let mut latin_keys: Vec<NameKey> = latin.into_iter().flatten().collect();
    latin_keys.dedup_by(|a, b| a.key == b.key);
    PairOutcome {
        pair: pair.clone(),
        latin_keys,
        arabic_keys: arabic,
        found,
    }
}

/// Confusions: pairs of different names where a word of one's Latin spelling meets a word of
/// the other's Arabic spelling by key at full weight, their vowels agreeing (`Hassan` and
/// `حسين` share `HSN`; `Hosni` and `حسين` do too, but their vowels disagree). A measure of how
/// much a rule costs in precision, to read beside the share found.
pub fn confusions(outcomes: &[PairOutcome]) -> Vec<(String, String, String)> {
    // The keys an index of every pair's Arabic spelling would hold.
    let indexed: std::collections::BTreeSet<&str> = (outcomes.iter())
        .flat_map(|o| o.arabic_keys.iter().map(String::as_str))
        .collect();
    let indexed = |term: &str| indexed.contains(term);
    let mut out = Vec::new();
    for latin in outcomes {
        for arabic in outcomes {
            if latin.pair.arabic == arabic.pair.arabic {
                continue;
            }
            if let Some(key) = latin.latin_keys.iter().find(|k| {
                arabic
                    .arabic_keys
                    .iter()
                    .any(|term| k.agrees(term, &indexed))
            }) {
                out.push((
                    latin.pair.latin.clone(),
                    arabic.pair.arabic.clone(),
                    key.key.clone(),
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
