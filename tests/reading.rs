//! End-to-end tests of reading results on a terminal (issue 13): lines wrapped to a width,
//! Arabic in visual order, score explanations about articles, the typed word highlighted
//! first, facet counts that add up.

mod common;

use common::{Workspace, article, plain};
use serde_json::Value;

/// The stdout of a successful `rasd` run.
fn stdout(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.rasd().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn facet_counts_add_up_to_the_matches() {
    let ws = Workspace::new();
    let line = |id: &str, extra: &str| {
        format!("{{\"id\":\"{id}\",{extra}\"lang\":\"ar\",\"title\":\"خلية\",\"body\":\"خلية\"}}\n")
    };
    let feed = [
        line(
            "a1",
            "\"source\":\"Maghreb Post\",\"date\":\"2019-03-01\",\"tags\":[\"x\"],",
        ),
        line("a2", "\"source\":\"Maghreb Post\",\"date\":\"2020-03-01\","),
        line("a3", ""),
    ]
    .concat();
    ws.write("feed.jsonl", &feed);
    ws.write("plain.txt", &article("خلية أخرى", "نص عن خلية."));
    ws.index().success();
    let text = stdout(
        &ws,
        &["search", "--facets", "source,year,tags,lang", "خلية"],
    );
    assert!(text.contains("4 articles matched"), "{text}");
    assert!(
        text.contains("source: Maghreb Post 2, (none) 2\n"),
        "{text}"
    );
    assert!(text.contains("year: 2019 1, 2020 1, (none) 2\n"), "{text}");
    assert!(text.contains("tags: x 1, (none) 3\n"), "{text}");
    let json = stdout(
        &ws,
        &[
            "search",
            "--json",
            "--count",
            "--facets",
            "source,year,tags,lang",
            "خلية",
        ],
    );
    let lines: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["count"], 4);
    for facet in ["source", "year", "lang"] {
        let pairs = lines[1]["facets"][facet].as_array().unwrap();
        let sum: u64 = pairs.iter().map(|p| p[1].as_u64().unwrap()).sum();
        assert_eq!(sum, 4, "{facet}: {pairs:?}");
    }
    assert_eq!(
        lines[1]["facets"]["source"],
        serde_json::json!([["Maghreb Post", 2], [null, 2]])
    );
}

/// Display columns of a line as a terminal draws it, character by character: combining marks
/// take none, wide characters two, and lam-alef (لا) two (Unicode's string width counts one).
fn columns(line: &str) -> usize {
    use unicode_width::UnicodeWidthChar;
    line.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// An Arabic and a French article whose titles and snippets are longer than a line.
fn long_lines() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "ar.md",
        "---\nlang: ar\nsource: المرصد الأمني\ndate: 2016-03-12\n---\n\
         # تفكيك خلية إرهابية من خمسة عناصر بالدار البيضاء كانت تخطط لاستهداف منشآت حيوية ومقرات أمنية\n\n\
         أعلنت السلطات المغربية صباح اليوم عن تفكيك خَلِيَّة إِرْهَابِيَّة تتكون من خمسة عناصر \
         تتراوح أعمارهم بين 19 و34 سنة، كانت تنشط في مدينة الدار البيضاء وضواحيها، وتخطط \
         لاستهداف منشآت حيوية ومقرات أمنية، بحسب بلاغ للمكتب المركزي للأبحاث القضائية.\n",
    );
    ws.write(
        "fr.md",
        "---\nlang: fr\nsource: Le Journal du Détroit\ndate: 2019-09-25\n---\n\
         # Maroc-Espagne : l'opération «\u{a0}Gaviota\u{a0}» démantèle une cellule liée à Daech\n\n\
         Les polices marocaine et espagnole ont démantelé une cellule terroriste dont les membres \
         cherchaient à recruter de jeunes gens des deux pays pour les envoyer rejoindre les \
         branches de Daech au Sahel, selon un communiqué conjoint publié mercredi.\n",
    );
    ws.index().success();
    ws
}

/// The text hits of a search, each as its lines, styles removed.
fn text_hits(ws: &Workspace, options: &[&str], query: &str) -> Vec<Vec<String>> {
    let mut args = vec!["--color", "always", "search"];
    args.extend(options);
    args.push(query);
    let out = stdout(ws, &args);
    let out = plain(&out);
    let mut hits = Vec::new();
    for block in out.split("\n\n") {
        let lines: Vec<String> = block.lines().map(str::to_string).collect();
        if lines.len() > 1 {
            hits.push(lines);
        }
    }
    hits
}

/// The words of a text, whatever the spaces between them.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn text_is_wrapped_to_the_width_at_word_boundaries() {
    let ws = long_lines();
    for query in ["إرهابية", "Daech"] {
        let json = ws.search_with(&["-n", "1"], query);
        let (title, snippet) = (
            json[0]["title"].as_str().unwrap(),
            json[0]["snippet"].as_str().unwrap(),
        );
        for width in [60, 100] {
            let hits = text_hits(&ws, &["-n", "1", "--width", &width.to_string()], query);
            let hit = &hits[0];
            for line in hit {
                assert!(columns(line) <= width, "{width}: {line:?} in {hit:#?}");
            }
            // Continuation lines hang under the title's first letter.
            assert!(hit[1..].iter().all(|l| l.starts_with("   ")), "{hit:#?}");
            // Joined again, the lines hold the title, the facts and the snippet, every word
            // whole.
            let joined = hit.join(" ");
            let all = words(&joined);
            let title_words = words(title);
            assert_eq!(all[0], "1.");
            assert_eq!(all[1..=title_words.len()], title_words[..], "{hit:#?}");
            let snippet_words: Vec<String> = (words(snippet).iter())
                .map(|w| w.trim_matches('…').to_string())
                .collect();
            let tail = &all[all.len() - snippet_words.len()..];
            let tail: Vec<String> = tail
                .iter()
                .map(|w| w.trim_matches('…').to_string())
                .collect();
            assert_eq!(tail, snippet_words, "{width}: {hit:#?}");
        }
        // At width 60 the title and snippet take several lines.
        assert!(text_hits(&ws, &["-n", "1", "--width", "60"], query)[0].len() > 4);
    }
    // Pipes are not wrapped by default, and --width 0 turns wrapping off.
    for options in [&["-n", "1"][..], &["-n", "1", "--width", "0"]] {
        let hit = &text_hits(&ws, options, "إرهابية")[0];
        assert_eq!(hit.len(), 3, "{hit:#?}");
    }
    let output = ws
        .rasd()
        .args(["search", "--width", "5", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 20"));
}

/// Whether `c` is a combining mark (Arabic harakat, shadda, sukun…).
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// A word written backwards for display: its letters in reverse order, each with its marks
/// after it.
fn backwards(word: &str) -> String {
    let mut units: Vec<String> = Vec::new();
    for c in word.chars() {
        match units.last_mut() {
            Some(unit) if is_mark(c) => unit.push(c),
            _ => units.push(c.to_string()),
        }
    }
    units.into_iter().rev().collect()
}

#[test]
fn bidi_on_wraps_first_then_reorders_each_line() {
    let ws = long_lines();
    let json = ws.search_with(&["-n", "1"], "إرهابية");
    let snippet = json[0]["snippet"].as_str().unwrap();
    let options = |bidi| ["-n", "1", "--width", "40", "--bidi", bidi];
    let logical = &text_hits(&ws, &options("off"), "إرهابية")[0];
    let visual = &text_hits(&ws, &options("on"), "إرهابية")[0];
    assert_eq!(logical.len(), visual.len(), "{visual:#?}");
    // The snippet's first line, in logical order, starts with its first words.
    let first_words = &words(snippet)[..2];
    let first = logical
        .iter()
        .position(|l| words(l).starts_with(first_words))
        .expect("the snippet's first line");
    // Shown in visual order, the same line holds the same words, backwards, with every word
    // reversed letter by letter and its marks still after their letters.
    for (logical, visual) in logical[first..].iter().zip(&visual[first..]) {
        assert!(columns(visual) <= 40, "{visual}");
        let shown = words(visual);
        let written: Vec<&str> = words(logical).into_iter().rev().collect();
        assert_eq!(shown.len(), written.len(), "{visual:#?}");
        for (shown, written) in shown.iter().zip(written) {
            if written.chars().any(|c| c.is_ascii_digit()) {
                // Numbers keep their left-to-right order inside the word.
                let sorted = |w: &str| {
                    let mut c: Vec<char> = w.chars().collect();
                    c.sort();
                    c
                };
                assert_eq!(sorted(shown), sorted(written), "{visual}");
            } else {
                assert_eq!(*shown, backwards(written), "{visual}");
            }
        }
        let chars: Vec<char> = visual.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if is_mark(c) {
                assert!(i > 0 && !chars[i - 1].is_whitespace(), "{visual}");
            }
        }
    }
    // The word of the report: its ة first, bare, the shadda and fatha before it on the ي.
    let word = backwards("إِرْهَابِيَّة");
    assert!(word.starts_with('ة') && !is_mark(word.chars().nth(1).unwrap()));
    assert!(visual.iter().any(|l| l.contains(&word)), "{visual:#?}");
    // auto keeps the logical order on a pipe; RASD_BIDI sets the default.
    assert_eq!(&text_hits(&ws, &options("auto"), "إرهابية")[0], logical);
    let from_env = ws
        .rasd()
        .env("RASD_BIDI", "on")
        .args([
            "--color",
            "never",
            "search",
            "-n",
            "1",
            "--width",
            "40",
            "إرهابية",
        ])
        .output()
        .unwrap();
    let from_env = String::from_utf8(from_env.stdout).unwrap();
    assert_eq!(from_env.split("\n\n").next().unwrap(), visual.join("\n"));
}

#[test]
fn snippets_show_the_word_as_typed_before_its_aliases() {
    let ws = Workspace::new();
    // The alias, in two words, fills the first window; the word typed comes later.
    let filler = "Les enquêteurs ont saisi des téléphones et des ordinateurs. ".repeat(6);
    ws.write(
        "fr.md",
        &format!(
            "---\nlang: fr\n---\n# Une cellule liée à Daech démantelée\n\n\
             L'État islamique revendique. L'État islamique menace. L'État islamique recrute.\n\n\
             {filler}\n\nLes suspects avaient prêté allégeance à Daech en 2019.\n"
        ),
    );
    ws.index().success();
    let hits = ws.search_with(&["-n", "1"], "Daech");
    let hit = &hits[0];
    // The highlighted words of the snippet.
    let text: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let highlighted: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (s, e) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            text[s as usize..e as usize].iter().collect()
        })
        .collect();
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("allégeance à Daech"), "{snippet}");
    assert!(highlighted.contains(&"Daech".to_string()), "{hit}");
    // An article with only the alias still shows it.
    ws.write(
        "other.md",
        "---\nlang: fr\n---\n# Procès\n\nUn membre de l'État islamique jugé.\n",
    );
    ws.index().success();
    let hits = ws.search_with(&["--all"], "Daech");
    let other = hits.iter().find(|h| h["id"] == "other.md").unwrap();
    assert!(
        !other["highlights"].as_array().unwrap().is_empty(),
        "{other}"
    );
    // In text, the title highlights the word typed.
    let text = stdout(&ws, &["--color", "always", "search", "-n", "1", "Daech"]);
    assert!(text.contains("\u{1b}[31mDaech"), "{text:?}");
}

#[test]
fn explanations_count_articles_and_name_every_field() {
    let ws = Workspace::new();
    // Five articles in three files: the index also holds a record document per file.
    let line = |id: &str, body: &str| {
        format!("{{\"id\":\"{id}\",\"lang\":\"fr\",\"title\":\"Brève\",\"body\":\"{body}\"}}\n")
    };
    let feed = [
        line("f1", "Un rapport sur la sécurité."),
        line("f2", "Une réunion à Rabat."),
        line("f3", "Une saisie à Tanger."),
    ]
    .concat();
    ws.write("feed.jsonl", &feed);
    ws.write(
        "a.md",
        "---\nlang: fr\n---\n# Une cellule liée à Daech\n\nDaech, l'État islamique, recrute.\n",
    );
    ws.write(
        "b.md",
        "---\nlang: fr\n---\n# Procès\n\nUn membre de l'État islamique jugé.\n",
    );
    ws.index().success();
    let text = stdout(&ws, &["search", "--explain", "-n", "1", "Daech"]);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" time(s) in a field of "))
        .collect();
    assert!(!rows.is_empty(), "{text}");
    for row in &rows {
        // Each row names its field (and its term or phrase) and counts articles, not documents.
        let reason = row.trim_start().split_once("  ").unwrap().1;
        let field = reason.split(':').next().unwrap();
        assert!(
            field.starts_with("title") || field.starts_with("body"),
            "{row}"
        );
        assert!(row.contains(" of 5 articles"), "{row}");
        assert!(
            !row.contains("documents") && !row.contains("in 0 of"),
            "{row}"
        );
    }
    // Daech is in one article; the alias, a phrase, in two.
    assert!(
        rows.iter()
            .any(|r| r.contains("body: daech: 1 time(s)") && r.contains("in 1 of 5"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(": \"etat islam") && r.contains("in 2 of 5")),
        "{text}"
    );
}

#[test]
fn the_line_of_facts_stays_left_to_right_and_wraps_between_facts() {
    let ws = long_lines();
    let options = |bidi| ["-n", "1", "--width", "60", "--bidi", bidi];
    for bidi in ["on", "off"] {
        let hit = &text_hits(&ws, &options(bidi), "إرهابية")[0];
        let facts_start = hit.iter().position(|l| l.contains("2016-03-12")).unwrap();
        let facts_end = hit.iter().position(|l| l.contains("score ")).unwrap();
        let facts = &hit[facts_start..=facts_end];
        // The date comes first even when the next fact, the source, is Arabic.
        assert!(
            facts[0].trim_start().starts_with("2016-03-12 · "),
            "{hit:#?}"
        );
        // Lines break after a separator, never inside a fact.
        let joined: Vec<&str> = facts.iter().map(|l| l.trim()).collect();
        for line in &joined[..joined.len() - 1] {
            assert!(line.ends_with(" ·"), "{bidi}: {hit:#?}");
        }
        assert!(
            joined.last().unwrap().starts_with("ar.md · score ")
                || joined.iter().any(|l| l.starts_with("score ")),
            "{hit:#?}"
        );
    }
}

/// The first hit with its score explained, as a terminal shows it, styles removed.
fn explained(ws: &Workspace, args: &[&str]) -> String {
    let mut all = vec!["--color", "always", "search", "--explain", "-n", "1"];
    all.extend(args);
    plain(&stdout(ws, &all))
}

#[test]
fn partial_matches_explain_the_score_they_show() {
    let ws = long_lines();
    let text = explained(&ws, &["Daech Sahel tombouctou"]);
    let score: f64 = text
        .split("score ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The first row of the explanation is the score shown, not the word counts that rank
    // partial matches, which read as what they are.
    let first_row = text
        .lines()
        .find(|l| l.contains("sum of"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse::<f64>()
        .unwrap();
    assert!((first_row - score).abs() < 0.01, "{text}");
    assert!(
        text.contains("has this word (partial matches rank by words first"),
        "{text}"
    );
    assert!(!text.contains("4096"), "{text}");
}

#[test]
fn explanations_wrap_and_keep_arabic_words_before_their_counts() {
    let ws = long_lines();
    let text = explained(&ws, &["--width", "60", "--bidi", "on", "إرهابية"]);
    for line in text.lines() {
        assert!(columns(line) <= 60, "{line:?}\n{text}");
    }
    // `body: <word>: 1 time(s)`: the word reversed for display, the count after it.
    let row = text
        .lines()
        .find(|l| l.contains("body: ") && l.contains(" time(s)"))
        .unwrap_or_else(|| panic!("{text}"));
    let word = row
        .split("body: ")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap();
    assert!(word.chars().all(|c| !c.is_ascii()), "{row}");
    assert!(!row.contains('\u{200e}'), "{row:?}");
}

#[test]
fn a_phrase_is_highlighted_as_a_phrase_not_where_its_words_stand_apart() {
    let ws = Workspace::new();
    ws.write(
        "ar.md",
        "# تقرير\n\nحذر التقرير من الاتجار بالبشر. الأسلحة كانت مخبأة قرب الميناء، وقالت الشرطة \
         إن الاتجار في الأسلحة تزايد، وإن الاتجار الإلكتروني الأسلحة ظاهرة جديدة.\n",
    );
    ws.write(
        "en.md",
        "---\nlang: en\n---\n# Report\n\nThe navy of the U.S. sailed; the U.S. Navy said so.\n",
    );
    ws.index().success();
    let hits = ws.search("\"الاتجار في الأسلحة\"");
    assert_eq!(common::highlighted(&hits[0]), ["الاتجار في الأسلحة"]);
    let hits = ws.search("\"U.S. Navy\"");
    assert_eq!(common::highlighted(&hits[0]), ["U.S. Navy"]);
    // A word also searched alone lights up wherever it stands.
    let hits = ws.search("الأسلحة \"الاتجار في الأسلحة\"");
    assert_eq!(
        common::highlighted(&hits[0]),
        ["الأسلحة", "الاتجار في الأسلحة", "الأسلحة"]
    );
}
