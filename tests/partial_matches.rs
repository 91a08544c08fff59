//! No empty page when something relevant exists: articles with every word first, then the
//! partial matches by how many words they have; explicit operators, fields, filters and
//! exclusions never loosened; `--all` for strict results. Without the glossary, so that the
//! counts are the words' own (`tests/cross_language.rs` has terms counted as their words).

mod common;

use common::{Workspace, article};
use serde_json::Value;

fn archive() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "cairo.txt",
        &article("مؤتمر", "مؤتمر مكافحة الإرهاب في القاهرة."),
    );
    ws.write(
        "corruption.txt",
        &article("فساد", "حملة مكافحة الفساد في الإدارات."),
    );
    ws.write("report.txt", &article("تقرير", "تقرير عن الإرهاب والجريمة."));
    ws.write(
        "court.txt",
        &article("قضاء", "محاكمة متهمين بالإرهاب في العاصمة."),
    );
    ws.write(
        "fr.txt",
        "---\nlang: fr\n---\n# Lutte\n\nLa lutte contre le terrorisme au Caire.\n",
    );
    ws.index().success();
    ws
}

/// The ids of a search's matches, best first (articles like the first hit left out).
fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .filter(|h| h["related"] != true)
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

fn matched(hits: &[Value]) -> Vec<u64> {
    hits.iter()
        .map(|h| h["matched_words"].as_u64().unwrap())
        .collect()
}

#[test]
fn partial_matches_follow_by_number_of_words() {
    let ws = archive();
    // No article has all four words: the one with three comes first, then two, then one.
    let hits = ws.search_with(&["--no-glossary"], "مكافحة الإرهاب القاهرة الفساد");
    assert_eq!(ids(&hits)[..2], ["cairo.txt", "corruption.txt"]);
    // The French article has one word through an alias (القاهرة, le Caire).
    assert_eq!(matched(&hits), vec![3, 2, 1, 1, 1]);
    assert!(hits.iter().all(|h| h["query_words"] == 4));
    let text = ws
        .rasd()
        .args(["search", "--no-glossary", "مكافحة الإرهاب القاهرة الفساد"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(
            "no article has all 4 words; 1 article has 3 of them, 4 fewer (showing 1–5)."
        ),
        "{text}"
    );
    assert!(text.contains("3 of 4 words"), "{text}");
}

#[test]
fn articles_with_every_word_rank_first_and_are_counted_apart() {
    let ws = archive();
    let hits = ws.search_with(&["--no-glossary"], "مكافحة الإرهاب");
    assert_eq!(ids(&hits)[0], "cairo.txt");
    assert_eq!(matched(&hits), vec![2, 1, 1, 1]);
    assert!(!ids(&hits).contains(&"fr.txt"));
    let text = ws
        .rasd()
        .args(["search", "--no-glossary", "مكافحة الإرهاب"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("1 article has all 2 words; then 3 articles have 1 of them"),
        "{text}"
    );
    // Counting, and --all, keep to the articles with every word.
    let count = ws
        .rasd()
        .args(["search", "--no-glossary", "--count", "مكافحة الإرهاب"])
        .output();
    assert_eq!(String::from_utf8(count.unwrap().stdout).unwrap(), "1\n");
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "مكافحة الإرهاب")),
        ["cairo.txt"]
    );
}

#[test]
fn all_turns_the_fallback_off_and_exits_1_without_hits() {
    let ws = archive();
    let output = ws
        .rasd()
        .args(["search", "--no-glossary", "--all", "مكافحة الإرهاب الفساد"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "0 articles matched.\n"
    );
    let output = ws
        .rasd()
        .args(["search", "--no-glossary", "zzzz qqqq"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "nothing relevant: still 1");
}

#[test]
fn explicit_operators_fields_and_filters_are_never_loosened() {
    let ws = archive();
    // A required word stays required: the article with more words but without it is out.
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary"], "+الفساد مكافحة القاهرة")),
        ["corruption.txt"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary"], "الفساد AND مكافحة AND القاهرة")),
        Vec::<&str>::new()
    );
    // Exclusions hold in partial matches.
    let hits = ws.search_with(&["--no-glossary"], "مكافحة القاهرة zzzz -الفساد");
    assert_eq!(ids(&hits), ["cairo.txt", "fr.txt"]);
    // So do fields and filters.
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary"], "مكافحة القاهرة zzzz lang:fr")),
        ["fr.txt"]
    );
    assert!(
        ws.search_with(&["--no-glossary"], "مكافحة الفساد zzzz lang:fr")
            .is_empty()
    );
    assert!(
        ws.search_with(&["--no-glossary", "--lang", "fr"], "مكافحة zzzz")
            .is_empty()
    );
    let hits = ws.search_with(&["--no-glossary", "--lang", "fr"], "terrorisme zzzz");
    assert_eq!(ids(&hits), ["fr.txt"]);
    // An explicit OR is the user's choice: not loosened further.
    assert!(
        ws.search_with(&["--no-glossary"], "zzzz OR qqqq")
            .is_empty()
    );
}

#[test]
fn stop_words_are_not_counted_as_words() {
    let ws = archive();
    let hits = ws.search_with(&["--no-glossary"], "الإرهاب في القاهرة");
    assert_eq!(hits[0]["query_words"], 2);
    assert_eq!(ids(&hits)[0], "cairo.txt");
}

#[test]
fn pages_run_through_full_then_partial_matches() {
    let ws = archive();
    let query = "مكافحة الإرهاب القاهرة الفساد";
    let all = ids(&ws.search_with(&["--no-glossary"], query)).join(" ");
    let mut paged = Vec::new();
    for offset in 0..6 {
        let offset = offset.to_string();
        let page = ws.search_with(&["--no-glossary", "-n", "1", "--offset", &offset], query);
        assert!(page.len() <= 1);
        if let Some(hit) = page.first() {
            assert_eq!(hit["rank"].as_u64().unwrap(), paged.len() as u64 + 1);
            paged.push(hit["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(paged.join(" "), all);
    // Pages across the border between full and partial matches.
    let strict_then_partial = ws.search_with(
        &["--no-glossary", "-n", "2", "--offset", "0"],
        "مكافحة الإرهاب",
    );
    assert_eq!(matched(&strict_then_partial), vec![2, 1]);
    let second = ws.search_with(
        &["--no-glossary", "-n", "2", "--offset", "2"],
        "مكافحة الإرهاب",
    );
    assert_eq!(matched(&second), vec![1, 1]);
    assert_eq!(second[0]["rank"], 3);
}

#[test]
fn and_not_means_minus_whichever_side_it_stands() {
    let ws = archive();
    let minus = ids(&ws.search_with(&["--no-glossary", "--all"], "الإرهاب -مؤتمر")).join(" ");
    assert!(!minus.contains("cairo"));
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "الإرهاب AND NOT مؤتمر")).join(" "),
        minus
    );
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "NOT مؤتمر AND الإرهاب")).join(" "),
        minus
    );
}

#[test]
fn multi_word_names_find_their_aliases_without_quotes() {
    let ws = Workspace::new();
    ws.write(
        "dged.txt",
        &article("لقاء", "استقبل ياسين المنصوري وفدا أمنيا في الرباط."),
    );
    ws.write(
        "port.txt",
        &article("ميناء", "حجز شحنة في ميناء طنجة المتوسط أمس."),
    );
    ws.write("tangier.txt", &article("طنجة", "أمطار غزيرة في طنجة."));
    ws.index().success();
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "Yassine Mansouri")),
        ["dged.txt"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "\"Yassine Mansouri\"")),
        ["dged.txt"]
    );
    // Longest name first: "Tanger Med" is the port, not Tangier and a word "Med".
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "Tanger Med")),
        ["port.txt"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--no-glossary", "--all"], "Tanger")).len(),
        2
    );
    // Without aliases, the words are plain words again.
    assert!(
        ws.search_with(&["--no-glossary", "--all", "--no-aliases"], "Tanger Med")
            .is_empty()
    );
}

#[test]
fn by_date_partial_matches_follow_the_full_ones_and_keep_their_relevance() {
    let ws = archive();
    let hits = ws.search_with(
        &["--no-glossary", "--sort", "date"],
        "مكافحة الإرهاب القاهرة الفساد",
    );
    assert_eq!(matched(&hits), vec![3, 2, 1, 1, 1]);
    assert!(
        hits.iter().all(|h| h["score"].as_f64().unwrap() > 0.0),
        "{hits:?}"
    );
}

#[test]
fn an_exact_word_is_one_of_the_query_words() {
    let ws = archive();
    // `exact:` says how a word is searched, not a field: it counts, and is loosened, as a word.
    let hits = ws.search_with(&["--no-glossary"], "exact:مكافحة exact:القاهرة");
    assert_eq!(ids(&hits)[..1], ["cairo.txt"]);
    assert_eq!(hits[0]["matched_words"], 2);
    assert!(hits.iter().all(|h| h["query_words"] == 2));
    let hits = ws.search_with(&["--all", "--no-glossary"], "exact:الفساد exact:القاهرة");
    assert!(hits.is_empty());
    let hits = ws.search_with(&["--no-glossary"], "exact:الفساد exact:القاهرة");
    let partial: Vec<Value> = hits.into_iter().filter(|h| h["related"] != true).collect();
    assert_eq!(matched(&partial), vec![1, 1]);
}
