//! Snippets: a window of the original text around the best matches, with the matched words'
//! positions, in characters, for terminals and for JSON.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::Score;
use tantivy::snippet::collapse_overlapped_ranges;
use tantivy::tokenizer::TextAnalyzer;
use unicode_segmentation::UnicodeSegmentation;

/// A piece of text with highlighted ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text on one line: newlines and tabs become spaces, one for one.
    pub text: String,
    /// Highlighted ranges as `[start, end)` Unicode character offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Whether text was cut before the snippet.
    pub cut_before: bool,
    /// Whether text was cut after the snippet.
    pub cut_after: bool,
}

/// Converts byte ranges in `text` to character ranges (ranges sorted, not overlapping).
fn char_ranges(text: &str, byte_ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let mut out = Vec::with_capacity(byte_ranges.len());
    let (mut chars, mut bytes) = (0, 0);
    let mut advance_to = |target: usize| {
        chars += text[bytes..target].chars().count();
        bytes = target;
        chars
    };
    for range in byte_ranges {
        let start = advance_to(range.start);
        let end = advance_to(range.end);
        out.push([start, end]);
    }
    out
}

/// The most characters a terminal escape sequence in an article is taken to have.
const MAX_ESCAPE_CHARS: usize = 64;

/// `text` on one line: each control character a space, and so is the rest of a terminal
/// escape sequence it starts (`ESC [2J`, `ESC ]0;title BEL`), which would otherwise show as
/// `[2J`. One character for one, so that highlights keep their place.
fn one_line(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{1b}' {
            let end = escape_end(&chars[i..]);
            out.extend(std::iter::repeat_n(' ', end));
            i += end;
            continue;
        }
        out.push(if c.is_control() { ' ' } else { c });
        i += 1;
    }
    out
}

/// How many characters the escape sequence at the start of `chars` (an ESC) has: a CSI
/// (`ESC [` … a final letter), an OSC (`ESC ]` … BEL or `ESC \`), or ESC and one character.
fn escape_end(chars: &[char]) -> usize {
    let within = chars.len().min(MAX_ESCAPE_CHARS);
    match chars.get(1) {
        Some('[') => (2..within)
            .find(|&i| ('@'..='~').contains(&chars[i]))
            .map_or(1, |i| i + 1),
        Some(']') => (2..within)
            .find(|&i| chars[i] == '\u{7}' || (chars[i] == '\\' && chars[i - 1] == '\u{1b}'))
            .map_or(1, |i| i + 1),
        Some(_) => 2,
        None => 1,
    }
}

/// The words of an [`Analyzed`] text: each word's byte range, and its weight in each of
/// several sets of terms (the words as typed, every term of the query). The text is analyzed
/// once, where a `SnippetGenerator` per set analyzed it once per set, and once more for the
/// window it chose.
pub struct Tokens {
    ranges: Vec<Range<usize>>,
    /// `sets` weights per word, `None` where the word is no term of the set.
    weights: Vec<Option<Score>>,
    sets: usize,
}

/// Terms to highlight, each with its weight in choosing the window: rarer terms more.
pub type Weights = BTreeMap<String, Score>;

/// `text` in lower case, as tantivy's snippets look terms up; borrowed when it is already
/// (Arabic and lower-case Latin words, the analyzers' output, always are).
pub(super) fn lower_case(text: &str) -> Cow<'_, str> {
    let lower = text.chars().all(|c| match c {
        _ if c.is_ascii() => !c.is_ascii_uppercase(),
        '\u{0600}'..='\u{06FF}' => true,
        _ => c.to_lowercase().eq([c]),
    });
    match lower {
        true => Cow::Borrowed(text),
        false => Cow::Owned(text.to_lowercase()),
    }
}

/// The words of a text as one view's analyzer gives them, before any weighing: each word's
/// byte range in the text and its term in lower case. Kept, the words of one text serve the
/// snippets of every query that shows it (the saved searches of a `watch run`).
#[derive(Debug, Default)]
pub struct Analyzed {
    /// Each word's byte range in the analyzed text, and where its term lies in `terms`.
    words: Vec<(Range<usize>, Range<usize>)>,
    /// Each word's position, as phrases count them (see [`crate::analysis::positions`]).
    positions: Vec<usize>,
    /// The words' terms, one after the other: one allocation, not one per word.
    terms: String,
}

impl Analyzed {
    /// How many of `terms` the text has.
    pub fn has_of(&self, terms: &Weights) -> usize {
        let mut found: Vec<&str> = self
            .words
            .iter()
            .map(|(_, term)| &self.terms[term.clone()])
            .filter(|term| terms.contains_key(*term))
            .collect();
        found.sort_unstable();
        found.dedup();
        found.len()
    }

    /// The words of `text` by `analyzer`.
    pub fn new(analyzer: &TextAnalyzer, text: &str) -> Analyzed {
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut analyzed = Analyzed::default();
        while let Some(token) = stream.next() {
            let start = analyzed.terms.len();
            analyzed.terms.push_str(&lower_case(&token.text));
            let term = start..analyzed.terms.len();
            analyzed
                .words
                .push((token.offset_from..token.offset_to, term));
            analyzed.positions.push(token.position);
        }
        analyzed
    }

    /// The term of word number `word`.
    fn term(&self, word: usize) -> &str {
        &self.terms[self.words[word].1.clone()]
    }

    /// The words of each occurrence of `phrases`' phrases in the text, by their numbers.
    fn occurrences(&self, phrases: &Phrases) -> Vec<Vec<usize>> {
        let mut found = vec![];
        if phrases.phrases.is_empty() {
            return found;
        }
        // One lookup per word, not one comparison per word and phrase: a long query has
        // hundreds of phrases (each word its analyzer splits in two is one).
        for start in 0..self.words.len() {
            let Some(numbers) = phrases.by_first_term.get(self.term(start)) else {
                continue;
            };
            for phrase in numbers.iter().map(|&number| &phrases.phrases[number]) {
                let Some(base) = self.positions[start].checked_sub(phrase[0].0) else {
                    continue;
                };
                let words: Option<Vec<usize>> = phrase
                    .iter()
                    .map(|(offset, term)| self.word_at(base + offset, term))
                    .collect();
                found.extend(words);
            }
        }
        found
    }

    /// The word at `position` whose term is `term`, if any (a view may give several terms
    /// at one position).
    fn word_at(&self, position: usize, term: &str) -> Option<usize> {
        let first = self.positions.partition_point(|&p| p < position);
        (first..self.positions.len())
            .take_while(|&w| self.positions[w] == position)
            .find(|&w| self.term(w) == term)
    }
}

/// The phrases of a query as one view analyzes them, and those of their terms that the
/// query searches nowhere but in them: such a term is highlighted only where it stands in an
/// occurrence of its phrase, so that a phrase's words do not light up wherever they occur
/// apart (`"الاتجار في الأسلحة"` in `الاتجار بالبشر. الأسلحة`).
#[derive(Debug, Default)]
pub struct Phrases {
    /// Each phrase's terms, with their positions counted from its first term's.
    phrases: Vec<Vec<(usize, String)>>,
    /// The phrases' numbers in `phrases` by their first term.
    by_first_term: FxHashMap<String, Vec<usize>>,
    /// The terms highlighted only inside an occurrence of their phrase.
    only_in_phrases: HashSet<String>,
}

impl Phrases {
    /// The phrases among `exact` (words and phrases of the query, each as one text) as
    /// `analyzer` gives them: those of two terms or more. The terms of the others, and every
    /// term of `loose` (phrases with a slop or a prefix, whose words may stand anywhere),
    /// are searched as words.
    pub fn new(analyzer: &TextAnalyzer, exact: &[String], loose: &[String]) -> Phrases {
        let mut analyzer = analyzer.clone();
        let mut phrases = Phrases::default();
        let mut words = HashSet::new();
        for text in exact {
            let terms: Vec<(usize, String)> = crate::analysis::terms_with_gaps(&mut analyzer, text)
                .into_iter()
                .map(|(position, term)| (position, lower_case(&term).into_owned()))
                .collect();
            match terms.len() {
                0 | 1 => words.extend(terms.into_iter().map(|(_, term)| term)),
                _ => phrases.phrases.push(terms),
            }
        }
        for text in loose {
            let terms = crate::analysis::terms(&mut analyzer, text);
            words.extend(terms.iter().map(|term| lower_case(term).into_owned()));
        }
        for (number, phrase) in phrases.phrases.iter().enumerate() {
            let first = phrase[0].1.clone();
            phrases.by_first_term.entry(first).or_default().push(number);
        }
        phrases.only_in_phrases = (phrases.phrases.iter().flatten())
            .map(|(_, term)| term.clone())
            .filter(|term| !words.contains(term))
            .collect();
        phrases
    }
}

/// Sets of terms to weigh a text's words by, and the query's phrases, made ready to weigh
/// every word of many texts with one lookup each: built once per view of a search, where
/// each hit's text has hundreds of words.
#[derive(Debug)]
pub struct Weighing {
    /// Each term of some set, and its row in `weights`.
    rows: FxHashMap<String, usize>,
    /// Per row, the term's weight in each set (`None`: no term of that set).
    weights: Vec<Option<Score>>,
    /// Per row, whether the query searches the term only in its phrases: it weighs only
    /// inside an occurrence of one.
    only_in_phrases: Vec<bool>,
    sets: usize,
    phrases: Phrases,
}

impl Weighing {
    /// The words of a text weighed by each of `sets`, numbered in their order, and by
    /// `phrases`.
    pub fn new(sets: &[&Weights], phrases: Phrases) -> Weighing {
        let mut weighing = Weighing {
            rows: FxHashMap::default(),
            weights: vec![],
            only_in_phrases: vec![],
            sets: sets.len(),
            phrases,
        };
        for (number, set) in sets.iter().enumerate() {
            for (term, weight) in set.iter() {
                let row = match weighing.rows.get(term.as_str()) {
                    Some(&row) => row,
                    None => {
                        let row = weighing.only_in_phrases.len();
                        weighing.rows.insert(term.clone(), row);
                        (weighing.weights).extend(std::iter::repeat_n(None, sets.len()));
                        (weighing.only_in_phrases)
                            .push(weighing.phrases.only_in_phrases.contains(term));
                        row
                    }
                };
                weighing.weights[row * sets.len() + number] = Some(*weight);
            }
        }
        weighing
    }

    /// The weights of `term` in every set, in or out of its phrases.
    fn row(&self, term: &str) -> Option<(&[Option<Score>], bool)> {
        let row = *self.rows.get(term)?;
        let weights = &self.weights[row * self.sets..(row + 1) * self.sets];
        Some((weights, self.only_in_phrases[row]))
    }
}

impl Tokens {
    /// The words `analyzed`, weighed as `weighing` says; a term of its phrases that the
    /// query searches only in them weighs only where one of them occurs. Such an occurrence
    /// is highlighted whole for a set that highlights any of its words, the words too short
    /// to weigh (the `U` and `S` of `"U.S. Navy"`) with no weight.
    pub fn weigh(analyzed: &Analyzed, weighing: &Weighing) -> Tokens {
        let (count, sets) = (analyzed.words.len(), weighing.sets);
        let mut tokens = Tokens {
            ranges: Vec::with_capacity(count),
            weights: Vec::with_capacity(count * sets),
            sets,
        };
        for (word, (range, _)) in analyzed.words.iter().enumerate() {
            tokens.ranges.push(range.clone());
            match weighing.row(analyzed.term(word)) {
                Some((weights, false)) => tokens.weights.extend_from_slice(weights),
                _ => tokens.weights.extend(std::iter::repeat_n(None, sets)),
            }
        }
        for occurrence in analyzed.occurrences(&weighing.phrases) {
            // One highlight from its first word to its last, over the stop words, a
            // negation or the punctuation between them (`U.S. Navy`).
            if let (Some(&first), Some(&last)) = (occurrence.iter().min(), occurrence.iter().max())
            {
                tokens.ranges[first].end = tokens.ranges[first].end.max(tokens.ranges[last].end);
            }
            for set in 0..sets {
                let weight = |word: usize| {
                    let (weights, _) = weighing.row(analyzed.term(word))?;
                    weights[set]
                };
                if occurrence.iter().all(|&word| weight(word).is_none()) {
                    continue;
                }
                for &word in &occurrence {
                    tokens.weights[word * sets + set] = Some(weight(word).unwrap_or(0.0));
                }
            }
        }
        tokens
    }

    /// Each word's range and its weight in set number `set`.
    fn weighed(&self, set: usize) -> impl Iterator<Item = (&Range<usize>, Option<Score>)> {
        let weights = self.weights.iter().skip(set).step_by(self.sets.max(1));
        self.ranges.iter().zip(weights.copied())
    }

    /// The window of at most `max_bytes` with the most weight of set `set`'s terms (the first
    /// of equals), and its highlighted ranges: the window tantivy's `SnippetGenerator` would
    /// choose. `None` when no term is found.
    /// A window's size counts each gap between words as [`MAX_GAP_BYTES`] at most: a run the
    /// snippet shows shortened ([`shortened_runs`]) does not end it.
    fn best_window(&self, set: usize, max_bytes: usize) -> Option<Window> {
        let mut best: Option<Window> = None;
        let mut window = Window::at(0);
        let mut keep = |window: Window| {
            if window.score > 0.0 && best.as_ref().is_none_or(|b| window.score > b.score) {
                best = Some(window);
            }
        };
        for (range, weight) in self.weighed(set) {
            // What the word adds to the window's size: the gap before it, capped, and what of
            // it is not in the window already (tokens may overlap: several at one word).
            let added = |window: &Window| {
                range
                    .start
                    .saturating_sub(window.range.end)
                    .min(MAX_GAP_BYTES)
                    + range.end.saturating_sub(range.start.max(window.range.end))
            };
            if window.size + added(&window) > max_bytes {
                keep(std::mem::replace(&mut window, Window::at(range.start)));
            }
            window.size += added(&window);
            // A phrase's first word spans the phrase (see [`Tokens::weigh`]): the words after
            // it end no later.
            window.range.end = window.range.end.max(range.end);
            if let Some(weight) = weight {
                window.score += weight;
                window.highlighted.push(range.clone());
            }
        }
        keep(window);
        best
    }

    /// The ranges of set `set`'s terms within `within`.
    fn highlighted(&self, set: usize, within: &Range<usize>) -> Vec<Range<usize>> {
        self.weighed(set)
            .filter(|(range, weight)| {
                range.start >= within.start && range.end <= within.end && weight.is_some()
            })
            .map(|(range, _)| range.clone())
            .collect()
    }
}

/// The most punctuation characters a snippet takes in on either side of its words.
const MAX_ATTACHED_PUNCTUATION: usize = 4;

/// `range` of `text` widened over the punctuation written against its ends: characters that
/// are neither letters, digits nor white space, when there are a few of them (a line of
/// dashes stays out).
fn with_attached_punctuation(text: &str, range: Range<usize>) -> Range<usize> {
    /// The bytes of the run of punctuation `chars` starts with, if it is short.
    fn short_run(chars: impl Iterator<Item = char>) -> usize {
        let run: Vec<char> = chars
            .take(MAX_ATTACHED_PUNCTUATION + 1)
            .take_while(|c| !c.is_alphanumeric() && !c.is_whitespace())
            .collect();
        if run.len() > MAX_ATTACHED_PUNCTUATION {
            return 0;
        }
        run.iter().copied().map(char::len_utf8).sum()
    }
    let before = short_run(text[..range.start].chars().rev());
    let after = short_run(text[range.end..].chars());
    range.start - before..range.end + after
}

/// A window of a text: its byte range, its size as shown, the weight of the terms in it,
/// where they are.
struct Window {
    range: Range<usize>,
    /// Its bytes, each gap between words counted [`MAX_GAP_BYTES`] at most.
    size: usize,
    score: Score,
    highlighted: Vec<Range<usize>>,
}

impl Window {
    fn at(start: usize) -> Window {
        Window {
            range: start..start,
            size: 0,
            score: 0.0,
            highlighted: vec![],
        }
    }
}

/// The most characters of a run without white space that a snippet shows whole. A longer
/// one between its words (a base64 blob, a letter typed 5,000 times: too long to be a word
/// of the index) shows its first [`LONG_RUN_SHOWN`] characters and `…`, and counts
/// [`MAX_GAP_BYTES`] in the window's size, so that it neither fills the snippet nor ends it
/// before the words after it.
const MAX_RUN_CHARS: usize = 40;
/// The most characters of a run with a highlight that a snippet shows whole.
const MAX_MATCHED_RUN_CHARS: usize = 160;
/// The characters of a long run a snippet shows.
const LONG_RUN_SHOWN: usize = 20;
/// The most bytes a gap between two words counts in a window's size: more than a shortened
/// run takes (twenty Arabic letters and `…`), less than any snippet.
const MAX_GAP_BYTES: usize = 48;

/// `fragment` with each run of more than [`MAX_RUN_CHARS`] characters without white space
/// shortened: one without a highlight to its first [`LONG_RUN_SHOWN`] characters and `…`, one
/// with highlights of more than [`MAX_MATCHED_RUN_CHARS`] (a word glued to 5,000 emoji) to
/// them and [`LONG_RUN_SHOWN`] characters on either side, `…` where cut, but not at an end
/// of `fragment` that `cut` says the snippet marks itself (`(before, after)`: one mark for
/// both omissions); `highlighted` (its byte ranges, sorted) moved with the text.
fn shortened_runs(
    fragment: &str,
    highlighted: &[Range<usize>],
    cut: (bool, bool),
) -> (String, Vec<Range<usize>>) {
    let mut text = String::with_capacity(fragment.len().min(1 << 12));
    let mut moved: Vec<Range<usize>> = highlighted.to_vec();
    let mut start = 0;
    for (at, c) in fragment
        .char_indices()
        .chain(std::iter::once((fragment.len(), ' ')))
    {
        if !c.is_whitespace() {
            continue;
        }
        let kept = kept_of_run(fragment, start..at, highlighted);
        if kept.start > start && !(start == 0 && cut.0) {
            text.push('…');
        }
        for (h, original) in moved.iter_mut().zip(highlighted) {
            if original.start >= kept.start && original.end <= kept.end {
                let shift = text.len() as isize - kept.start as isize;
                *h = original.start.saturating_add_signed(shift)
                    ..original.end.saturating_add_signed(shift);
            }
        }
        text.push_str(&fragment[kept.clone()]);
        if kept.end < at && !(at == fragment.len() && cut.1) {
            text.push('…');
        }
        if at < fragment.len() {
            text.push(c);
        }
        start = at + c.len_utf8();
    }
    (text, moved)
}

/// What a snippet shows of the run `run` of `fragment` (see [`shortened_runs`]): all of a
/// short one, else whole letters around its highlights or at its start.
fn kept_of_run(fragment: &str, run: Range<usize>, highlighted: &[Range<usize>]) -> Range<usize> {
    let text = &fragment[run.clone()];
    if text.chars().nth(MAX_RUN_CHARS).is_none() {
        return run;
    }
    let inside = highlighted
        .iter()
        .filter(|h| h.start < run.end && h.end > run.start);
    let (first, last) = inside.fold(
        (None, None),
        |(first, last): (Option<usize>, Option<usize>), h| {
            (
                Some(first.map_or(h.start, |f| f.min(h.start))),
                Some(last.map_or(h.end, |l| l.max(h.end))),
            )
        },
    );
    // The byte `LONG_RUN_SHOWN` characters after `from` in the run, whole letters.
    let after = |from: usize| {
        let end = fragment[from..run.end]
            .char_indices()
            .nth(LONG_RUN_SHOWN)
            .map_or(run.end, |(i, _)| from + i);
        crate::clean::cluster_start(fragment, end)
    };
    match (first, last) {
        // A run with a match (a hashtag, a URL) is shown whole unless it would fill the
        // snippet many times over.
        (Some(_), Some(_)) if text.chars().nth(MAX_MATCHED_RUN_CHARS).is_none() => run,
        (Some(first), Some(last)) => {
            let start = fragment[run.start..first]
                .char_indices()
                .rev()
                .nth(LONG_RUN_SHOWN - 1)
                .map_or(run.start, |(i, _)| run.start + i);
            crate::clean::cluster_start(fragment, start)..after(last).max(last)
        }
        _ => run.start..after(run.start),
    }
}

/// The stretches of `text` a snippet is looked for in, in order: `text` in parts of at most
/// `max_bytes`, each from the one before's last `overlap` bytes (or more), so that words
/// together are together in some part, however they fall. A part ends after white space
/// where it has some, else at a word boundary (after punctuation or a symbol, never inside a
/// word, a letter's marks or an emoji sequence), else at a character: a long text is analyzed
/// only as far as its snippet needs, and no part begins with the end of a word.
pub fn parts(
    text: &str,
    max_bytes: usize,
    overlap: usize,
) -> impl Iterator<Item = Range<usize>> + '_ {
    let max_bytes = max_bytes.max(4);
    let overlap = overlap.min(max_bytes / 2);
    let mut start = Some(0);
    // The end of the part before: each part goes further.
    let mut reached = 0;
    std::iter::from_fn(move || {
        let mut from = start.filter(|&from| from < text.len())?;
        let mut end = cut(text, from, from + max_bytes);
        if end <= reached {
            // No cut further within reach: this part starts where the last one ended.
            from = reached;
            end = cut(text, from, from + max_bytes);
        }
        reached = end;
        start = (end < text.len()).then(|| {
            let next = cut(text, from, end.saturating_sub(overlap));
            if next > from { next } else { end }
        });
        Some(from..end)
    })
}

/// Where a part of `text` from `start` that may reach `end` ends (see [`parts`]): `end` when
/// it is the text's end, else after the last white space, else at the last word boundary,
/// else at the last character boundary; always after `start` when `end` is.
fn cut(text: &str, start: usize, end: usize) -> usize {
    if end >= text.len() {
        return text.len();
    }
    if end <= start {
        return start;
    }
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let part = &text[start..end];
    if let Some((at, c)) = part.char_indices().rev().find(|(_, c)| c.is_whitespace()) {
        return start + at + c.len_utf8();
    }
    // Word boundaries (UAX #29) among the part's last few KB, the next characters in view:
    // whether `end` itself is one depends on what follows it.
    let mut from = end.saturating_sub(4096).max(start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + 64).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let boundary = text[from..to]
        .split_word_bound_indices()
        .map(|(at, _)| from + at)
        .rev()
        .find(|&at| at > from.max(start) && at <= end);
    match boundary {
        Some(at) => at,
        None => match crate::clean::cluster_start(text, end) {
            at if at > start => at,
            // One cluster longer than a part (a letter with thousands of marks).
            _ if end > start => end,
            _ => start + text[start..].chars().next().map_or(0, char::len_utf8),
        },
    }
}

impl Snippet {
    /// This snippet of `part`, a stretch of a longer `text`: cut before or after where the
    /// text goes on.
    pub fn within(mut self, text: &str, part: &Range<usize>) -> Snippet {
        self.cut_before |= !text[..part.start].trim().is_empty();
        self.cut_after |= !text[part.end..].trim().is_empty();
        self
    }

    /// The best window of `text` (whose words are `tokens`) for the terms of its set number
    /// `set`, or `None` when nothing in `text` matches (tantivy highlights no fuzzy, regex or
    /// range matches).
    pub fn best(tokens: &Tokens, set: usize, text: &str, max_bytes: usize) -> Option<Snippet> {
        let window = tokens.best_window(set, max_bytes)?;
        Some(Snippet::window(text, window.range, &window.highlighted))
    }

    /// The best window of `text` for the terms of set `preferred` (the words as typed), with
    /// the terms of set `all` (the query's, which include them) highlighted in it; `None` when
    /// none of `preferred`'s terms is in `text`. Tantivy picks the window with the most weight of
    /// terms, in which two words of an alias outweigh the one word typed: choosing it by the
    /// typed words alone keeps what the user wrote in view.
    pub fn best_preferring(
        tokens: &Tokens,
        preferred: usize,
        all: usize,
        text: &str,
        max_bytes: usize,
    ) -> Option<Snippet> {
        let window = tokens.best_window(preferred, max_bytes)?;
        let highlighted = tokens.highlighted(all, &window.range);
        Some(Snippet::window(text, window.range, &highlighted))
    }

    /// A snippet of `text[range]`, `highlighted` (byte ranges of `text`) within it. The
    /// range, from the first word's start to the last word's end, takes in the punctuation
    /// written against them (`«today.»`), so that a sentence's end is shown and no cut is
    /// claimed where there is none.
    fn window(text: &str, range: Range<usize>, highlighted: &[Range<usize>]) -> Snippet {
        let range = with_attached_punctuation(text, range);
        let fragment = &text[range.clone()];
        let relative: Vec<Range<usize>> = highlighted
            .iter()
            .map(|r| r.start - range.start..r.end - range.start)
            .collect();
        let ranges = collapse_overlapped_ranges(&relative);
        let cut_before = !text[..range.start].trim().is_empty();
        let cut_after = !text[range.end..].trim().is_empty();
        let (fragment, ranges) = shortened_runs(fragment, &ranges, (cut_before, cut_after));
        Snippet {
            text: one_line(&fragment),
            highlights: char_ranges(&fragment, &ranges),
            cut_before,
            cut_after,
        }
    }

    /// The whole of a short `text` (whose words are `tokens`) with the terms of set `set`
    /// highlighted (for titles).
    pub fn whole(tokens: &Tokens, set: usize, text: &str) -> Snippet {
        let ranges = collapse_overlapped_ranges(&tokens.highlighted(set, &(0..text.len())));
        Snippet {
            text: one_line(text),
            highlights: char_ranges(text, &ranges),
            ..Snippet::default()
        }
    }

    /// The whole of a short `text`, unhighlighted (titles that did not match).
    pub fn whole_plain(text: &str) -> Snippet {
        Snippet {
            text: one_line(text),
            ..Snippet::default()
        }
    }

    /// The first `max_chars` characters of `text`, cut at a word boundary, unhighlighted.
    pub fn leading(text: &str, max_chars: usize) -> Snippet {
        let text = text.trim();
        let mut end = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| i);
        if end < text.len() {
            end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
        }
        Snippet {
            text: one_line(text[..end].trim_end()),
            highlights: vec![],
            cut_before: false,
            cut_after: end < text.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_cut_into_parts_after_white_space_or_between_words() {
        let parts = |text: &str, max, overlap| parts(text, max, overlap).collect::<Vec<_>>();
        assert!(parts("", 10, 0).is_empty());
        assert_eq!(parts("short", 10, 0), vec![0..5]);
        assert_eq!(parts("aaa bbb ccc", 8, 0), [0..8, 8..11]);
        assert_eq!(parts("aaa bbb ccc", 7, 0), [0..4, 4..11]);
        // Each part from the one before's last bytes, cut where a part would be.
        assert_eq!(parts("aaa bbb ccc ddd", 8, 4), [0..8, 4..12, 8..15]);
        // Without white space, between words: after punctuation, never inside a word.
        assert_eq!(parts("aaa،bbb،ccc", 9, 0), [0..8, 8..13]);
        assert_eq!(parts("superbomb/bomb", 12, 0), [0..10, 10..14]);
        assert_eq!(
            parts("aaaaaaaaaaaa", 5, 0),
            [0..5, 5..10, 10..12],
            "one word: anywhere"
        );
        // Arabic letters are two bytes: a part never ends inside one, nor between a letter
        // and its mark.
        assert_eq!(parts("خلية", 5, 0), [0..4, 4..8]);
        assert_eq!(parts("خَلية", 5, 0), [0..4, 4..8, 8..10]);
    }

    #[test]
    fn terminal_escape_sequences_become_spaces_whole() {
        assert_eq!(one_line("a\u{1b}[2Jb"), "a    b");
        assert_eq!(
            one_line("a\u{1b}]0;pwned\u{7}b"),
            format!("a{}b", " ".repeat(10))
        );
        assert_eq!(
            one_line("a\u{1b}]8;;http://x\u{1b}\\b"),
            format!("a{}b", " ".repeat(15))
        );
        // Unfinished: the ESC alone; one character for one, always.
        assert_eq!(one_line("a\u{1b}[12"), "a [12");
        assert_eq!(one_line("خلية\tو\u{1b}"), "خلية و ");
    }
    use proptest::prelude::*;
    use tantivy::schema::Field;
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};

    const WORDS: &[&str] = &["ميناء", "طنجة", "Port", "saisie", "x", "الدار", "البيضاء"];

    proptest! {
        /// Parts go from the text's start to its end, each starting within the one before
        /// and ending after it, on character boundaries, none longer than asked, and end
        /// after white space when what they add has some.
        #[test]
        fn parts_cover_the_text(
            text in "[a خ\u{301}\u{64e}،/\n]{0,300}",
            max_bytes in 0usize..40,
            overlap in 0usize..20,
        ) {
            let mut last: Option<std::ops::Range<usize>> = None;
            for part in parts(&text, max_bytes, overlap) {
                match &last {
                    None => prop_assert_eq!(part.start, 0),
                    Some(last) => {
                        prop_assert!(part.start > last.start && part.start <= last.end);
                        prop_assert!(part.end > last.end);
                    }
                }
                prop_assert!(part.end > part.start);
                prop_assert!(part.len() <= max_bytes.max(4));
                prop_assert!(text.is_char_boundary(part.start));
                prop_assert!(text.is_char_boundary(part.end));
                // What it adds to the parts before.
                let added = &text[last.as_ref().map_or(0, |last| last.end)..part.end];
                if part.end < text.len() && added.contains(char::is_whitespace) {
                    prop_assert!(added.ends_with(char::is_whitespace));
                }
                last = Some(part);
            }
            prop_assert_eq!(last.map_or(0, |last| last.end), text.len());
        }

        /// The window chosen from tokens analyzed once is tantivy's, highlights and all.
        #[test]
        fn windows_are_those_tantivy_chooses(
            words in proptest::collection::vec(0..WORDS.len(), 0..80),
            weights in proptest::collection::vec((0..WORDS.len(), 1u8..4), 0..4),
            max_bytes in 10usize..200,
        ) {
            let text: Vec<&str> = words.iter().map(|w| WORDS[*w]).collect();
            let text = text.join(" ");
            let weights: Weights = weights
                .iter()
                .map(|(w, weight)| (WORDS[*w].to_lowercase(), Score::from(*weight) / 4.0))
                .collect();
            let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build();
            let generator = SnippetGenerator::new(
                weights.clone(),
                analyzer.clone(),
                Field::from_field_id(0),
                max_bytes,
            );
            let theirs = generator.snippet(&text);
            let analyzed = Analyzed::new(&analyzer, &text);
            let tokens = Tokens::weigh(
                &analyzed,
                &Weighing::new(&[&BTreeMap::new(), &weights], Phrases::default()),
            );
            let ours = Snippet::best(&tokens, 1, &text, max_bytes);
            match ours {
                None => prop_assert!(theirs.highlighted().is_empty()),
                Some(ours) => {
                    let range = theirs.fragment_range();
                    prop_assert_eq!(&ours.text, &one_line(&text[range.clone()]));
                    let ranges = collapse_overlapped_ranges(theirs.highlighted());
                    prop_assert_eq!(ours.highlights, char_ranges(theirs.fragment(), &ranges));
                }
            }
        }
    }

    /// The highlighted words of `text`, whole, with rasd's stemmed view and its word lists,
    /// for the terms of `exact` and `loose` (see [`Phrases::new`]), each typed word's term
    /// weighing 1.
    fn highlighted_words(text: &str, exact: &[&str], loose: &[&str]) -> Vec<String> {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let mut analyzer = crate::analysis::stemmed_analyzer(&lists);
        let owned = |texts: &[&str]| texts.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let (exact, loose) = (owned(exact), owned(loose));
        let weights: Weights = (exact.iter().chain(&loose))
            .flat_map(|text| crate::analysis::terms(&mut analyzer, text))
            .map(|term| (term, 1.0))
            .collect();
        let phrases = Phrases::new(&analyzer, &exact, &loose);
        let analyzed = Analyzed::new(&analyzer, text);
        let tokens = Tokens::weigh(&analyzed, &Weighing::new(&[&weights], phrases));
        let snippet = Snippet::whole(&tokens, 0, text);
        let chars: Vec<char> = snippet.text.chars().collect();
        (snippet.highlights.iter())
            .map(|[a, b]| chars[*a..*b].iter().collect())
            .collect()
    }

    #[test]
    fn a_phrase_is_highlighted_where_it_occurs_not_where_its_words_stand_apart() {
        let text = "الاتجار بالبشر. الأسلحة ثم الاتجار في الأسلحة ثم والاتجار الإلكتروني الأسلحة";
        assert_eq!(
            highlighted_words(text, &["الاتجار في الأسلحة"], &[]),
            ["الاتجار في الأسلحة"]
        );
        // Any stop word or none stands in the phrase, and proclitics open it.
        assert_eq!(
            highlighted_words("والاتجار بالأسلحة", &["الاتجار في الأسلحة"], &[]),
            ["والاتجار بالأسلحة"]
        );
        // A negation keeps its place: the phrase with it is highlighted, not the one without.
        let text = "الهجرة الشرعية مسموحة أما الهجرة غير الشرعية فلا";
        assert_eq!(
            highlighted_words(text, &["الهجرة غير الشرعية"], &[]),
            ["الهجرة غير الشرعية"]
        );
        // Punctuation inside, and letters too short to weigh: one highlight.
        let text = "the navy of the U.S. said the U.S. Navy was ready";
        assert_eq!(highlighted_words(text, &["U.S. Navy"], &[]), ["U.S. Navy"]);
    }

    #[test]
    fn phrases_that_begin_with_the_same_word_are_each_highlighted_where_they_occur() {
        let text = "الاتجار بالبشر ثم الاتجار في الأسلحة ثم الاتجار المخدرات والبشر";
        assert_eq!(
            highlighted_words(text, &["الاتجار بالبشر", "الاتجار في الأسلحة"], &[]),
            ["الاتجار بالبشر", "الاتجار في الأسلحة"]
        );
        assert_eq!(
            highlighted_words(text, &["الاتجار في الأسلحة", "الاتجار بالبشر"], &[]),
            ["الاتجار بالبشر", "الاتجار في الأسلحة"]
        );
    }

    #[test]
    fn a_window_too_short_for_its_phrase_takes_it_whole_or_not_at_all() {
        let lists = crate::schema::IndexSchema::builtin().word_lists;
        let analyzer = crate::analysis::stemmed_analyzer(&lists);
        let phrase = ["الاتجار في الأسلحة".to_string()];
        let mut terms = analyzer.clone();
        let weights: Weights = crate::analysis::terms(&mut terms, &phrase[0])
            .into_iter()
            .map(|term| (term, 1.0))
            .collect();
        let phrases = Phrases::new(&analyzer, &phrase, &[]);
        let text = format!(
            "{} الاتجار في الأسلحة {}",
            "كلمة ".repeat(30),
            "كلمة ".repeat(30)
        );
        let analyzed = Analyzed::new(&analyzer, &text);
        let tokens = Tokens::weigh(&analyzed, &Weighing::new(&[&weights], phrases));
        for max_bytes in 1..80 {
            let snippet = Snippet::best(&tokens, 0, &text, max_bytes).unwrap();
            let chars: Vec<char> = snippet.text.chars().collect();
            for [a, b] in &snippet.highlights {
                let highlighted: String = chars[*a..*b].iter().collect();
                assert_eq!(highlighted, "الاتجار في الأسلحة", "{max_bytes} bytes");
            }
        }
    }

    #[test]
    fn a_phrase_word_also_searched_alone_or_in_a_loose_phrase_is_highlighted_everywhere() {
        let text = "الاتجار بالبشر. الأسلحة ثم الاتجار في الأسلحة";
        assert_eq!(
            highlighted_words(text, &["الاتجار في الأسلحة", "الأسلحة"], &[]),
            ["الأسلحة", "الاتجار في الأسلحة"]
        );
        assert_eq!(
            highlighted_words(text, &[], &["الاتجار في الأسلحة"]),
            ["الاتجار", "الأسلحة", "الاتجار", "الأسلحة"]
        );
        // Two phrases, each highlighted where it occurs.
        let text = "تهريب المخدرات ثم تهريب الأسلحة ثم المخدرات والأسلحة";
        assert_eq!(
            highlighted_words(text, &["تهريب المخدرات", "تهريب الأسلحة"], &[]),
            ["تهريب المخدرات", "تهريب الأسلحة"]
        );
    }

    #[test]
    fn byte_ranges_become_character_ranges() {
        let text = "في الْإِرْهَابُ و x";
        let start = text.find("الْ").unwrap();
        let end = start + "الْإِرْهَابُ".len();
        let x = text.find('x').unwrap();
        assert_eq!(
            char_ranges(text, &[start..end, x..x + 1]),
            vec![[3, 15], [18, 19]]
        );
    }

    #[test]
    fn a_window_takes_in_the_punctuation_against_its_words() {
        let text = "Titre. «The police arrested two men today.» Then";
        let start = text.find("The").unwrap();
        let end = text.find("today").unwrap() + "today".len();
        let s = Snippet::window(text, start..end, &[]);
        assert_eq!(s.text, "«The police arrested two men today.»");
        assert!(s.cut_before && s.cut_after);
        // The end of the text: no cut claimed.
        let text = "The police arrested two men today.\n";
        let s = Snippet::window(text, 0..text.find('.').unwrap(), &[]);
        assert_eq!(s.text, "The police arrested two men today.");
        assert!(!s.cut_after);
        // A few characters at most: a rule of dashes stays out.
        let text = "word----------- next";
        assert_eq!(with_attached_punctuation(text, 0..4), 0..4);
        assert_eq!(with_attached_punctuation("word----", 0..4), 0..8);
        assert_eq!(with_attached_punctuation("؟«خلية»؟", 4..12), 0..16);
    }

    #[test]
    fn a_long_run_between_words_is_shortened_and_does_not_end_the_window() {
        let blob = "ب".repeat(5_000);
        let text = format!("تفكيك خلية إرهابية {blob} في مدينة طنجة وتوقيف أربعة أشخاص");
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(tantivy::tokenizer::RemoveLongFilter::limit(100))
            .build();
        let weights: Weights = [("خلية".to_string(), 1.0), ("طنجة".to_string(), 1.0)].into();
        let analyzed = Analyzed::new(&analyzer, &text);
        let tokens = Tokens::weigh(&analyzed, &Weighing::new(&[&weights], Phrases::default()));
        let s = Snippet::best(&tokens, 0, &text, 150).unwrap();
        let shown = format!("{}…", "ب".repeat(LONG_RUN_SHOWN));
        assert_eq!(
            s.text,
            format!("تفكيك خلية إرهابية {shown} في مدينة طنجة وتوقيف أربعة أشخاص")
        );
        // Both words highlighted, the second moved with the shortened text.
        let highlighted: Vec<String> = s
            .highlights
            .iter()
            .map(|[a, b]| s.text.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(highlighted, ["خلية", "طنجة"]);
    }

    #[test]
    fn a_very_long_run_with_a_match_is_cut_around_it() {
        let fire = "🔥".repeat(5_000);
        let text = format!("قال {fire}خلية{fire} ثم");
        let word = text.find("خلية").unwrap();
        let matched = Range {
            start: word,
            end: word + "خلية".len(),
        };
        let (shown, moved) = shortened_runs(&text, std::slice::from_ref(&matched), (false, false));
        assert_eq!(&shown[moved[0].clone()], "خلية");
        let twenty = "🔥".repeat(LONG_RUN_SHOWN);
        assert_eq!(shown, format!("قال …{twenty}خلية{twenty}… ثم"));
        // At an end the snippet marks as cut, one mark stands for both omissions.
        let text = format!("{fire}خلية{fire}");
        let matched = fire.len()..fire.len() + "خلية".len();
        let (shown, moved) = shortened_runs(&text, std::slice::from_ref(&matched), (true, true));
        assert_eq!(shown, format!("{twenty}خلية{twenty}"));
        assert_eq!(&shown[moved[0].clone()], "خلية");
        let (shown, _) = shortened_runs(&text, std::slice::from_ref(&matched), (false, true));
        assert_eq!(shown, format!("…{twenty}خلية{twenty}"));
    }

    #[test]
    fn runs_with_a_highlight_or_short_runs_are_shown_whole() {
        let long = "x".repeat(60);
        let text = format!("a {long} b");
        assert_eq!(
            shortened_runs(&text, &[], (false, false)).0,
            format!("a {}… b", "x".repeat(20))
        );
        let x = Range { start: 2, end: 5 };
        let (kept, moved) = shortened_runs(&text, std::slice::from_ref(&x), (false, false));
        assert_eq!((kept, moved), (text.clone(), vec![x]));
        let text = format!("{long} {long} end");
        let end = text.find("end").unwrap();
        let at_end = Range {
            start: end,
            end: end + 3,
        };
        let (shown, moved) = shortened_runs(&text, std::slice::from_ref(&at_end), (false, false));
        assert_eq!(&shown[moved[0].clone()], "end");
        assert_eq!(
            shortened_runs("short words only", &[], (false, false)).0,
            "short words only"
        );
        // A letter keeps its marks: the cut goes before a letter whose marks it would split.
        let marked = format!("a {}b{} z", "x".repeat(19), "\u{301}".repeat(30));
        assert_eq!(
            shortened_runs(&marked, &[], (false, false)).0,
            format!("a {}… z", "x".repeat(19))
        );
    }

    #[test]
    fn leading_text_is_cut_at_a_word() {
        let s = Snippet::leading("one two\nthree four", 10);
        assert_eq!(s.text, "one two");
        assert!(s.cut_after);
        let s = Snippet::leading("short", 10);
        assert_eq!(s.text, "short");
        assert!(!s.cut_after);
    }
}
