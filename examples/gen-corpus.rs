//! A deterministic synthetic corpus of security-news articles, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --docs 200000 --seed 1 --format jsonl --out DIR
//! cargo run --release --example gen-corpus -- --docs 100000 --format txt --out DIR
//! cargo run --release --example gen-corpus -- --docs 20000 --format warc --out DIR
//! ```
//!
//! About 70% Arabic, 15% French, 15% English; words drawn with a Zipf distribution from the
//! lists in `bench/words/` (written for rasd); Arabic words get proclitics (و ف ب ل), the
//! article (ال وال بال لل) and suffixes, and now and then diacritics, tatweel and
//! Arabic-Indic digits, as in real archives. Titles, dates over ten years (2015–2024), a dozen
//! sources, tags; 150–900 words per article, 300 on average (short items are the most
//! common). `jsonl` writes files of 10,000 articles; `txt` writes one file per article
//! under `SOURCE/YEAR/MONTH/ID.txt`, as many archives do; `warc` writes the same articles as
//! a crawl would have saved them: `.warc.gz` files of 10,000 pages, one gzip member per record
//! as crawlers write, each article an HTML page (HTTP response record, after its request
//! record) inside the boilerplate of a news site: header, menu, share buttons, a "read also"
//! box, a comment section and a footer. The same `--docs` and `--seed` always give the same
//! bytes.
//!
//! `--syndicate` (jsonl only) reprints stories, as agencies' wires are: each story is followed
//! by 0 to 12 copies in other outlets (most stories have few, some many), each with the edits
//! outlets make (a new title, a dateline added or removed, the last paragraph cut, two
//! paragraphs swapped, diacritics and tatweel added, ة written ه and hamza dropped, accents
//! dropped, a few words changed), and one story in four by a *different* story on the same
//! subject and place (the same names, a similar title, its opening sentence repeated as
//! background), which must not be taken for a copy. Each line then has a `story` key: the id
//! of the original, shared by its copies, for `examples/collapse-quality.rs` to score against.
//!
//! `--vocabulary wide` adds the long rare tail of real archives: besides the Zipf head of the
//! domain lists, a share of the words (`TAIL_SHARE_AR` of Arabic nouns and verbs,
//! `TAIL_SHARE_LATIN` of French and English words) comes from the lists derived from
//! Hunspell's dictionaries (`bench/words/wide-*.txt`, see `examples/derive-words.rs`), Zipf-
//! distributed too, their ranks following the head's; Arabic tail words get the proclitics of
//! nouns and the article, their suffixes coming from the dictionary's own inflections. About
//! 280,000 distinct Arabic surface forms over 200,000 articles (the default, `narrow`: about
//! 60,000). `narrow` draws exactly the random numbers it always did: its corpora are the same
//! bytes as before the wide mode existed. The summary line counts the distinct Arabic
//! surface forms written.

use std::fs::File;
use std::io::{BufWriter, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Articles per JSON Lines file.
const ARTICLES_PER_FILE: usize = 10_000;

/// SplitMix64: small, fast, and the same sequence on every platform and version.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [low, high].
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next_u64() % (high - low + 1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Words with Zipf weights: the word of rank r is drawn with probability ∝ 1/r.
struct Zipf {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(words: Vec<String>) -> Zipf {
        Zipf::ranked_after(words, 0)
    }

    /// Ranks that continue a list of `first` words: the word of index i has rank first + i + 1.
    fn ranked_after(words: Vec<String>, first: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / (first + rank) as f64;
                total
            })
            .collect();
        Zipf { words, cumulative }
    }

    fn draw<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let target = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let i = self.cumulative.partition_point(|&c| c < target);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// The vocabulary of the generator.
struct Lists {
    ar_function: Zipf,
    ar_nouns: Zipf,
    ar_verbs: Zipf,
    ar_names: Zipf,
    fr: Zipf,
    en: Zipf,
    sources: Vec<(String, String)>,
    tags: Vec<String>,
    /// The long tail of `--vocabulary wide`.
    wide: Option<WideLists>,
}

/// The tail of `--vocabulary wide`: words derived from Hunspell's dictionaries.
struct WideLists {
    ar: Zipf,
    fr: Zipf,
    en: Zipf,
}

/// The share of Arabic nouns and verbs drawn from the tail in `--vocabulary wide`.
const TAIL_SHARE_AR: f64 = 0.022;

/// The share of French and English words drawn from the tail in `--vocabulary wide`.
const TAIL_SHARE_LATIN: f64 = 0.03;

/// Which vocabulary a corpus draws from (`--vocabulary`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Vocabulary {
    /// The domain lists alone: the corpus of every benchmark before the wide one.
    Narrow,
    /// The domain lists, then a long rare tail from `bench/words/wide-*.txt`.
    Wide,
}

fn read_list(folder: &Path, name: &str) -> Result<Vec<String>, String> {
    let path = folder.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let words: Vec<String> = text
        .lines()
        .map(str::trim)
        // `#` lines say where a derived list comes from and its licence.
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    if words.is_empty() {
        return Err(format!("{} is empty", path.display()));
    }
    Ok(words)
}

impl Lists {
    fn read(folder: &Path, vocabulary: Vocabulary) -> Result<Lists, String> {
        let zipf = |name| read_list(folder, name).map(Zipf::new);
        let sources = read_list(folder, "sources.txt")?
            .into_iter()
            .map(|line| {
                let (name, lang) = line.split_once('\t').unwrap_or((&line, "ar"));
                (name.to_string(), lang.to_string())
            })
            .collect();
        let ar_nouns = zipf("ar-nouns.txt")?;
        let (fr, en) = (zipf("fr.txt")?, zipf("en.txt")?);
        let wide = match vocabulary {
            Vocabulary::Narrow => None,
            Vocabulary::Wide => {
                let tail = |name, head: &Zipf| {
                    read_list(folder, name).map(|w| Zipf::ranked_after(w, head.words.len()))
                };
                Some(WideLists {
                    ar: tail("wide-ar.txt", &ar_nouns)?,
                    fr: tail("wide-fr.txt", &fr)?,
                    en: tail("wide-en.txt", &en)?,
                })
            }
        };
        Ok(Lists {
            ar_function: zipf("ar-function.txt")?,
            ar_nouns,
            ar_verbs: zipf("ar-verbs.txt")?,
            ar_names: zipf("ar-names.txt")?,
            fr,
            en,
            sources,
            tags: read_list(folder, "tags.txt")?,
            wide,
        })
    }
}

const HARAKAT: [char; 6] = [
    '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}', '\u{0652}', '\u{064B}',
];

/// A one-letter proclitic at the rates of news text, or none.
fn proclitic(rng: &mut Rng) -> &'static str {
    match rng.unit() {
        p if p < 0.12 => "و",
        p if p < 0.18 => "ب",
        p if p < 0.23 => "ل",
        p if p < 0.25 => "ف",
        _ => "",
    }
}

/// An Arabic noun as news writes it: article, proclitics, suffixes, and the noise of archives.
fn arabic_noun(rng: &mut Rng, stem: &str, out: &mut String) {
    let has_article = rng.chance(0.45);
    let proclitic = proclitic(rng);
    let mut word = String::with_capacity(stem.len() + 12);
    word.push_str(proclitic);
    if has_article {
        // ل + ال is written لل.
        word.push_str(if proclitic == "ل" { "ل" } else { "ال" });
    }
    let suffix = match rng.unit() {
        p if p < 0.06 => "ات",
        p if p < 0.10 => "ين",
        p if p < 0.12 => "ون",
        p if p < 0.17 => "ية",
        p if p < 0.19 => "ها",
        _ => "",
    };
    match stem.strip_suffix('ة') {
        Some(base) if !suffix.is_empty() => word.push_str(base),
        _ => word.push_str(stem),
    }
    word.push_str(suffix);
    if rng.chance(0.01) {
        // Fully or partly diacritised, as in quoted or educational text.
        let mut marked = String::with_capacity(word.len() * 2);
        for c in word.chars() {
            marked.push(c);
            if rng.chance(0.6) {
                marked.push(HARAKAT[rng.range(0, HARAKAT.len() - 1)]);
            }
        }
        word = marked;
    } else if rng.chance(0.005) && word.chars().count() > 3 {
        let split = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
        word.insert_str(split, "ـــ");
    }
    out.push_str(&word);
}

/// A word of the Arabic tail as news writes it: a proclitic and the article at the rates of
/// nouns; its suffixes are the dictionary's.
fn arabic_tail_word(rng: &mut Rng, word: &str, out: &mut String) {
    let proclitic = proclitic(rng);
    out.push_str(proclitic);
    if rng.chance(0.3) {
        out.push_str(if proclitic == "ل" { "ل" } else { "ال" });
    }
    out.push_str(word);
}

fn number(rng: &mut Rng, arabic_digits: bool, out: &mut String) {
    let n = match rng.unit() {
        p if p < 0.3 => rng.range(2015, 2024),
        p if p < 0.8 => rng.range(2, 99),
        _ => rng.range(100, 5000),
    };
    let text = n.to_string();
    if arabic_digits {
        out.extend(
            text.chars()
                .map(|d| char::from_u32('٠' as u32 + d.to_digit(10).unwrap_or(0)).unwrap_or(d)),
        );
    } else {
        out.push_str(&text);
    }
}

/// One Arabic sentence of `words` words.
fn arabic_sentence(rng: &mut Rng, lists: &Lists, words: usize, out: &mut String) {
    for i in 0..words {
        if i > 0 {
            out.push_str(if rng.chance(0.06) { "، " } else { " " });
        }
        match rng.unit() {
            p if p < 0.33 => out.push_str(lists.ar_function.draw(rng)),
            p if p < 0.90 && lists.wide.is_some() && rng.chance(TAIL_SHARE_AR) => {
                let tail = &lists.wide.as_ref().expect("checked above").ar;
                let word = tail.draw(rng);
                arabic_tail_word(rng, word, out);
            }
            p if p < 0.78 => {
                let stem = lists.ar_nouns.draw(rng).to_string();
                arabic_noun(rng, &stem, out);
            }
            p if p < 0.90 => out.push_str(lists.ar_verbs.draw(rng)),
            p if p < 0.98 => out.push_str(lists.ar_names.draw(rng)),
            _ => {
                let arabic_digits = rng.chance(0.3);
                number(rng, arabic_digits, out)
            }
        }
    }
}

/// One French or English sentence of `words` words, capitalised; `tail`, `--vocabulary
/// wide`'s words of that language.
fn latin_sentence(
    rng: &mut Rng,
    words_list: &Zipf,
    tail: Option<&Zipf>,
    words: usize,
    out: &mut String,
) {
    for i in 0..words {
        if i > 0 {
            out.push_str(if rng.chance(0.06) { ", " } else { " " });
        }
        if rng.chance(0.02) {
            number(rng, false, out);
            continue;
        }
        let word = match tail {
            Some(tail) if rng.chance(TAIL_SHARE_LATIN) => tail.draw(rng),
            _ => words_list.draw(rng),
        };
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
    }
}

/// A generated article.
struct Article {
    id: String,
    /// The id of the story it is a copy of (its own id for an original).
    story: String,
    title: String,
    body: String,
    date: String,
    source: String,
    lang: &'static str,
    tags: Vec<String>,
}

/// A sentence of `words` words in the language `lang` (`ar`, `fr`, else English).
fn sentence(rng: &mut Rng, lists: &Lists, lang: &str, words: usize, out: &mut String) {
    match lang {
        "ar" => arabic_sentence(rng, lists, words, out),
        "fr" => latin_sentence(
            rng,
            &lists.fr,
            lists.wide.as_ref().map(|w| &w.fr),
            words,
            out,
        ),
        _ => latin_sentence(
            rng,
            &lists.en,
            lists.wide.as_ref().map(|w| &w.en),
            words,
            out,
        ),
    }
}

fn article(rng: &mut Rng, lists: &Lists, number: usize, seed: u64) -> Article {
    let lang = match rng.unit() {
        p if p < 0.70 => "ar",
        p if p < 0.85 => "fr",
        _ => "en",
    };
    let sentence =
        |rng: &mut Rng, words: usize, out: &mut String| sentence(rng, lists, lang, words, out);
    let mut title = String::new();
    let title_words = rng.range(6, 12);
    sentence(rng, title_words, &mut title);
    // Most news items are short: 150 to 900 words, 300 on average.
    let target = 150 + (750.0 * rng.unit().powi(4)) as usize;
    let mut body = String::with_capacity(target * 8);
    let mut written = 0;
    while written < target {
        let sentences = rng.range(2, 5);
        for _ in 0..sentences {
            let words = rng.range(8, 20).min(target.saturating_sub(written).max(4));
            sentence(rng, words, &mut body);
            body.push_str(". ");
            written += words;
        }
        body.pop();
        body.push_str("\n\n");
    }
    let body = body.trim_end().to_string();
    let sources: Vec<&(String, String)> = lists.sources.iter().filter(|(_, l)| l == lang).collect();
    let source = if sources.is_empty() {
        &lists.sources[rng.range(0, lists.sources.len() - 1)]
    } else {
        sources[rng.range(0, sources.len() - 1)]
    };
    let (year, month, day) = (rng.range(2015, 2024), rng.range(1, 12), rng.range(1, 28));
    let tags = (0..rng.range(1, 3))
        .map(|_| lists.tags[rng.range(0, lists.tags.len() - 1)].clone())
        .collect();
    let id = format!("gen-{seed}-{number:07}");
    Article {
        story: id.clone(),
        id,
        title,
        body,
        date: format!("{year}-{month:02}-{day:02}"),
        source: source.0.clone(),
        lang,
        tags,
    }
}

/// The copies of `original` other outlets print, then perhaps a different story on the same
/// subject; ids follow the original's number (`-r1`, `-r2`…, `-d`).
fn syndicated(
    rng: &mut Rng,
    lists: &Lists,
    original: &Article,
    number: usize,
    seed: u64,
) -> Vec<Article> {
    // 0 to 12 copies, few for most stories.
    let copies = (13.0 * rng.unit().powi(2)) as usize;
    let mut out: Vec<Article> = (1..=copies)
        .map(|i| {
            let mut copy = reprint(rng, lists, original);
            copy.id = format!("gen-{seed}-{number:07}-r{i}");
            copy
        })
        .collect();
    if rng.chance(0.25) {
        let mut other = same_subject(rng, lists, original, number, seed);
        other.id = format!("gen-{seed}-{number:07}-d");
        other.story = other.id.clone();
        out.push(other);
    }
    out
}

/// A source of the article's language other than `not`, if there is one.
fn other_source(rng: &mut Rng, lists: &Lists, lang: &str, not: &str) -> String {
    let sources: Vec<&String> = lists
        .sources
        .iter()
        .filter(|(name, l)| l == lang && name != not)
        .map(|(name, _)| name)
        .collect();
    match sources.len() {
        0 => not.to_string(),
        n => sources[rng.range(0, n - 1)].clone(),
    }
}

/// `original` as another outlet prints it, with some of the edits outlets make.
fn reprint(rng: &mut Rng, lists: &Lists, original: &Article) -> Article {
    let arabic = original.lang == "ar";
    let sentence = |rng: &mut Rng, words: usize, out: &mut String| {
        sentence(rng, lists, original.lang, words, out)
    };
    let mut title = original.title.clone();
    if rng.chance(0.6) {
        title.clear();
        let words = rng.range(6, 12);
        sentence(rng, words, &mut title);
    }
    let mut paragraphs: Vec<String> = original.body.split("\n\n").map(String::from).collect();
    // A dateline: removed when the original has one, else sometimes added.
    if paragraphs.len() > 1 && paragraphs[0].split(' ').count() <= 4 {
        if rng.chance(0.5) {
            paragraphs.remove(0);
        }
    } else if rng.chance(0.4) {
        let mut dateline = String::new();
        sentence(rng, 2, &mut dateline);
        paragraphs.insert(0, format!("{dateline} - {}", original.source));
    }
    if paragraphs.len() >= 3 && rng.chance(0.4) {
        paragraphs.pop();
    }
    if paragraphs.len() >= 4 && rng.chance(0.25) {
        let i = rng.range(1, paragraphs.len() - 2);
        paragraphs.swap(i, i + 1);
    }
    let mut words: Vec<String> = paragraphs
        .join("\n\n")
        .split(' ')
        .map(String::from)
        .collect();
    if rng.chance(0.6) {
        for _ in 0..rng.range(1, 5) {
            let i = rng.range(0, words.len() - 1);
            let mut word = String::new();
            sentence(rng, 1, &mut word);
            words[i] = word.to_lowercase();
        }
    }
    let (marks, spelling) = (arabic && rng.chance(0.4), arabic && rng.chance(0.4));
    for word in words.iter_mut() {
        if marks && rng.chance(0.15) {
            let mut marked = String::with_capacity(word.len() * 2);
            for (i, c) in word.chars().enumerate() {
                marked.push(c);
                if i == 1 && rng.chance(0.3) {
                    marked.push_str("ـــ");
                } else if ('\u{0621}'..='\u{064A}').contains(&c) && rng.chance(0.5) {
                    marked.push(HARAKAT[rng.range(0, HARAKAT.len() - 1)]);
                }
            }
            *word = marked;
        }
        if spelling && rng.chance(0.5) {
            *word = word
                .replace(['أ', 'إ', 'آ'], "ا")
                .replace("ة", "ه")
                .replace("ى", "ي");
        }
        if !arabic && rng.chance(0.1) {
            *word = word
                .replace(['é', 'è', 'ê'], "e")
                .replace('à', "a")
                .replace('ç', "c");
        }
    }
    let day: usize = original.date[8..].parse().unwrap_or(1);
    Article {
        id: String::new(),
        story: original.story.clone(),
        title,
        body: words.join(" "),
        date: format!(
            "{}{:02}",
            &original.date[..8],
            (day + rng.range(0, 2)).min(28)
        ),
        source: other_source(rng, lists, original.lang, &original.source),
        lang: original.lang,
        tags: original.tags.clone(),
    }
}

/// A different story on the subject and place of `original`: its title with a few words
/// changed, a new body that opens with the original's first sentence as background and names
/// the same people and places.
fn same_subject(
    rng: &mut Rng,
    lists: &Lists,
    original: &Article,
    number: usize,
    seed: u64,
) -> Article {
    let mut other = article(rng, lists, number, seed);
    while other.lang != original.lang {
        other = article(rng, lists, number, seed);
    }
    let mut title: Vec<&str> = original.title.split(' ').collect();
    let fresh: Vec<&str> = other.title.split(' ').collect();
    for i in 0..title.len().min(fresh.len()) {
        if i % 3 == 1 {
            title[i] = fresh[i];
        }
    }
    other.title = title.join(" ");
    // The names of the original (capitalised or Arabic name words) sprinkled in.
    let names: Vec<&str> = original
        .body
        .split(' ')
        .filter(|w| {
            lists.ar_names.words.iter().any(|n| n == w) || w.starts_with(char::is_uppercase)
        })
        .take(8)
        .collect();
    let mut words: Vec<String> = other.body.split(' ').map(String::from).collect();
    for name in names {
        let i = rng.range(0, words.len() - 1);
        words[i] = name.to_string();
    }
    let opening = original.body.split(". ").next().unwrap_or_default();
    other.body = format!("{opening}. {}", words.join(" "));
    other.date = original.date.clone();
    other.tags = original.tags.clone();
    other
}

/// A folder name for a source: letters and digits, `-` for the rest.
fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    slug.trim_matches('-').to_string()
}

/// How the articles are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    JsonLines,
    Text,
    Warc,
}

struct Options {
    docs: usize,
    seed: u64,
    output: Output,
    syndicate: bool,
    vocabulary: Vocabulary,
    out: PathBuf,
    words: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        docs: 1000,
        seed: 1,
        output: Output::JsonLines,
        syndicate: false,
        vocabulary: Vocabulary::Narrow,
        out: PathBuf::new(),
        words: PathBuf::from("bench/words"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => options.docs = value()?.parse().map_err(|e| format!("--docs: {e}"))?,
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--format" => {
                options.output = match value()?.as_str() {
                    "txt" => Output::Text,
                    "jsonl" => Output::JsonLines,
                    "warc" => Output::Warc,
                    other => return Err(format!("--format: `{other}` is not jsonl, txt or warc")),
                }
            }
            "--out" => options.out = PathBuf::from(value()?),
            "--syndicate" => options.syndicate = true,
            "--vocabulary" => {
                options.vocabulary = match value()?.as_str() {
                    "narrow" => Vocabulary::Narrow,
                    "wide" => Vocabulary::Wide,
                    other => return Err(format!("--vocabulary: `{other}` is not narrow or wide")),
                }
            }
            "--words" => options.words = PathBuf::from(value()?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.out.as_os_str().is_empty() {
        return Err("--out DIR is required".into());
    }
    if options.syndicate && options.output != Output::JsonLines {
        return Err("--syndicate writes jsonl only".into());
    }
    Ok(options)
}

/// Adds the Arabic surface forms of `text` to `forms`: its words' letters, as hashes (the
/// diacritics and tatweel that archives' noise adds make no form of their own).
fn arabic_forms(text: &str, forms: &mut std::collections::HashSet<u64>) {
    use std::hash::Hasher;
    for word in text.split_whitespace() {
        let mut hasher = rustc_hash::FxHasher::default();
        let mut arabic = false;
        for c in word.chars().filter(|&c| {
            ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c)
        }) {
            arabic = true;
            hasher.write_u32(c as u32);
        }
        if arabic {
            forms.insert(hasher.finish());
        }
    }
}

/// What a corpus holds: its bytes and its distinct Arabic surface forms.
struct Written {
    bytes: u64,
    arabic_forms: usize,
}

fn write_corpus(options: &Options) -> Result<Written, String> {
    let lists = Lists::read(&options.words, options.vocabulary)?;
    let mut forms = std::collections::HashSet::new();
    let io = |e: std::io::Error| e.to_string();
    std::fs::create_dir_all(&options.out).map_err(io)?;
    let mut rng = Rng(options.seed);
    let mut bytes = 0u64;
    let mut jsonl: Option<BufWriter<File>> = None;
    let mut warc: Option<BufWriter<File>> = None;
    // Copies and different stories on the same subject waiting to be written after their
    // original, in order.
    let mut pending: std::collections::VecDeque<Article> = Default::default();
    for n in 0..options.docs {
        let a = match pending.pop_front() {
            Some(a) => a,
            None => {
                let a = article(&mut rng, &lists, n, options.seed);
                if options.syndicate {
                    pending.extend(syndicated(&mut rng, &lists, &a, n, options.seed));
                }
                a
            }
        };
        if a.lang == "ar" {
            arabic_forms(&a.title, &mut forms);
            arabic_forms(&a.body, &mut forms);
        }
        if options.output == Output::Warc {
            if n % ARTICLES_PER_FILE == 0 {
                if let Some(mut file) = warc.take() {
                    file.flush().map_err(io)?;
                }
                let path = options
                    .out
                    .join(format!("crawl-{:04}.warc.gz", n / ARTICLES_PER_FILE));
                let mut file = BufWriter::new(File::create(path).map_err(io)?);
                bytes += write_member(&mut file, &warcinfo(n)).map_err(io)?;
                warc = Some(file);
            }
            let file = warc.as_mut().expect("opened above");
            for record in page_records(&a, n) {
                bytes += write_member(file, &record).map_err(io)?;
            }
            continue;
        }
        if options.output == Output::Text {
            let folder = options
                .out
                .join(slug(&a.source))
                .join(&a.date[..4])
                .join(&a.date[5..7]);
            std::fs::create_dir_all(&folder).map_err(io)?;
            let text = format!("{}\n\n{}\n", a.title, a.body);
            bytes += text.len() as u64;
            std::fs::write(folder.join(format!("{}.txt", a.id)), text).map_err(io)?;
            continue;
        }
        if n % ARTICLES_PER_FILE == 0 {
            if let Some(mut file) = jsonl.take() {
                file.flush().map_err(io)?;
            }
            let path = options
                .out
                .join(format!("part-{:04}.jsonl", n / ARTICLES_PER_FILE));
            jsonl = Some(BufWriter::new(File::create(path).map_err(io)?));
        }
        let mut line = serde_json::json!({
            "id": a.id, "title": a.title, "body": a.body, "date": a.date,
            "source": a.source, "lang": a.lang, "tags": a.tags,
        });
        if options.syndicate {
            line["story"] = serde_json::Value::from(a.story);
        }
        let line = line.to_string();
        bytes += line.len() as u64 + 1;
        let file = jsonl.as_mut().expect("opened above");
        writeln!(file, "{line}").map_err(io)?;
    }
    for mut file in jsonl.into_iter().chain(warc) {
        file.flush().map_err(io)?;
    }
    Ok(Written {
        bytes,
        arabic_forms: forms.len(),
    })
}

/// Writes `record` as one gzip member; returns the compressed size.
fn write_member(file: &mut impl Write, record: &[u8]) -> std::io::Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(record)?;
    let member = encoder.finish()?;
    file.write_all(&member)?;
    Ok(member.len() as u64)
}

/// A WARC record: its headers, then `block`.
fn warc_record(
    kind: &str,
    uri: Option<&str>,
    date: &str,
    number: usize,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012}>\r\nWARC-Date: {date}\r\n"
    );
    if let Some(uri) = uri {
        record.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    record.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut bytes = record.into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

fn warcinfo(first: usize) -> Vec<u8> {
    warc_record(
        "warcinfo",
        None,
        "2025-01-01T00:00:00Z",
        first * 3,
        "application/warc-fields",
        b"software: rasd gen-corpus\r\nformat: WARC File Format 1.0\r\n",
    )
}

/// Text escaped for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The request and response records of an article's page.
fn page_records(a: &Article, number: usize) -> [Vec<u8>; 2] {
    let site = slug(&a.source).to_lowercase();
    let uri = format!("https://{site}.example/{}/{}", &a.date[..7], a.id);
    let crawled = format!("{}T12:00:00Z", &a.date[..10]);
    let request = format!(
        "GET /{}/{} HTTP/1.1\r\nHost: {site}.example\r\nUser-Agent: gen-corpus\r\n\r\n",
        &a.date[..7],
        a.id
    );
    let html = page(a, &uri).into_bytes();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        html.len()
    )
    .into_bytes();
    response.extend_from_slice(&html);
    [
        warc_record(
            "request",
            Some(&uri),
            &crawled,
            number * 3 + 1,
            "application/http; msgtype=request",
            request.as_bytes(),
        ),
        warc_record(
            "response",
            Some(&uri),
            &crawled,
            number * 3 + 2,
            "application/http; msgtype=response",
            &response,
        ),
    ]
}

/// An article as a news site's page: the article among the site's boilerplate.
fn page(a: &Article, uri: &str) -> String {
    let (title, source) = (escape(&a.title), escape(&a.source));
    let dir = if a.lang == "ar" { " dir=\"rtl\"" } else { "" };
    let paragraphs: String = a
        .body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    let tags: String = a
        .tags
        .iter()
        .map(|t| format!("<meta property=\"article:tag\" content=\"{}\">", escape(t)))
        .collect();
    let menu: String = [
        "Politics", "Security", "Economy", "World", "Sports", "Culture", "Opinion", "Video",
    ]
    .iter()
    .map(|m| format!("<li><a href=\"/{}\">{m}</a></li>", m.to_lowercase()))
    .collect();
    let related: String = (1..=5)
        .map(|i| format!("<li><a href=\"/related/{i}\">Related story number {i} from the archive of {source}</a></li>"))
        .collect();
    let comments: String = (1..=3)
        .map(|i| format!("<div class=\"comment\"><span class=\"author\">reader{i}</span><p>Comment {i}: thank you for this report, we hope the authorities keep us informed.</p></div>"))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n<title>{title} | {source}</title>\n<meta property=\"og:title\" content=\"{title}\">\n<meta property=\"og:site_name\" content=\"{source}\">\n<meta property=\"article:published_time\" content=\"{date}\">\n{tags}\n<link rel=\"canonical\" href=\"{uri}\">\n<link rel=\"stylesheet\" href=\"/static/site.css\">\n<script src=\"/static/analytics.js\"></script>\n</head>\n<body>\n<div class=\"cookie-banner\">This site uses cookies to improve your experience. <button>Accept</button></div>\n<header class=\"site-header\"><a class=\"logo\" href=\"/\">{source}</a><nav class=\"menu\"><ul>{menu}</ul></nav></header>\n<main>\n<article>\n<h1>{title}</h1>\n<div class=\"share\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Share on X</a> <a href=\"#\">WhatsApp</a></div>\n<time datetime=\"{date}\">{date}</time>\n{paragraphs}</article>\n<aside class=\"read-also\"><h2>Read also</h2><ul>{related}</ul></aside>\n<section class=\"comments\"><h2>Comments</h2>{comments}</section>\n</main>\n<footer class=\"site-footer\"><p>© {source}. All rights reserved.</p><ul><li><a href=\"/about\">About us</a></li><li><a href=\"/contact\">Contact</a></li><li><a href=\"/privacy\">Privacy policy</a></li></ul></footer>\n<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{event: \"pageview\"}});</script>\n</body>\n</html>\n",
        lang = a.lang,
        date = a.date,
    )
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("gen-corpus: error: {e}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match write_corpus(&options) {
        Ok(Written {
            bytes,
            arabic_forms,
        }) => {
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "gen-corpus: {} articles, {:.1} MB, {arabic_forms} distinct Arabic surface forms, \
                 in {seconds:.1}s ({:.1} MB/s) in {}",
                options.docs,
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / seconds,
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-corpus: error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(vocabulary: Vocabulary, seed: u64, n: usize) -> Vec<Article> {
        let lists = Lists::read(Path::new("bench/words"), vocabulary).expect("the word lists");
        let mut rng = Rng(seed);
        (0..n).map(|i| article(&mut rng, &lists, i, seed)).collect()
    }

    fn text(articles: &[Article]) -> String {
        articles
            .iter()
            .map(|a| format!("{}\n{}\n", a.title, a.body))
            .collect()
    }

    /// The words of the derived lists that no domain list holds.
    fn tail_only(list: &str, heads: &[&str]) -> HashSet<String> {
        let folder = Path::new("bench/words");
        let head: HashSet<String> = heads
            .iter()
            .flat_map(|h| read_list(folder, h).expect("a head list"))
            .collect();
        read_list(folder, list)
            .expect("a wide list")
            .into_iter()
            .filter(|w| !head.contains(w))
            .collect()
    }

    use std::collections::HashSet;

    #[test]
    fn the_wide_vocabulary_is_the_same_for_a_seed_and_differs_between_seeds() {
        let once = text(&articles(Vocabulary::Wide, 7, 200));
        assert_eq!(once, text(&articles(Vocabulary::Wide, 7, 200)));
        assert_ne!(once, text(&articles(Vocabulary::Wide, 8, 200)));
    }

    #[test]
    fn the_narrow_vocabulary_writes_the_corpus_it_always_did() {
        // FNV-1a of the first 300 articles of seed 1, as generated before `--vocabulary`
        // existed (the shared benchmark corpus was compared byte for byte with the new one).
        let hash = text(&articles(Vocabulary::Narrow, 1, 300))
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        assert_eq!(hash, NARROW_HASH);
    }

    const NARROW_HASH: u64 = 16_327_139_104_775_965_924;

    #[test]
    fn the_tail_is_present_in_wide_corpora_only() {
        let ar_tail = tail_only(
            "wide-ar.txt",
            &[
                "ar-nouns.txt",
                "ar-verbs.txt",
                "ar-function.txt",
                "ar-names.txt",
            ],
        );
        let latin_tail = {
            let mut t = tail_only("wide-fr.txt", &["fr.txt", "en.txt"]);
            t.extend(tail_only("wide-en.txt", &["fr.txt", "en.txt"]));
            t
        };
        let count = |vocabulary| {
            let (mut arabic, mut latin, mut arabic_words) = (0usize, 0usize, 0usize);
            for a in articles(vocabulary, 3, 400) {
                for word in a.body.split_whitespace() {
                    let word = word.trim_matches(|c: char| !c.is_alphabetic());
                    if a.lang == "ar" {
                        arabic_words += 1;
                        // A tail word may carry a proclitic and the article before it.
                        let bare = ["وال", "بال", "فال", "لل", "ال", "و", "ب", "ل", "ف", ""]
                            .iter()
                            .filter_map(|p| word.strip_prefix(p))
                            .any(|w| ar_tail.contains(w));
                        arabic += usize::from(bare);
                    } else {
                        latin += usize::from(latin_tail.contains(&word.to_lowercase()));
                    }
                }
            }
            (arabic, latin, arabic_words)
        };
        // Inflected domain words are in the dictionary too: what the narrow corpus shows of
        // the tail is the baseline the wide one must exceed by about TAIL_SHARE_AR of the
        // 57% of Arabic words that are nouns and verbs.
        let (wide_arabic, wide_latin, arabic_words) = count(Vocabulary::Wide);
        let (narrow_arabic, narrow_latin, _) = count(Vocabulary::Narrow);
        let added = (wide_arabic as f64 - narrow_arabic as f64) / arabic_words as f64;
        assert!(
            (0.5 * 0.57 * TAIL_SHARE_AR..2.0 * 0.57 * TAIL_SHARE_AR).contains(&added),
            "wide {wide_arabic}, narrow {narrow_arabic} of {arabic_words} Arabic words"
        );
        assert!(
            wide_latin > narrow_latin + 100,
            "French and English tail words: wide {wide_latin}, narrow {narrow_latin}"
        );
        let forms = |vocabulary| {
            let mut forms = HashSet::new();
            for a in articles(vocabulary, 3, 400)
                .iter()
                .filter(|a| a.lang == "ar")
            {
                arabic_forms(&a.body, &mut forms);
            }
            forms.len()
        };
        let (wide, narrow) = (forms(Vocabulary::Wide), forms(Vocabulary::Narrow));
        assert!(
            wide > narrow * 11 / 10,
            "distinct Arabic forms: wide {wide}, narrow {narrow}"
        );
    }

    #[test]
    fn arabic_forms_ignore_marks_and_punctuation() {
        let mut forms = HashSet::new();
        arabic_forms("الشرطة، الشُّرطة الشـــرطة. police 2024", &mut forms);
        assert_eq!(forms.len(), 1);
        arabic_forms("والشرطة", &mut forms);
        assert_eq!(forms.len(), 2);
    }
}
