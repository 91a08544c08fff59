//! Search results: hits as text, CSV or JSON Lines, facet counts, score explanations.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::json_line;
use super::style::{
    INDENT, Layout, Look, MATCH, META, SHARED, TITLE, field, shown_path, write_highlighted,
    write_meta_line, write_paragraph, write_ranked_title,
};
use anstyle::Style;

use crate::clean;
use crate::search::{
    Copy, FacetCounts, Hit, ScoreExplanation, SearchResults, Snippet, StoryCount, Tier,
    TranslatedMatch,
};

/// The JSON contract of one hit: exactly these keys.
#[derive(Serialize)]
pub(super) struct JsonHit<'a> {
    rank: usize,
    score: f32,
    id: &'a str,
    path: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    source: Option<&'a str>,
    lang: Option<&'a str>,
    url: Option<&'a str>,
    snippet: String,
    highlights: Vec<[usize; 2]>,
    /// How many of the query's words and phrases the article has, of `query_words`.
    matched_words: usize,
    query_words: usize,
    /// Listed after the matches as an article like the first hit.
    related: bool,
    /// The story the hit stands for: the id of its best-ranked copy (its own id when not
    /// collapsing), the same on every page.
    story: &'a str,
    /// How many other copies of the story matched, and their ids, best-ranked first.
    copies: usize,
    copy_ids: Vec<&'a str>,
    /// The query's words and expressions the article has only through the glossary, each
    /// with the language of the terms it has.
    translated: &'a [TranslatedMatch],
    /// The query's words the article has only through words of the same root, as written.
    by_root: &'a [String],
    /// The other script's spellings through which alone the article has some of the query's
    /// names.
    transliterated: &'a [String],
    /// Only with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a ScoreExplanation>,
}

/// The bucket of the articles without a value, in text: parenthesized, so that it reads as
/// no value rather than as a source or tag of that name.
const NO_VALUE: &str = "(none)";

/// Writes facet counts for a person: one line per facet, values largest first, then the
/// articles without a value.
pub fn write_facets_text(
    out: &mut impl Write,
    facets: &[FacetCounts],
    layout: Layout,
) -> io::Result<()> {
    writeln!(out)?;
    let layout = layout.for_facts();
    for facet in facets {
        let mut list = counts_list(&facet.values, layout);
        if facet.missing > 0 {
            let none = format!("{NO_VALUE} {}", facet.missing);
            list = if facet.values.is_empty() {
                none
            } else {
                format!("{list}, {none}")
            };
        }
        let label = format!("{}: ", facet.facet);
        write!(out, "{TITLE}{}{TITLE:#} ", label.trim_end())?;
        let list = Snippet::whole_plain(&list);
        let max = clean::MESSAGE_CHARS;
        let column = label.chars().count();
        write_highlighted(
            out,
            &list,
            Look::of(Style::new()),
            layout,
            max,
            ("", ""),
            column,
            INDENT,
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes facet counts as one JSON object: `{"facets": {"source": [["X", 12], …, [null, 3]],
/// …}}`, the articles without a value last, under `null`.
pub fn write_facets_json(out: &mut impl Write, facets: &[FacetCounts]) -> io::Result<()> {
    let facets: serde_json::Map<String, serde_json::Value> = facets
        .iter()
        .map(|f| {
            let mut values: Vec<serde_json::Value> = f
                .values
                .iter()
                .map(|pair| serde_json::json!(pair))
                .collect();
            if f.missing > 0 {
                values.push(serde_json::json!([null, f.missing]));
            }
            (f.facet.to_string(), serde_json::Value::Array(values))
        })
        .collect();
    json_line(out, &serde_json::json!({ "facets": facets }))
}

/// `value count, value count…`, or `none`, each value cleaned. Laid out by `layout`, lines
/// wrap between items, never inside one.
pub(super) fn counts_list(pairs: &[(String, u64)], layout: Layout) -> String {
    if pairs.is_empty() {
        return "none".to_string();
    }
    let glue = if layout.width.is_some() {
        '\u{a0}'
    } else {
        ' '
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}{glue}{v}", field(k).replace(' ', &glue.to_string())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes hits as CSV: a header row, then one row per hit, quoted as RFC 4180 says (commas
/// and quotes in Arabic or Latin text stay inside their cell). CSV is read by people, in
/// spreadsheets and terminals: every text cell is a [`clean::csv_cell`].
pub fn write_hits_csv(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for hit in hits {
        writer.write_record(csv_row(hit))?;
    }
    writer.flush()
}

/// The header of the CSV of hits.
pub(super) const CSV_HEADER: [&str; 14] = [
    "rank",
    "score",
    "id",
    "path",
    "title",
    "date",
    "source",
    "lang",
    "url",
    "snippet",
    "matched_words",
    "related",
    "by_root",
    "transliterated",
];

/// The CSV cells of a hit, under [`CSV_HEADER`].
pub(super) fn csv_row(hit: &Hit) -> [String; 14] {
    let text = |value: Option<&str>| clean::csv_cell(value.unwrap_or_default()).into_owned();
    [
        hit.rank.to_string(),
        format!("{:.4}", hit.score),
        text(Some(&hit.id)),
        text(Some(&hit.path)),
        text(Some(&hit.title.text)),
        text(hit.date.as_deref()),
        text(hit.meta.source.as_deref()),
        text(hit.meta.lang.as_deref()),
        text(hit.meta.url.as_deref()),
        text(Some(&marked(&hit.snippet).0)),
        hit.matched_words.to_string(),
        (hit.tier == Tier::Related).to_string(),
        // Several words apart, as the README says.
        text(Some(&hit.by_root.join("|"))),
        text(Some(&hit.transliterated.join("|"))),
    ]
}

/// Writes hits as JSON Lines, one object per hit.
pub fn write_hits_json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    for hit in &results.hits {
        json_line(out, &json_hit(hit, results.words))?;
    }
    Ok(())
}

/// A snippet's text with `…` where the text goes on before or after it, as the text output
/// shows it, and its highlights moved to match: a program can tell a cut snippet from a
/// whole body.
fn marked(snippet: &Snippet) -> (String, Vec<[usize; 2]>) {
    if snippet.text.is_empty() {
        return (String::new(), vec![]);
    }
    let before = usize::from(snippet.cut_before);
    let mut text = String::with_capacity(snippet.text.len() + 6);
    text.push_str(if snippet.cut_before { "…" } else { "" });
    text.push_str(&snippet.text);
    text.push_str(if snippet.cut_after { "…" } else { "" });
    let highlights = (snippet.highlights.iter())
        .map(|[start, end]| [start + before, end + before])
        .collect();
    (text, highlights)
}

/// The JSON of a hit of a query of `words` words and phrases.
pub(super) fn json_hit(hit: &Hit, words: usize) -> JsonHit<'_> {
    let (snippet, highlights) = marked(&hit.snippet);
    JsonHit {
        rank: hit.rank,
        score: hit.score,
        id: &hit.id,
        path: &hit.path,
        title: &hit.title.text,
        date: hit.date.as_deref(),
        source: hit.meta.source.as_deref(),
        lang: hit.meta.lang.as_deref(),
        url: hit.meta.url.as_deref(),
        snippet,
        highlights,
        matched_words: hit.matched_words,
        query_words: words,
        related: hit.tier == Tier::Related,
        story: &hit.id,
        copies: hit.copies.len(),
        copy_ids: hit.copies.iter().map(|c| c.id.as_str()).collect(),
        translated: &hit.translated,
        by_root: &hit.by_root,
        transliterated: &hit.transliterated,
        explanation: hit.explanation.as_ref(),
    }
}

/// Writes a score explanation as an indented tree: score, then what it is, wrapped under
/// itself.
fn write_explanation(
    out: &mut impl Write,
    explanation: &ScoreExplanation,
    depth: usize,
    layout: Layout,
) -> io::Result<()> {
    let indent = "   ".repeat(depth);
    write!(out, "{indent}{META}{:>8.3}{META:#}  ", explanation.score)?;
    let column = indent.len() + 10;
    let reason = Snippet::whole_plain(&explanation.reason);
    let max = clean::MESSAGE_CHARS;
    let layout = layout.for_facts();
    write_highlighted(
        out,
        &reason,
        Look::of(Style::new()),
        layout,
        max,
        ("", ""),
        column,
        column,
    )?;
    writeln!(out)?;
    for part in &explanation.parts {
        write_explanation(out, part, depth + 1, layout)?;
    }
    Ok(())
}

/// The line before the first hit of a kind that is no match, saying what they are: the
/// tiers after the matches, and apart from them the articles with none of the query's words
/// themselves (`0 of 2 words`, found only by root), which the partial matches' line would
/// misname.
fn heading(hit: &Hit) -> Option<&'static str> {
    let by_root_only = hit.matched_words == 0 && !hit.by_root.is_empty();
    match hit.tier {
        Tier::EveryWord => None,
        Tier::SameRoot | Tier::Partial if by_root_only => {
            Some("Not matches: articles with the query's words only by root")
        }
        Tier::SameRoot => Some("Not matches: articles with every word, some only by root"),
        Tier::Partial => Some("Partial matches: articles with some of the words"),
        Tier::Related => Some("Not matches: articles like the first hit"),
    }
}

/// Writes hits for a person: rank and title, a line of facts, the snippet; then the total.
/// The hits of each kind after the matches come after a line saying what they are.
/// Each is wrapped to the layout's width with a hanging indent.
pub fn write_hits_text(
    out: &mut impl Write,
    results: &SearchResults,
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    let mut last = None;
    for hit in &results.hits {
        let heading = heading(hit);
        if heading != last {
            last = heading;
            if let Some(heading) = heading {
                let heading = Snippet::whole_plain(heading);
                let max = clean::MESSAGE_CHARS;
                write_highlighted(out, &heading, Look::of(META), layout, max, ("", ""), 0, 0)?;
                writeln!(out, "\n")?;
            }
        }
        write_hit_text(out, hit, results, cwd, layout)?;
    }
    let shown = match results.hits.as_slice() {
        [] => String::new(),
        [first, .., last] => format!(" (showing {}–{})", first.rank, last.rank),
        [only] => format!(" (showing {})", only.rank),
    };
    let related = match results.related {
        0 => String::new(),
        1 => "; then 1 article like the first".to_string(),
        n => format!("; then {n} articles like the first"),
    };
    // Wrapped at spaces like the hits: the line grows with partial matches and related ones.
    let line = format!("{}{related}{shown}.", summary(results));
    write_paragraph(out, &line, layout, 0)
}

/// Writes one hit of `results` for a person: rank and title, a line of facts, the snippet,
/// the score's explanation when asked, then an empty line.
pub(super) fn write_hit_text(
    out: &mut impl Write,
    hit: &Hit,
    results: &SearchResults,
    cwd: Option<&Path>,
    layout: Layout,
) -> io::Result<()> {
    // An article like the first hit does not have the query's words: what it shares with
    // the first hit is highlighted, but not as a match.
    let related = hit.tier == Tier::Related;
    let highlight = if related { SHARED } else { MATCH };
    write_ranked_title(out, hit.rank, &hit.title, highlight, layout)?;
    // Each fact bounded on its own, so that a huge source cannot hide the path.
    let mut facts: Vec<Cow<str>> = Vec::new();
    facts.extend(hit.date.as_deref().map(field));
    facts.extend(hit.meta.source.as_deref().map(field));
    facts.extend(hit.meta.lang.as_deref().map(field));
    facts.push(field(shown_path(&hit.path, cwd)));
    if related {
        // Its score is its likeness to the first hit, on a scale of its own: shown as a
        // relevance score below the matches, it looked higher than theirs (probe 31).
        facts.push(format!("like the first hit, likeness {:.2}", hit.score).into());
    } else {
        facts.push(format!("score {:.2}", hit.score).into());
        if results.partial.is_some() && hit.matched_words < results.words {
            facts.push(format!("{} of {} words", hit.matched_words, results.words).into());
        }
    }
    if !hit.by_root.is_empty() {
        let words: Vec<Cow<str>> = hit.by_root.iter().map(|w| field(w)).collect();
        facts.push(format!("by root: {}", words.join(", ")).into());
    }
    if !hit.transliterated.is_empty() {
        let words: Vec<Cow<str>> = hit.transliterated.iter().map(|w| field(w)).collect();
        facts.push(format!("by transliteration: {}", words.join(", ")).into());
    }
    facts.extend(translated_fact(&hit.translated).map(Cow::Owned));
    write_meta_line(out, &layout.facts_line(&facts), layout)?;
    if !hit.snippet.text.is_empty() {
        let cut = |cut: bool| if cut { "…" } else { "" };
        let ends = (cut(hit.snippet.cut_before), cut(hit.snippet.cut_after));
        let max = clean::MESSAGE_CHARS;
        write!(out, "{:INDENT$}", "")?;
        write_highlighted(
            out,
            &hit.snippet,
            Look {
                text: Style::new(),
                highlight,
            },
            layout,
            max,
            ends,
            INDENT,
            INDENT,
        )?;
        writeln!(out)?;
    }
    if !hit.copies.is_empty() {
        write_meta_line(out, &copies_line(&hit.copies), layout)?;
    }
    if let Some(explanation) = &hit.explanation {
        write_explanation(out, explanation, 1, layout)?;
    }
    writeln!(out)?;
    Ok(())
}

/// `↔ ar`: the hit was found through the glossary, in these languages (each once).
fn translated_fact(translated: &[TranslatedMatch]) -> Option<String> {
    let mut languages: Vec<&str> = Vec::new();
    for t in translated {
        if !languages.contains(&t.language.code()) {
            languages.push(t.language.code());
        }
    }
    (!languages.is_empty()).then(|| format!("↔ {}", languages.join(", ")))
}

/// The most outlets the line under a collapsed hit names.
const NAMED_OUTLETS: usize = 6;

/// The line under a collapsed hit: `+3 copies: outlet, outlet, outlet · first date – last
/// date`, each outlet once, cleaned; copies without a source unnamed.
fn copies_line(copies: &[Copy]) -> String {
    // Copies without a source are counted, not named: `(none)` read as "no copies".
    let mut outlets: Vec<&str> = Vec::new();
    for outlet in copies.iter().filter_map(|copy| copy.source.as_deref()) {
        if !outlets.contains(&outlet) {
            outlets.push(outlet);
        }
    }
    let mut named: Vec<Cow<str>> = outlets
        .iter()
        .take(NAMED_OUTLETS)
        .map(|o| field(o))
        .collect();
    if outlets.len() > NAMED_OUTLETS {
        named.push(format!("{} more", outlets.len() - NAMED_OUTLETS).into());
    }
    let what = match copies.len() {
        1 => "+1 copy".to_string(),
        n => format!("+{n} copies"),
    };
    let mut line = match named.is_empty() {
        true => what,
        false => format!("{what}: {}", named.join(", ")),
    };
    let mut dates: Vec<&str> = copies.iter().filter_map(|c| c.date.as_deref()).collect();
    dates.sort_unstable();
    match (dates.first(), dates.last()) {
        (Some(first), Some(last)) if first == last => line.push_str(&format!(" · {first}")),
        (Some(first), Some(last)) => line.push_str(&format!(" · {first} – {last}")),
        _ => {}
    }
    line
}

/// The line after the hits: how many articles matched, the stories they tell when copies
/// were collapsed (beside the articles they count: all of them when the walk reached the last
/// one, otherwise the first ones walked), and the partial matches shown.
fn summary(results: &SearchResults) -> String {
    let articles = |n: usize| match n {
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    };
    let stories = |n: usize| match n {
        1 => "1 story".to_string(),
        n => format!("{n} stories"),
    };
    // Named only when copies were collapsed: otherwise each article is its own story.
    let collapsed = results.stories.filter(|count| count.stories < count.walked);
    let told = |count: StoryCount| match count.exact {
        true => stories(count.stories),
        false => format!("the first {} tell {}", count.walked, stories(count.stories)),
    };
    let same_root = match results.same_root {
        0 => None,
        n => Some(format!("{} through words of the same root", articles(n))),
    };
    let Some(partial) = &results.partial else {
        let matched = format!("{} matched", articles(results.total));
        let matched = match collapsed {
            None => matched,
            Some(count) if count.exact => format!("{matched}, {}", told(count)),
            Some(count) => format!("{matched}; {}", told(count)),
        };
        return match same_root {
            None => matched,
            Some(same_root) => format!("{matched}; then {same_root}"),
        };
    };
    let words = partial.words;
    let fewer = partial.articles - partial.best_articles;
    let fewer = if fewer > 0 {
        format!(", {fewer} fewer")
    } else {
        String::new()
    };
    let verb = if partial.best_articles == 1 {
        "has"
    } else {
        "have"
    };
    let best = match partial.best {
        // Their words only through words of the same root.
        0 => format!(
            "{} {verb} some through words of the same root only",
            articles(partial.best_articles)
        ),
        n => format!(
            "{} {verb} {n} of them{fewer}",
            articles(partial.best_articles)
        ),
    };
    let told = collapsed.map_or(String::new(), |count| format!(" ({})", told(count)));
    let best = match same_root {
        None => best,
        Some(same_root) => format!("{same_root}; then {best}"),
    };
    match results.total {
        0 => format!("no article has all {words} words; {best}"),
        1 => format!("1 article has all {words} words{told}; then {best}"),
        n => format!("{n} articles have all {words} words{told}; then {best}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::PartialMatches;

    fn results(total: usize, stories: Option<(usize, usize, bool)>) -> SearchResults {
        SearchResults {
            hits: vec![],
            total,
            stories: stories.map(|(stories, walked, exact)| StoryCount {
                stories,
                walked,
                exact,
            }),
            words: 3,
            same_root: 0,
            partial: None,
            related: 0,
            facets: vec![],
            stop_words: vec![],
        }
    }

    #[test]
    fn copies_without_a_source_are_counted_not_named() {
        let copy = |source: Option<&str>, date: Option<&str>| Copy {
            id: String::new(),
            source: source.map(String::from),
            date: date.map(String::from),
        };
        assert_eq!(
            copies_line(&[copy(None, None), copy(None, Some("2024-03-01"))]),
            "+2 copies · 2024-03-01"
        );
        assert_eq!(
            copies_line(&[copy(Some("Wire"), None), copy(None, None)]),
            "+2 copies: Wire"
        );
    }

    #[test]
    fn the_summary_counts_stories_beside_the_articles_they_count() {
        // Few hits, all walked: every story of every match.
        assert_eq!(
            summary(&results(15, Some((12, 15, true)))),
            "15 articles matched, 12 stories"
        );
        // No copy collapsed (or --no-collapse): articles alone.
        assert_eq!(
            summary(&results(3, Some((3, 3, true)))),
            "3 articles matched"
        );
        assert_eq!(summary(&results(3, None)), "3 articles matched");
        // Many hits: only the walked ones were grouped, and the line says so.
        assert_eq!(
            summary(&results(65915, Some((142, 200, false)))),
            "65915 articles matched; the first 200 tell 142 stories"
        );
        assert_eq!(
            summary(&results(65915, Some((200, 200, false)))),
            "65915 articles matched"
        );
    }

    #[test]
    fn with_partial_matches_the_stories_are_those_with_every_word() {
        let partial = PartialMatches {
            words: 3,
            articles: 7,
            best: 2,
            best_articles: 5,
        };
        let with = |total, stories| SearchResults {
            partial: Some(partial.clone()),
            ..results(total, stories)
        };
        assert_eq!(
            summary(&with(4, Some((2, 4, true)))),
            "4 articles have all 3 words (2 stories); then 5 articles have 2 of them, 2 fewer"
        );
        assert_eq!(
            summary(&with(1, Some((1, 1, true)))),
            "1 article has all 3 words; then 5 articles have 2 of them, 2 fewer"
        );
        assert_eq!(
            summary(&with(0, Some((0, 0, true)))),
            "no article has all 3 words; 5 articles have 2 of them, 2 fewer"
        );
    }

    #[test]
    fn articles_through_words_of_the_same_root_are_counted_apart() {
        let same_root = |total, partial: Option<PartialMatches>| SearchResults {
            same_root: 12,
            partial,
            ..results(total, None)
        };
        assert_eq!(
            summary(&same_root(3, None)),
            "3 articles matched; then 12 articles through words of the same root"
        );
        let partial = PartialMatches {
            words: 3,
            articles: 5,
            best: 2,
            best_articles: 5,
        };
        assert_eq!(
            summary(&same_root(0, Some(partial.clone()))),
            "no article has all 3 words; 12 articles through words of the same root; \
             then 5 articles have 2 of them"
        );
        assert_eq!(
            summary(&same_root(1, Some(partial))),
            "1 article has all 3 words; then 12 articles through words of the same root; \
             then 5 articles have 2 of them"
        );
    }
}
