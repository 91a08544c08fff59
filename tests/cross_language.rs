//! Search across languages through the real binary: a query in one language finds articles in
//! another through the glossary, below articles in its own language, says so, and respects
//! quotes, exact mode, exclusions and `--no-glossary`; a bad glossary is a one-line error.

mod common;

use common::{Workspace, article, plain};
use serde_json::Value;

/// The ids of a search's matches, best first (articles like the first hit left out).
fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .filter(|h| h["related"] != true)
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

/// Concepts of the tests' own, so that they do not depend on the built-in glossary's entries.
const GLOSSARY: &str = "\
# test concepts
ar: جهاز تنصت; التنصت | fr: écoutes téléphoniques | en: wiretap; wiretapping
ar: مذكرة توقيف | fr: mandat d'arrêt | en: arrest warrant
ar: بروتوكول الأفعى | fr: protocole vipère | en: viper protocol
ar: قاضي التحقيق | fr: juge d'instruction | en: investigating judge
ar: نفق | fr: tunnel | en: tunnel
ar: تهريب | fr: contrebande | en: smuggling
ar: أنفاق التهريب | fr: tunnels de contrebande | en: smuggling tunnels
";

fn archive() -> Workspace {
    let ws = Workspace::new();
    std::fs::write(ws.dir.path().join("mine.txt"), GLOSSARY).unwrap();
    ws.write(
        "ar-warrant.txt",
        &article("قضاء", "أصدر قاضي التحقيق مذكرة توقيف دولية في حق المتهم."),
    );
    ws.write(
        "fr-warrant.txt",
        &article(
            "Justice",
            "Le juge a délivré un mandat d'arrêt international.",
        ),
    );
    ws.write(
        "en-warrant.txt",
        &article("Court", "The judge issued an international arrest warrant."),
    );
    ws.write(
        "ar-tap.txt",
        &article("أمن", "كشف التحقيق عمليات التنصت على هواتف المسؤولين."),
    );
    ws.write(
        "ar-tunnel.txt",
        &article("حدود", "اكتشاف نفق لتهريب المخدرات تحت الحدود."),
    );
    ws.write(
        "en-other.txt",
        &article(
            "Weather",
            "A warrant of sunshine for the whole coast this weekend.",
        ),
    );
    ws.index().success();
    ws
}

/// The tests' glossary, beside the archive (a `.txt` in it would be an article).
fn glossary_flag(ws: &Workspace) -> String {
    ws.dir.path().join("mine.txt").display().to_string()
}

#[test]
fn a_term_finds_its_translations_below_the_articles_that_use_it() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    let hits = ws.search_with(&["--glossary", &glossary], "arrest warrant");
    // Three articles have the term in some language; then, partial, the one with `warrant`.
    assert_eq!(hits.len(), 4, "{hits:#?}");
    assert_eq!(hits[3]["id"], "en-other.txt");
    assert_eq!(hits[3]["matched_words"], 1);
    assert_eq!(hits[0]["query_words"], 2);
    let hits = &hits[..3];
    assert_eq!(ids(hits)[0], "en-warrant.txt", "the words first: {hits:#?}");
    // The English article has the words; the others only their translation.
    assert_eq!(hits[0]["translated"], serde_json::json!([]));
    for hit in &hits[1..] {
        let language = if hit["id"] == "ar-warrant.txt" {
            "ar"
        } else {
            "fr"
        };
        // Through the term, and maybe through one of its words translated on its own.
        let through = hit["translated"].as_array().unwrap();
        assert_eq!(
            through[0],
            serde_json::json!({"term": "arrest warrant", "language": language})
        );
        assert!(
            through.iter().all(|t| t["language"] == language),
            "{hit:#?}"
        );
    }
    // French with its elision, inflected and without accents; Arabic in the plural.
    let french = ws.search_with(&["--glossary", &glossary], "mandats d'arret");
    assert_eq!(ids(&french)[0], "fr-warrant.txt");
    assert_eq!(french.iter().filter(|h| h["matched_words"] == 2).count(), 3);
    let arabic = ws.search_with(&["--glossary", &glossary], "مذكرات التوقيف");
    assert_eq!(ids(&arabic)[0], "ar-warrant.txt");
    assert_eq!(arabic.iter().filter(|h| h["matched_words"] == 2).count(), 3);
    // Inside another query, the term stays one required part.
    let tapped = ws.search_with(&["--glossary", &glossary, "--all"], "wiretapping المسؤولين");
    assert_eq!(ids(&tapped), ["ar-tap.txt"]);
}

#[test]
fn the_words_of_a_term_are_also_translated_one_by_one() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    // The term's own translations are set phrases the article does not use; its words, each
    // translated, are in it.
    let hits = ws.search_with(&["--glossary", &glossary, "--all"], "smuggling tunnels");
    assert_eq!(ids(&hits), ["ar-tunnel.txt"]);
    assert_eq!(hits[0]["matched_words"], 2);
    let languages: Vec<&str> = hits[0]["translated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["language"].as_str().unwrap())
        .collect();
    assert!(
        !languages.is_empty() && languages.iter().all(|&l| l == "ar"),
        "{hits:#?}"
    );
    let hits = ws.search_with(&["--no-glossary", "--all"], "smuggling tunnels");
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn stop_words_of_the_querys_language_are_not_required() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    // `le` and `du` are French stop words: an Arabic article has neither, and still has
    // every word that means something.
    let hits = ws.search_with(
        &["--glossary", &glossary, "--all"],
        "le mandat d'arrêt du juge d'instruction",
    );
    assert!(ids(&hits).contains(&"ar-warrant.txt"), "{hits:#?}");
    // The two terms, each counted as its words: mandat, d'arrêt, juge, d'instruction.
    assert_eq!(hits[0]["query_words"], 4, "{hits:#?}");
    // Nor inside a term of the glossary, counted as its words.
    let hits = ws.search_with(&["--glossary", &glossary], "tunnels de contrebande");
    assert_eq!(hits[0]["query_words"], 2, "{hits:#?}");
    // A query of nothing else keeps them.
    let hits = ws.search_with(&["--glossary", &glossary, "--all"], "le -arrest");
    assert!(ids(&hits).contains(&"fr-warrant.txt"), "{hits:#?}");
    // Quoted, they stay in the phrase; `+` keeps a word required even if it is one.
    let hits = ws.search_with(&["--glossary", &glossary, "--all"], "+le mandat d'arrêt");
    assert!(!ids(&hits).contains(&"ar-warrant.txt"), "{hits:#?}");
}

#[test]
fn quotes_exact_mode_and_no_glossary_search_the_words_only() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    let with = |options: &[&str], query: &str| {
        let mut all = vec!["--glossary", glossary.as_str()];
        all.extend_from_slice(options);
        ws.search_with(&all, query)
    };
    assert_eq!(ids(&with(&[], "\"arrest warrant\"")), ["en-warrant.txt"]);
    assert_eq!(
        ids(&with(&["--exact", "--all"], "arrest warrant")),
        ["en-warrant.txt"]
    );
    assert_eq!(ids(&with(&["--exact"], "wiretapping")), Vec::<&str>::new());
    let hits = ws.search_with(&["--no-glossary"], "wiretapping");
    assert!(hits.is_empty(), "{hits:#?}");
    // Part of a term is not the term: `warrant` alone is not translated.
    let warrant = with(&["--all"], "warrant");
    let mut found = ids(&warrant);
    found.sort();
    assert_eq!(found, ["en-other.txt", "en-warrant.txt"]);
}

#[test]
fn translate_phrases_translates_a_quoted_term_and_keeps_it_a_phrase() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    let quoted = |options: &[&str], query: &str| {
        let mut all = vec!["--glossary", glossary.as_str(), "--all"];
        all.extend_from_slice(options);
        let mut found = ids(&ws.search_with(&all, query))
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>();
        found.sort();
        found
    };
    // Without the flag, quotes mean these words.
    assert_eq!(quoted(&[], "\"mandat d'arrêt\""), ["fr-warrant.txt"]);
    // With it, the phrase finds its translations too, below the French article.
    let phrases = ["--translate-phrases"];
    assert_eq!(
        quoted(&phrases, "\"mandat d'arrêt\""),
        ["ar-warrant.txt", "en-warrant.txt", "fr-warrant.txt"]
    );
    let hits = ws.search_with(
        &["--glossary", &glossary, "--translate-phrases"],
        "\"mandat d'arrêt\"",
    );
    assert_eq!(hits[0]["id"], "fr-warrant.txt", "{hits:#?}");
    assert_eq!(hits[0]["translated"], serde_json::json!([]));
    assert_eq!(hits[1]["translated"][0]["term"], "mandat d'arrêt");
    // Translated or not, a quoted phrase is one word of the query: no partial match has
    // one of its words alone (`arrêt`, `warrant`).
    assert_eq!(hits.len(), 3, "{hits:#?}");
    for hit in &hits {
        assert_eq!(
            (&hit["matched_words"], &hit["query_words"]),
            (&1.into(), &1.into())
        );
    }
    // The words as written stay a phrase: `warrant arrest` in that order is not `arrest
    // warrant`, and a phrase that is no whole term is not translated.
    assert_eq!(quoted(&phrases, "\"warrant arrest\""), Vec::<String>::new());
    assert_eq!(
        quoted(&phrases, "\"issued an international arrest warrant\""),
        ["en-warrant.txt"]
    );
    // Exact mode still translates nothing, and the flag needs the glossary.
    assert_eq!(
        quoted(&["--translate-phrases", "--exact"], "\"arrest warrant\""),
        ["en-warrant.txt"]
    );
    ws.rasd()
        .args(["search", "--no-glossary", "--translate-phrases", "x"])
        .assert()
        .failure();
    // rasd analyze --query lists the translations of the quoted term.
    let out = ws
        .rasd()
        .args(["analyze", "--glossary", &glossary, "--translate-phrases"])
        .args(["--query", "\"arrest warrant\""])
        .assert()
        .success();
    let text = plain(&String::from_utf8_lossy(&out.get_output().stdout));
    assert!(text.contains("مذكرة توقيف"), "{text}");
}

#[test]
fn an_excluded_term_excludes_its_translations() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    let hits = ws.search_with(
        &["--glossary", &glossary],
        "juge OR judge OR قاضي -\"arrest\"",
    );
    assert!(!ids(&hits).contains(&"en-warrant.txt"), "{hits:#?}");
    let hits = ws.search_with(
        &["--glossary", &glossary],
        "juge OR judge OR قاضي -wiretapping",
    );
    assert_eq!(hits.len(), 3, "{hits:#?}");
    let hits = ws.search_with(
        &["--glossary", &glossary],
        "juge OR judge OR قاضي OR التحقيق -\"arrest warrant\"",
    );
    assert!(
        ids(&hits).contains(&"ar-warrant.txt"),
        "quoted: not translated"
    );
    let hits = ws.search_with(
        &["--glossary", &glossary],
        "juge OR judge OR قاضي OR التحقيق -wiretap",
    );
    assert!(!ids(&hits).contains(&"ar-tap.txt"), "{hits:#?}");
}

#[test]
fn text_output_and_analyze_say_what_was_translated() {
    let ws = archive();
    let glossary = glossary_flag(&ws);
    let out = ws
        .rasd()
        .args(["search", "--glossary", &glossary, "arrest warrant"])
        .assert()
        .success();
    let text = plain(&String::from_utf8_lossy(&out.get_output().stdout));
    assert!(text.contains("↔ ar"), "{text}");
    assert!(text.contains("↔ fr"), "{text}");
    let out = ws
        .rasd()
        .args([
            "analyze",
            "--query",
            "--glossary",
            &glossary,
            "viper protocol",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("بروتوكول الأفعى"), "{text}");
    assert!(text.contains("protocole vipère"), "{text}");
    assert!(text.contains("mine.txt:4"), "{text}");
    assert!(text.contains("en → ar translation"), "{text}");
}

#[test]
fn a_bad_glossary_is_one_line_naming_the_file_and_line() {
    let ws = archive();
    let bad = ws.dir.path().join("bad.txt");
    std::fs::write(&bad, "# mine\nar: سجن | xx: prison\n").unwrap();
    let out = ws
        .rasd()
        .args(["search", "--glossary", &bad.display().to_string(), "prison"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("bad.txt:2:"), "{stderr}");
    assert!(stderr.contains("unknown language `xx`"), "{stderr}");
    let missing = ws.archive().join("none.txt").display().to_string();
    ws.rasd()
        .args(["search", "--glossary", &missing, "prison"])
        .assert()
        .code(2);
}

/// Two terms of a concept that differ only by a stop word are one phrase: `الاتجار في
/// الأسلحة` (trafficking in arms, as Maghrebi law and press write it) and `الاتجار بالأسلحة`
/// both find either. A word that is no stop word in between is no longer the phrase.
#[test]
fn terms_that_differ_by_a_stop_word_find_each_other() {
    let ws = Workspace::new();
    ws.write(
        "with-fi.txt",
        &article("حكم", "أدين المتهم بتهم الاتجار في الأسلحة والذخائر."),
    );
    ws.write(
        "with-bi.txt",
        &article("حكم", "أدين المتهم بتهم الاتجار بالأسلحة والذخائر."),
    );
    ws.write(
        "other.txt",
        &article("سوق", "الاتجار في المواد الغذائية وعرض الأسلحة في متحف."),
    );
    ws.index().success();
    for query in ["trafic d'armes", "arms trafficking"] {
        let hits = ws.search_with(&["--all"], query);
        let mut found = ids(&hits);
        found.sort_unstable();
        assert_eq!(found, ["with-bi.txt", "with-fi.txt"], "{query}: {hits:#?}");
    }
}

/// A phrase's words must follow each other but for stop words, and never across a sentence or
/// clause boundary: a content word in the gap a stop word left, or a full stop between two
/// sentences, used to make a false friend of `الاتجار في الأسلحة` (probe 11, G1 and G2), and
/// a translated term ranked it above the true article.
#[test]
fn a_phrase_never_spans_a_word_in_its_gap_or_a_sentence_end() {
    let ws = Workspace::new();
    ws.write(
        "true.txt",
        &article("حكم", "أدين المتهم بتهم الاتجار في الأسلحة والذخائر."),
    );
    ws.write(
        "gap.txt",
        &article(
            "تجارة",
            "نمو الاتجار الإلكتروني الأسلحة الرياضية ممنوعة في المتاجر.",
        ),
    );
    ws.write(
        "sentence.txt",
        &article(
            "مؤتمر",
            "حذر المؤتمر من الاتجار بالبشر. الأسلحة لم تكن موضوع اللقاء.",
        ),
    );
    ws.write(
        "clause.txt",
        &article(
            "Bouchons",
            "Le trafic, la drogue des automobilistes pressés, a encore augmenté.",
        ),
    );
    ws.write(
        "drogue.txt",
        &article(
            "Saisie",
            "Deux tonnes de cocaïne destinées au trafic de drogue.",
        ),
    );
    ws.index().success();
    for query in [
        "\"الاتجار في الأسلحة\"",
        "\"الاتجار بالأسلحة\"",
        "\"الاتجار الأسلحة\"",
    ] {
        assert_eq!(ws.ids(query), ["true.txt"], "{query}");
    }
    let exact = ws.search_with(&["--all", "--exact"], "\"الاتجار في الأسلحة\"");
    assert_eq!(ids(&exact), ["true.txt"]);
    assert_eq!(ws.ids("\"trafic de drogue\""), ["drogue.txt"]);
    // A translated term ranks the article with the phrase first, and the others below it
    // only as partial matches, if at all.
    for query in ["arms trafficking", "trafic d'armes"] {
        let hits = ws.search_with(&["--all"], query);
        assert_eq!(ids(&hits), ["true.txt"], "{query}: {hits:#?}");
    }
}

/// Probe 12's findings on the positions stage: a line wrapped in the middle of a phrase keeps
/// the phrase, a blank line ends it; punctuation inside a number, an abbreviation or an
/// address is no boundary; a negation inside a phrase keeps its place, so the phrase does not
/// find its opposite written without it (any other word may still stand in its place); and a
/// phrase copied with its line breaks finds the article it was copied from.
#[test]
fn wrapped_lines_numbers_and_negations_in_phrases() {
    let ws = Workspace::new();
    ws.write(
        "wrapped.md",
        "---\nid: wrapped\nlang: ar\n---\n# تقرير\n\nتواصل جهود مكافحة\nالإرهاب في المنطقة، \
         وقضايا money\r\nlaundering أيضا.\n\nنهاية السطر\n\nبداية الفقرة.\n",
    );
    ws.write(
        "numbers.txt",
        &article(
            "Saisie",
            "Les douanes ont saisi 3.5 tonnes, selon M. Dupont à 10:30 heures.",
        ),
    );
    ws.write(
        "range.txt",
        &article(
            "Saisie",
            "Les douanes ont saisi 3 à 5 tonnes, selon M Jean Dupont.",
        ),
    );
    ws.write(
        "illegal.txt",
        &article("هجرة", "تزايد الهجرة غير الشرعية نحو أوروبا."),
    );
    ws.write(
        "legal.txt",
        &article("هجرة", "تنظيم الهجرة الشرعية نحو أوروبا."),
    );
    ws.write(
        "guilty.txt",
        &article("Verdict", "The court declared guilty three of the accused."),
    );
    ws.write(
        "not-guilty.txt",
        &article(
            "Verdict",
            "The court declared not guilty three of the accused.",
        ),
    );
    ws.index().success();
    for (query, expected) in [
        ("\"مكافحة الإرهاب\"", &["wrapped"][..]),
        ("\"money laundering\"", &["wrapped"]),
        ("\"السطر بداية\"", &[]),
        ("\"السطر\n\nبداية\"", &["wrapped"]),
        ("\"السطر\u{2029}بداية\"", &["wrapped"]),
        ("\"3.5 tonnes\"", &["numbers.txt"]),
        ("\"10:30 heures\"", &["numbers.txt"]),
        ("\"الهجرة غير الشرعية\"", &["illegal.txt"]),
        ("\"الهجرة الشرعية\"", &["legal.txt"]),
        ("\"declared not guilty\"", &["not-guilty.txt"]),
        ("\"declared guilty\"", &["guilty.txt"]),
    ] {
        assert_eq!(ws.ids(query), expected, "{query:?}");
    }
}
