//! The extraction evaluation: how well the main text and metadata of saved web pages are
//! found, on the committed test set (`tests/extraction/`, see its README), for rasd's rules,
//! the readability-style crates they were measured against, and a whole-body-text baseline.
//!
//! Text is scored by words (lowercased, split at anything not a letter or digit), counted
//! with repetitions: precision is the share of extracted words that are in the expected text,
//! recall the share of expected words that were extracted. Title, date and source are right
//! when equal to the expectation (whitespace and case aside; the date by its day).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rasd::ingest::html::{self, HtmlContext};
use scraper::{Html, Selector};

/// The committed test set's folder of pages.
pub fn extraction_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/extraction/pages")
}

/// What a page should give; an empty field is one the page does not give.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Expected {
    /// The layout it mimics (see `make_pages.py`).
    pub layout: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub source: String,
    pub url: String,
    pub lang: String,
    /// The article's paragraphs, separated by blank lines.
    pub text: String,
}

/// One page of the test set.
#[derive(Debug, Clone)]
pub struct TestPage {
    /// File name without extension.
    pub name: String,
    pub bytes: Vec<u8>,
    pub expected: Expected,
}

/// Reads every `NAME.html` with its `NAME.json` in `dir`, in name order.
pub fn read_set(dir: &Path) -> Result<Vec<TestPage>, String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let sidecar = path.with_extension("json");
            let expected = std::fs::read_to_string(&sidecar)
                .map_err(|e| format!("{}: {e}", sidecar.display()))
                .and_then(|t| {
                    serde_json::from_str(&t).map_err(|e| format!("{}: {e}", sidecar.display()))
                })?;
            Ok(TestPage {
                name: path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes: std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?,
                expected,
            })
        })
        .collect()
}

/// What an extractor found in a page.
#[derive(Debug, Default, Clone)]
pub struct Extracted {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub text: String,
}

/// The extractors compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extractor {
    /// rasd's own rules (`rasd::ingest::html`), the one rasd uses.
    Rasd,
    /// `dom_smoothie`, a port of Mozilla's Readability, its default candidate selection.
    DomSmoothie,
    /// `dom_smoothie` with its own candidate selection mode.
    DomSmoothieOwnMode,
    /// The `readability` crate, a port of arc90's original Readability: it gives the text and
    /// `<title>`, no date and no source.
    Readability,
    /// All the text of `<body>` but scripts and styles; `<title>` as the title.
    WholeBody,
}

impl Extractor {
    /// Every extractor, rasd's first.
    pub const ALL: [Extractor; 5] = [
        Extractor::Rasd,
        Extractor::DomSmoothie,
        Extractor::DomSmoothieOwnMode,
        Extractor::Readability,
        Extractor::WholeBody,
    ];

    /// The extractor's name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Extractor::Rasd => "rasd",
            Extractor::DomSmoothie => "dom_smoothie 0.19 (readability mode)",
            Extractor::DomSmoothieOwnMode => "dom_smoothie 0.19 (dom_smoothie mode)",
            Extractor::Readability => "readability 0.3",
            Extractor::WholeBody => "whole body text (baseline)",
        }
    }

    /// Extracts from a page's bytes; every extractor gets the text rasd decodes.
    pub fn extract(self, bytes: &[u8]) -> Extracted {
        let Ok(html::PageText { decoded, .. }) = html::decode_page(bytes, None, None) else {
            return Extracted::default();
        };
        match self {
            Extractor::Rasd => {
                match html::parse_html_text(&decoded.text, &HtmlContext::default()) {
                    Ok(record) => Extracted {
                        title: record.title,
                        date: record.date,
                        source: record.meta.source,
                        text: record.body.unwrap_or_default(),
                    },
                    Err(_) => Extracted::default(),
                }
            }
            Extractor::DomSmoothie | Extractor::DomSmoothieOwnMode => {
                let config = dom_smoothie::Config {
                    text_mode: dom_smoothie::TextMode::Formatted,
                    candidate_select_mode: if self == Extractor::DomSmoothie {
                        dom_smoothie::CandidateSelectMode::Readability
                    } else {
                        dom_smoothie::CandidateSelectMode::DomSmoothie
                    },
                    ..dom_smoothie::Config::default()
                };
                let article =
                    dom_smoothie::Readability::new(decoded.text.as_str(), None, Some(config))
                        .and_then(|mut r| r.parse());
                match article {
                    Ok(article) => Extracted {
                        title: Some(article.title).filter(|t| !t.is_empty()),
                        date: article.published_time,
                        source: article.site_name,
                        text: article.text_content.to_string(),
                    },
                    Err(_) => Extracted::default(),
                }
            }
            Extractor::Readability => arc90_readability(&decoded.text),
            Extractor::WholeBody => whole_body(&decoded.text),
        }
    }
}

fn arc90_readability(text: &str) -> Extracted {
    // The URL only resolves relative links in the kept HTML, which is not scored; rasd's
    // rules and dom_smoothie get no URL either.
    let base = url::Url::parse("about:blank").expect("valid URL");
    match readability::extractor::extract(&mut text.as_bytes(), &base) {
        Ok(product) => Extracted {
            title: Some(product.title).filter(|t| !t.trim().is_empty()),
            text: product.text,
            ..Extracted::default()
        },
        Err(_) => Extracted::default(),
    }
}

fn whole_body(text: &str) -> Extracted {
    let document = Html::parse_document(text);
    let title = Selector::parse("title").expect("valid selector");
    let body = Selector::parse("body").expect("valid selector");
    let mut words = String::new();
    if let Some(body) = document.select(&body).next() {
        for node in body.descendants() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            let in_code = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"))
            });
            if !in_code {
                words.push_str(text);
                words.push(' ');
            }
        }
    }
    Extracted {
        title: document
            .select(&title)
            .next()
            .map(|t| t.text().collect::<String>()),
        text: words,
        ..Extracted::default()
    }
}

/// The words of a text, lowercased, with their counts.
fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// How one extractor did on one page.
#[derive(Debug, Clone)]
pub struct PageScore {
    pub name: String,
    pub precision: f64,
    pub recall: f64,
    pub title: bool,
    pub date: bool,
    pub source: bool,
    pub extracted: Extracted,
}

/// Whether a field is as expected; an empty expectation means the page does not say.
fn same_text(a: Option<&str>, b: &str) -> bool {
    if b.is_empty() {
        return a.is_none_or(str::is_empty);
    }
    a.is_some_and(|a| {
        a.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            == b.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
    })
}

/// The day of a date as written (`2024-03-12T09:30:00+01:00` → `2024-03-12`).
fn day(date: &str) -> Option<String> {
    let date = date.trim();
    if date
        .get(..10)
        .is_some_and(|d| rasd::dates::parse_date(d).is_ok())
    {
        return Some(date[..10].replace('/', "-"));
    }
    let instant = rasd::dates::parse_date(date).ok()?;
    Some(instant.date().to_string())
}

/// Scores what was extracted from a page against what it should give.
pub fn score(page: &TestPage, extracted: Extracted) -> PageScore {
    let expected = word_counts(&page.expected.text);
    let found = word_counts(&extracted.text);
    let overlap: usize = found
        .iter()
        .map(|(w, n)| (*n).min(expected.get(w).copied().unwrap_or(0)))
        .sum();
    let (found_total, expected_total) = (
        found.values().sum::<usize>(),
        expected.values().sum::<usize>(),
    );
    PageScore {
        name: page.name.clone(),
        precision: if found_total == 0 {
            0.0
        } else {
            overlap as f64 / found_total as f64
        },
        recall: if expected_total == 0 {
            1.0
        } else {
            overlap as f64 / expected_total as f64
        },
        title: same_text(extracted.title.as_deref(), &page.expected.title),
        date: extracted.date.as_deref().and_then(day).as_deref() == Some(&page.expected.date),
        source: same_text(extracted.source.as_deref(), &page.expected.source),
        extracted,
    }
}

/// An extractor's scores over the set: means of the pages' precision and recall, shares of
/// pages with the right title, date and source.
#[derive(Debug, Clone)]
pub struct Summary {
    pub extractor: Extractor,
    pub precision: f64,
    pub recall: f64,
    pub title: f64,
    pub date: f64,
    pub source: f64,
    pub pages: Vec<PageScore>,
}

/// Runs `extractor` on every page.
pub fn evaluate(extractor: Extractor, pages: &[TestPage]) -> Summary {
    let scores: Vec<PageScore> = pages
        .iter()
        .map(|page| score(page, extractor.extract(&page.bytes)))
        .collect();
    let n = scores.len().max(1) as f64;
    let mean = |f: &dyn Fn(&PageScore) -> f64| scores.iter().map(f).sum::<f64>() / n;
    Summary {
        extractor,
        precision: mean(&|s| s.precision),
        recall: mean(&|s| s.recall),
        title: mean(&|s| f64::from(u8::from(s.title))),
        date: mean(&|s| f64::from(u8::from(s.date))),
        source: mean(&|s| f64::from(u8::from(s.source))),
        pages: scores,
    }
}
