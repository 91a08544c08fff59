//! The layering of `src/`, as ARCHITECTURE.md states it, checked on the code: every
//! `crate::` path in a module must name a module that this module may depend on. Data flows
//! one way (files → Article → document → hits → output), and the read side never reaches
//! into the write side.

use std::collections::BTreeSet;
use std::path::Path;

/// Each library module, and the modules it must not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    // Foundations: the article, text analysis, schema, dates, languages, cleaning, errors.
    ("analysis", ABOVE_FOUNDATIONS),
    ("article", ABOVE_FOUNDATIONS),
    ("clean", ABOVE_FOUNDATIONS),
    ("dates", ABOVE_FOUNDATIONS),
    ("error", ABOVE_FOUNDATIONS),
    ("lang", ABOVE_FOUNDATIONS),
    ("schema", ABOVE_FOUNDATIONS),
    // Files → articles: knows nothing of the index.
    (
        "ingest",
        &["store", "indexer", "search", "stats", "watch", "output"],
    ),
    // How documents lie in the index, and the index folder.
    ("store", &["indexer", "search", "stats", "watch", "output"]),
    // The write side.
    ("indexer", &["search", "stats", "watch", "output"]),
    // The read side.
    ("search", &["indexer", "ingest", "watch", "output"]),
    ("stats", &["indexer", "ingest", "watch", "output"]),
    // Saved searches: on the read side, over `search`; the CLI runs them after indexing.
    ("watch", &["indexer", "ingest", "output"]),
];

const ABOVE_FOUNDATIONS: &[&str] = &[
    "ingest", "store", "indexer", "search", "stats", "watch", "output",
];

/// The top-level modules a line of code names through `crate::`.
fn named_modules(line: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn no_module_uses_what_its_layer_must_not() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let Some((_, forbidden)) = FORBIDDEN.iter().find(|(module, _)| *module == top) else {
            continue;
        };
        checked.insert(top.clone());
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for used in named_modules(line) {
                if forbidden.contains(&used.as_str()) {
                    violations.push(format!(
                        "{}:{}: `{top}` must not use `{used}`",
                        relative.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    let listed: BTreeSet<String> = FORBIDDEN.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(checked, listed, "a module of the rules has no file in src/");
}

#[test]
fn module_names_are_read_from_paths_and_groups() {
    assert_eq!(
        named_modules("use crate::{dates, lang::normalize};"),
        BTreeSet::from(["dates".to_string(), "lang".to_string()])
    );
    assert_eq!(
        named_modules("let x = crate::store::RasdIndex::open(p);"),
        BTreeSet::from(["store".to_string()])
    );
}
